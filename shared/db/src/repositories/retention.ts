// Bounded growth: the deletes `paperwire gc` and the periodic `gc` job make (shared/db/src/gc.ts decides the
// cutoffs). Each collection is read once per pass with an ids-only projection, and the ids found are
// deleted in batches by `_id` (`$in`, an index search on MongoDB and on the launcher's FerretDB). A pass
// reads at most `maxPerPass` ids before deleting them, so memory stays bounded; the next pass starts over.
// FerretDB v1 evaluates every filter but `_id` equality/`$in` in Go, and pushes no `_id` range or `_id`
// sort down either (it would sort the matched documents in memory), so a cursor per batch would be a scan
// per batch: one unsorted scan per pass is the cheapest read there, and on MongoDB a pass is one
// collection scan of a periodic job. Ranking snapshots are found through their boards' histories instead
// (no scan of the large snapshot documents). Observations are never deleted: they are what `paperwire
// replay` rebuilds from.
import type { Collection } from 'mongodb';
import type { Models } from '../models.ts';
import { declareQuery } from '../queries.ts';

/** Ids read per pass before deleting them (bounds the memory of a pass, ~50 bytes per id). */
export const MAX_IDS_PER_PASS = 50_000;

/** A time as stored: an ISO string, or a BSON date once documents store native dates. */
type StoredTime = string | Date;
/** Stored form of a board pointer (see rankings.ts): its current snapshot and its kept history. */
interface StoredPointer {
  _id: string;
  snapshotId?: string;
  history?: { _id: string; asOf: StoredTime }[];
}

/**
 * The outbox marker of a board's current snapshot (`trending.updated:<snapshot id>`, shared/core
 * events/build.ts): the scorer point-reads it to learn whether that snapshot's events were recorded, so it
 * is kept as long as the snapshot is current (or the events would be recorded, and sent, again).
 */
export const currentSnapshotMarker = (snapshotId: string): string => `trending.updated:${snapshotId}`;

const millis = (t: StoredTime): number => (t instanceof Date ? t.getTime() : Date.parse(t));

/** A board's history entries older than `cutoff`, never its current snapshot. */
export function expiredHistory(pointer: StoredPointer, cutoff: Date): string[] {
  return (pointer.history ?? [])
    .filter((h) => millis(h.asOf) < cutoff.getTime() && h._id !== pointer.snapshotId)
    .map((h) => h._id);
}

/**
 * `field < before` for either stored form of a time: MongoDB compares a string only with strings and a date
 * only with dates, so each form needs its own bound (documents stored before and after native dates).
 */
const olderThan = (field: string, before: Date) => ({
  $or: [{ [field]: { $lt: before.toISOString() } }, { [field]: { $lt: before } }],
});

export interface RetentionOptions {
  /** Documents per delete command. */
  batchSize: number;
  /** Ids read per pass before they are deleted (tests lower it to cover several passes). */
  maxPerPass?: number;
}

/**
 * Deletes the documents of `coll` matching `filter` whose `_id` is not in `keep`, in batches by `_id`;
 * returns how many went.
 */
async function deleteMatching(
  coll: Collection,
  filter: Record<string, unknown>,
  keep: ReadonlySet<string>,
  { batchSize, maxPerPass = MAX_IDS_PER_PASS }: RetentionOptions,
): Promise<number> {
  let deleted = 0;
  for (;;) {
    const ids: string[] = [];
    // Read the whole pass, then delete: a cursor kept open across deletes would hold a connection (and, on
    // FerretDB's SQLite, a read snapshot) for the whole run.
    const cursor = coll.find(filter as never, {
      projection: { _id: 1 },
      batchSize: Math.min(maxPerPass, 10_000),
    });
    try {
      for await (const doc of cursor) {
        const id = String(doc._id);
        if (keep.has(id)) continue;
        ids.push(id);
        if (ids.length >= maxPerPass) break;
      }
    } finally {
      await cursor.close();
    }
    for (let i = 0; i < ids.length; i += batchSize) {
      const res = await coll.deleteMany({ _id: { $in: ids.slice(i, i + batchSize) } } as never);
      deleted += res.deletedCount;
    }
    if (ids.length < maxPerPass) return deleted;
  }
}

export function retentionRepository(models: Models) {
  const { Outbox, Payload, Ranking, RankingPointer } = models;
  const pointers = async () => (await RankingPointer.find({}).lean()) as StoredPointer[];
  return {
    /**
     * Deletes outbox events the relay published before `publishedBefore`. An event not published yet has
     * no `publishedAt` and stays; so does the marker of each board's current snapshot.
     */
    async deleteRelayedEvents(publishedBefore: Date, options: RetentionOptions): Promise<number> {
      const keep = new Set(
        (await pointers()).flatMap((p) => (p.snapshotId ? [currentSnapshotMarker(p.snapshotId)] : [])),
      );
      return deleteMatching(Outbox.collection, olderThan('publishedAt', publishedBefore), keep, options);
    },
    /** Deletes archived payloads fetched before `fetchedBefore` (replay can no longer re-parse them). */
    async deletePayloads(fetchedBefore: Date, options: RetentionOptions): Promise<number> {
      return deleteMatching(Payload.collection, olderThan('fetchedAt', fetchedBefore), new Set(), options);
    },
    /**
     * Deletes ranking snapshots taken before `takenBefore`, except each board's current one: out of the
     * board's history (its pointer) first, then the documents by `_id`, so the large snapshot documents are
     * never scanned. A board switched meanwhile is left to the next run. Snapshots no history lists (a
     * crash, two publishers racing) are `rankings.sweep`'s, which every periodic re-score runs.
     */
    async deleteSnapshots(takenBefore: Date, { batchSize }: RetentionOptions): Promise<number> {
      let deleted = 0;
      for (const p of await pointers()) {
        const expired = expiredHistory(p, takenBefore);
        if (expired.length === 0 || !p.snapshotId) continue;
        const gone = new Set(expired);
        // FerretDB v1's $pull takes no conditions: the shortened history is written whole, only if the board
        // was not switched since it was read.
        const res = await RankingPointer.updateOne(
          { _id: p._id, snapshotId: p.snapshotId },
          { $set: { history: (p.history ?? []).filter((h) => !gone.has(h._id)) } },
        );
        if (res.matchedCount !== 1) continue;
        for (let i = 0; i < expired.length; i += batchSize) {
          const batch = expired.slice(i, i + batchSize);
          deleted += (await Ranking.collection.deleteMany({ _id: { $in: batch } } as never)).deletedCount;
        }
      }
      return deleted;
    },
  };
}
export type RetentionRepository = ReturnType<typeof retentionRepository>;

// The queries above besides `_id` reads, and the index each relies on (checked by queries.test.ts).
declareQuery({
  name: 'retention.deleteRelayedEvents(publishedBefore)',
  collection: 'outbox',
  range: ['publishedAt'],
  index: { scan: 'one ids-only pass per gc run; an index would cost every event write and publish' },
});
declareQuery({
  name: 'retention.deletePayloads(fetchedBefore)',
  collection: 'payloads',
  range: ['fetchedAt'],
  index: { scan: 'one ids-only pass per gc run' },
});
declareQuery({
  name: 'retention.deleteSnapshots(takenBefore): the boards',
  collection: 'rankingpointers',
  index: { scan: 'one document per board, read once per gc run' },
});
