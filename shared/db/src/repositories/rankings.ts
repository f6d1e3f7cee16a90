// Ranking snapshots are written once, then made current by switching one pointer document, so a reader
// sees either the old or the new ranking, never a half-written one.
import type { RankingSnapshot, Window } from '@paperwire/core';
import type { Models } from '../models.ts';

// Breakdown and constant names contain dots (`huggingface.upvotes.velocity`), which FerretDB refuses as
// field names, and nested arrays, which FerretDB v1 also refuses: the stored form is a list of
// { name, value } documents, converted back on read.
type Pairs = { name: string; value: number }[];
const toPairs = (r: Record<string, number>): Pairs =>
  Object.entries(r).map(([name, value]) => ({ name, value }));
const fromPairs = (p: Pairs): Record<string, number> => Object.fromEntries(p.map((x) => [x.name, x.value]));
type StoredSnapshot = Omit<RankingSnapshot, 'constants' | 'entries'> & {
  constants: Pairs;
  entries: (Omit<RankingSnapshot['entries'][number], 'breakdown'> & { breakdown: Pairs })[];
};

function toStored(s: RankingSnapshot): StoredSnapshot {
  return {
    ...s,
    constants: toPairs(s.constants),
    entries: s.entries.map((e) => ({ ...e, breakdown: toPairs(e.breakdown) })),
  };
}

function fromStored(s: StoredSnapshot): RankingSnapshot {
  return {
    ...s,
    constants: fromPairs(s.constants),
    entries: s.entries.map((e) => ({ ...e, breakdown: fromPairs(e.breakdown) })),
  };
}

/** How many snapshots per window and category are kept for "what changed" queries. */
export const SNAPSHOTS_KEPT = 48;

/** Current snapshots kept in memory per process (a snapshot never changes once written). */
const CURRENT_CACHE_SIZE = 64;

export function rankingsRepository(models: Models) {
  const { Ranking, RankingPointer } = models;
  const pointerId = (window: Window, category: string) => `${window}.${category}`;
  // `current()` reads the pointer every time (so it sees a switch at once) and the snapshot it names only
  // when it is not cached: snapshots are immutable, and a snapshot is a large document whose read and
  // decoding cost `GET /trending` more than everything else it does.
  // Promises, so that concurrent requests for a snapshot not cached yet read it once.
  const cached = new Map<string, Promise<RankingSnapshot | undefined>>();
  return {
    async publish(snapshot: RankingSnapshot): Promise<void> {
      await Ranking.collection.replaceOne({ _id: snapshot._id } as never, toStored(snapshot) as never, {
        upsert: true,
      });
      await RankingPointer.replaceOne(
        { _id: pointerId(snapshot.window, snapshot.category) },
        { _id: pointerId(snapshot.window, snapshot.category), snapshotId: snapshot._id, asOf: snapshot.asOf },
        { upsert: true },
      );
    },
    async current(window: Window, category: string): Promise<RankingSnapshot | undefined> {
      const pointer = (await RankingPointer.findById(pointerId(window, category)).lean()) as {
        snapshotId: string;
      } | null;
      if (!pointer) return undefined;
      let snapshot = cached.get(pointer.snapshotId);
      if (!snapshot) {
        snapshot = this.get(pointer.snapshotId);
        cached.set(pointer.snapshotId, snapshot);
        if (cached.size > CURRENT_CACHE_SIZE) cached.delete(cached.keys().next().value!);
        // A failed or empty read is not remembered.
        snapshot.then(
          (s) => s || cached.delete(pointer.snapshotId),
          () => cached.delete(pointer.snapshotId),
        );
      }
      const found = await snapshot;
      return found && structuredClone(found);
    },
    async get(snapshotId: string): Promise<RankingSnapshot | undefined> {
      const doc = (await Ranking.findById(snapshotId).lean()) as StoredSnapshot | null;
      return doc ? fromStored(doc) : undefined;
    },
    /** Snapshot ids and times for one board, newest first. */
    async history(
      window: Window,
      category: string,
      limit = SNAPSHOTS_KEPT,
    ): Promise<{ _id: string; asOf: string }[]> {
      return (await Ranking.find({ window, category }, { _id: 1, asOf: 1 })
        .sort({ asOf: -1 })
        .limit(limit)
        .lean()) as { _id: string; asOf: string }[];
    },
    /** Deletes all but the newest `keep` snapshots of a board (never the current one). */
    async prune(window: Window, category: string, keep = SNAPSHOTS_KEPT): Promise<number> {
      const all = (await Ranking.find({ window, category }, { _id: 1 }).sort({ asOf: -1 }).lean()) as {
        _id: string;
      }[];
      const old = all.slice(keep).map((r) => r._id);
      if (old.length === 0) return 0;
      const res = await Ranking.deleteMany({ _id: { $in: old } });
      return res.deletedCount;
    },
  };
}
export type RankingsRepository = ReturnType<typeof rankingsRepository>;
