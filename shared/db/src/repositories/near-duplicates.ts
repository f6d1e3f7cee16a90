// Title fingerprint buckets for near-duplicate detection: one document per LSH band key
// (`lsh:<band>:<hash>`), listing the papers whose titles fall in that bucket. A resolver reads a batch's
// buckets with multi-key reads and rewrites them only while it holds their locks.
import type { PaperIds } from '@paperwire/core';
import type { Models } from '../models.ts';
import type { DocIo } from './point-reads.ts';

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

/**
 * A bucket's entries with `entry` added (unless an entry with the same paper and title is there) and the
 * entries of `replacedIds` (papers merged into entry.paperId) repointed; `undefined` when nothing changes.
 */
export function bandEntriesWith(
  current: readonly BandEntry[],
  entry: BandEntry,
  replacedIds: readonly string[],
): BandEntry[] | undefined {
  const repointed = current.map((e) =>
    replacedIds.includes(e.paperId) ? { ...e, paperId: entry.paperId } : e,
  );
  const present = repointed.some((e) => e.paperId === entry.paperId && e.title === entry.title);
  const changed = !present || repointed.some((e, i) => e !== current[i]);
  if (!changed) return undefined;
  return present ? repointed : [...repointed, entry].slice(-MAX_BAND_ENTRIES);
}

export function nearDuplicatesRepository(models: Models, io: DocIo) {
  const { NearKey } = models;
  return {
    /** The buckets of `keys` that exist (multi-key reads). */
    async getBands(keys: readonly string[]): Promise<BandDoc[]> {
      return io.readMany<BandDoc>(NearKey.collection, keys);
    },
    /** Writes buckets: those in `absent` (the caller found none) inserted, the others rewritten. */
    async putBands(bands: readonly BandDoc[], absent: ReadonlySet<string>): Promise<void> {
      await io.writeMany(NearKey.collection, bands, absent);
    },
  };
}
export type NearDuplicatesRepository = ReturnType<typeof nearDuplicatesRepository>;
