// Title fingerprint buckets for near-duplicate detection: one document per LSH band key
// (`lsh:<band>:<hash>`), listing the papers whose titles fall in that bucket. Lookups are `_id` point reads;
// a bucket is rewritten only by a resolver holding the bucket's lock.
import type { PaperIds } from '@paperwire/core';
import type { Models } from '../models.ts';
import { findById, insertOrReplace, readByIds } from './point-reads.ts';

export interface BandEntry {
  paperId: string;
  title: string;
  authorKeys: string[];
  ids: PaperIds;
}

export interface BandDoc {
  _id: string;
  entries: BandEntry[];
}

/** A bucket keeps at most this many entries (the oldest are dropped): generic titles stay cheap. */
export const MAX_BAND_ENTRIES = 50;

export function nearDuplicatesRepository(models: Models) {
  const { NearKey } = models;
  return {
    async getBands(keys: readonly string[]): Promise<BandDoc[]> {
      // An entry's 16 bucket keys, read in parallel (see readByIds).
      return readByIds(keys, (key) => findById<BandDoc>(NearKey.collection, key));
    },
    /**
     * Adds `entry` to each bucket unless an entry with the same paper and title is there; entries of
     * `replacedIds` (papers merged into entry.paperId) are repointed. Writes only buckets that change.
     */
    async addEntry(
      bands: readonly BandDoc[],
      keys: readonly string[],
      entry: BandEntry,
      replacedIds: readonly string[],
    ) {
      const byKey = new Map(bands.map((b) => [b._id, b]));
      // Buckets that did not exist are inserted in one go (one insert round trip; replaced on a duplicate key).
      await insertOrReplace(
        NearKey.collection,
        keys.filter((key) => !byKey.has(key)).map((key) => ({ _id: key, entries: [entry] })),
      );
      // Changed buckets are replaced one statement each: see pointAliases in papers.ts for why not in bulk.
      for (const key of keys) {
        if (!byKey.has(key)) continue;
        const current = byKey.get(key)?.entries ?? [];
        const repointed = current.map((e) =>
          replacedIds.includes(e.paperId) ? { ...e, paperId: entry.paperId } : e,
        );
        const present = repointed.some((e) => e.paperId === entry.paperId && e.title === entry.title);
        const next = present ? repointed : [...repointed, entry].slice(-MAX_BAND_ENTRIES);
        const changed = !present || repointed.some((e, i) => e !== current[i]);
        if (changed) {
          await NearKey.collection.replaceOne({ _id: key } as never, { _id: key, entries: next } as never, {
            upsert: true,
          });
        }
      }
    },
  };
}
export type NearDuplicatesRepository = ReturnType<typeof nearDuplicatesRepository>;
