// Ranking snapshots are written once, then made current by switching one pointer document, so a reader
// sees either the old or the new ranking, never a half-written one.
import type { RankedPaper, RankingSnapshot, Window } from '@paperwire/core';
import { LRUCache } from 'lru-cache';
import { toBsonDates, toIsoDates } from '../bson-dates.ts';
import { type Binary, fromGzipJson, toGzipJson } from '../compressed-json.ts';
import type { Models } from '../models.ts';
import { declareQuery } from '../queries.ts';
import { type DocIo, insertOrReplace } from './point-reads.ts';

// Breakdown and constant names contain dots (`huggingface.upvotes.velocity`), which FerretDB refuses as
// field names: constants are stored as a list of { name, value } documents, converted back on read.
type Pairs = { name: string; value: number }[];
const toPairs = (r: Record<string, number>): Pairs =>
  Object.entries(r).map(([name, value]) => ({ name, value }));
const fromPairs = (p: Pairs): Record<string, number> => Object.fromEntries(p.map((x) => [x.name, x.value]));

// A snapshot's entries (up to RANKING_SIZE complete rows: abstracts, authors, sparkline histories) are
// stored as one gzip-compressed JSON value, exactly as the API serves them. As BSON documents, FerretDB v1
// took ~100–250 ms of its CPU to insert a 200-row snapshot and as much to read one back, and stored
// 1.6–3.8 MiB; compressed, about a millisecond and a tenth of the space or less (docs/performance.md). A
// snapshot is immutable and always read whole (pages are cut from it in memory).

/** Earlier versions' form: the entries as documents, each breakdown as pairs (still read). */
type LegacyEntries = (Omit<RankedPaper, 'breakdown'> & { breakdown: Pairs })[];
type StoredEntries = { entryCount: number; entriesGz: Binary | Uint8Array } | { entries: LegacyEntries };

type Storable = Pick<RankingSnapshot, 'constants' | 'entries'>;
type StoredForm<T extends Storable> = Omit<T, 'constants' | 'entries'> & { constants: Pairs } & StoredEntries;

/** A snapshot (trending or dated) in its stored form: constants as pairs, entries compressed. */
export async function toStored<T extends Storable>(s: T): Promise<StoredForm<T>> {
  const { entries, constants, ...rest } = s;
  return {
    ...toBsonDates(rest),
    constants: toPairs(constants),
    entryCount: entries.length,
    entriesGz: await toGzipJson(entries),
  } as unknown as StoredForm<T>;
}

export async function fromStored<T extends Storable>(stored: StoredForm<T>): Promise<T> {
  const { constants, ...rest } = stored;
  if ('entriesGz' in rest) {
    const { entriesGz, entryCount: _count, ...meta } = rest;
    const entries = await fromGzipJson<RankedPaper[]>(entriesGz);
    return { ...toIsoDates(meta), constants: fromPairs(constants), entries } as unknown as T;
  }
  const { entries: legacy, ...meta } = toIsoDates(rest as { entries: LegacyEntries });
  const entries = legacy.map((e) => ({ ...e, breakdown: fromPairs(e.breakdown) }));
  return { ...meta, constants: fromPairs(constants), entries } as unknown as T;
}

/** How many snapshots per window and category are kept for "what changed" queries. */
export const SNAPSHOTS_KEPT = 48;

/** Snapshots kept in memory per process, least recently used dropped first (one never changes once written). */
const CURRENT_CACHE_SIZE = 64;

/** Freezes plain data (a decoded snapshot: objects, arrays, numbers, strings) all the way down. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

type HistoryEntry = { _id: string; asOf: string };
/** A board's pointer: its current snapshot (absent until the first is written) and its kept history. */
interface StoredPointer {
  _id: string;
  snapshotId?: string;
  asOf?: string;
  /** Newest first; may list a snapshot being published that is not written yet. */
  history?: HistoryEntry[];
}

/** A pointer's history; a pointer written before histories were kept lists only its current snapshot. */
function historyOf(pointer: StoredPointer | undefined): HistoryEntry[] {
  if (pointer?.history) return pointer.history;
  return pointer?.snapshotId && pointer.asOf ? [{ _id: pointer.snapshotId, asOf: pointer.asOf }] : [];
}

/**
 * Newest first, each id once; the first `keep` are kept (at least 2: the new snapshot and the current one),
 * and the current snapshot is never dropped, whatever its time.
 */
export function trimHistory(
  entries: readonly HistoryEntry[],
  keep: number,
  currentId: string | undefined,
): { kept: HistoryEntry[]; dropped: string[] } {
  const unique = [...new Map(entries.map((e) => [e._id, e])).values()].sort(
    (a, b) => b.asOf.localeCompare(a.asOf) || b._id.localeCompare(a._id),
  );
  const n = Math.max(2, keep);
  const kept = unique.slice(0, n);
  const rest = unique.slice(n);
  const current = rest.find((e) => e._id === currentId);
  return {
    kept: current ? [...kept, current] : kept,
    dropped: rest.filter((e) => e !== current).map((e) => e._id),
  };
}

/** A board: its window and category (`all` for the overall board). */
export interface BoardRef {
  window: Window;
  category: string;
}

export function rankingsRepository(models: Models, io: DocIo) {
  const { Ranking, RankingPointer } = models;
  const pointerId = (window: Window, category: string) => `${window}.${category}`;
  const readPointer = async (id: string) =>
    toIsoDates((await RankingPointer.findById(id).lean()) as StoredPointer | null) ?? undefined;
  /** The pointers of many boards, by pointer id: one multi-key read. */
  const readPointers = async (ids: readonly string[]): Promise<Map<string, StoredPointer>> => {
    const docs = await io.readMany<StoredPointer>(RankingPointer.collection, ids);
    return new Map(docs.map((d) => [d._id, toIsoDates(d)]));
  };
  // `current()` reads the pointer every time (so it sees a switch at once) and the snapshot it names only
  // when it is not cached: snapshots are immutable, and a snapshot is a large document whose read and
  // decoding cost `GET /trending` more than everything else it does. (The API keeps the pointer for a
  // second too, by calling `currentId` and `snapshot` itself: services/api/src/routes/trending.ts.)
  // lru-cache's fetch: concurrent requests for a snapshot not cached yet share one read, and a failed or
  // empty read is not remembered.
  const readSnapshot = async (snapshotId: string): Promise<RankingSnapshot | undefined> => {
    const doc = (await Ranking.findById(snapshotId).lean()) as StoredForm<RankingSnapshot> | null;
    return doc ? fromStored<RankingSnapshot>(doc) : undefined;
  };
  const cached = new LRUCache<string, RankingSnapshot>({
    max: CURRENT_CACHE_SIZE,
    fetchMethod: async (snapshotId) => {
      const snapshot = await readSnapshot(snapshotId);
      return snapshot && deepFreeze(snapshot);
    },
  });
  return {
    /**
     * Publishes snapshots (of distinct boards) and makes each current, keeping each board's newest `keep`
     * snapshots. A board's history lives in its pointer document, so this needs no query but `_id` reads,
     * writes and deletes (a find by window and category is a scan on FerretDB, and the collection holds
     * large documents), and each step is one command for all the boards. Order, each step safe to crash
     * after: delete the snapshots that fall out of the histories → list the new ones in the histories →
     * write them → switch the pointers. A snapshot is listed before it exists, so none is ever written
     * without being listed (and later deleted); `sweep` collects what a race between two publishers of one
     * board left unlisted.
     */
    async publishMany(snapshots: readonly RankingSnapshot[], keep = SNAPSHOTS_KEPT): Promise<void> {
      if (snapshots.length === 0) return;
      const ids = snapshots.map((s) => pointerId(s.window, s.category));
      if (new Set(ids).size !== ids.length)
        throw new Error('rankings: publishMany was given one board twice');
      const pointers = await readPointers(ids);
      const boards = snapshots.map((snapshot, i) => {
        const _id = ids[i]!;
        const pointer = pointers.get(_id);
        const { kept, dropped } = trimHistory(
          [{ _id: snapshot._id, asOf: snapshot.asOf }, ...historyOf(pointer)],
          keep,
          pointer?.snapshotId,
        );
        const current = pointer?.snapshotId ? { snapshotId: pointer.snapshotId, asOf: pointer.asOf } : {};
        return { _id, snapshot, kept, dropped, current };
      });
      await Promise.all(boards.flatMap((b) => b.dropped).map((id) => Ranking.deleteOne({ _id: id })));
      await io.replaceMany(
        RankingPointer.collection,
        boards.map((b) => toBsonDates({ _id: b._id, ...b.current, history: b.kept })),
      );
      // New ids (the job's clock is in each): inserted, or replaced when a retry finds one written.
      await insertOrReplace(Ranking.collection, await Promise.all(boards.map((b) => toStored(b.snapshot))));
      await io.replaceMany(
        RankingPointer.collection,
        boards.map((b) =>
          toBsonDates({ _id: b._id, snapshotId: b.snapshot._id, asOf: b.snapshot.asOf, history: b.kept }),
        ),
      );
      // The next job's `currentMany` finds them in memory instead of reading them back (a copy: the
      // publisher's objects stay its own to use, unfrozen).
      for (const b of boards) cached.set(b.snapshot._id, deepFreeze(structuredClone(b.snapshot)));
    },
    /** One snapshot: `publishMany` of one board. */
    async publish(snapshot: RankingSnapshot, keep = SNAPSHOTS_KEPT): Promise<void> {
      await this.publishMany([snapshot], keep);
    },
    /**
     * The current snapshot of each board (undefined where it has none yet), in the order given: one
     * multi-key read of the pointers, then `snapshot()` of each (from memory once read).
     */
    async currentMany(boards: readonly BoardRef[]): Promise<(RankingSnapshot | undefined)[]> {
      const pointers = await readPointers(boards.map((b) => pointerId(b.window, b.category)));
      return Promise.all(
        boards.map((b) => {
          const snapshotId = pointers.get(pointerId(b.window, b.category))?.snapshotId;
          return snapshotId === undefined ? undefined : this.snapshot(snapshotId);
        }),
      );
    },
    /** The current snapshot of a board: the pointer, read now, then `snapshot()` (frozen, shared). */
    async current(window: Window, category: string): Promise<RankingSnapshot | undefined> {
      const snapshotId = await this.currentId(window, category);
      return snapshotId === undefined ? undefined : this.snapshot(snapshotId);
    },
    /** The id of a board's current snapshot: one `_id` read of its pointer document. */
    async currentId(window: Window, category: string): Promise<string | undefined> {
      return (await readPointer(pointerId(window, category)))?.snapshotId;
    },
    /**
     * A snapshot from this process's memory once read (use `get` to learn whether it is still kept). Every
     * caller gets the same deeply frozen object, not a copy: none of them changes a snapshot (they slice,
     * copy before sorting, and build new objects), and a change would throw rather than leak into the
     * next request's answer.
     */
    async snapshot(snapshotId: string): Promise<RankingSnapshot | undefined> {
      return cached.fetch(snapshotId);
    },
    get: readSnapshot,
    /** Snapshot ids and times for one board, newest first (one `_id` read of its pointer). */
    async history(
      window: Window,
      category: string,
      limit = SNAPSHOTS_KEPT,
    ): Promise<{ _id: string; asOf: string }[]> {
      return historyOf(await readPointer(pointerId(window, category))).slice(0, limit);
    },
    /**
     * Deletes snapshots no board lists that are older than `olderThan`: left by two publishers racing on
     * one board (the later history write forgets the other's snapshot). One scan of each collection, so
     * the periodic re-score calls it once per job; the grace period spares a snapshot being published.
     */
    async sweep(olderThan: Date): Promise<number> {
      const pointers = toIsoDates((await RankingPointer.find({}).lean()) as StoredPointer[]);
      const listed = new Set(pointers.flatMap((p) => historyOf(p).map((h) => h._id)));
      const cutoff = olderThan.toISOString();
      const all = toIsoDates(
        (await Ranking.find({}, { _id: 1, asOf: 1 }).lean()) as { _id: string; asOf: string }[],
      );
      const orphans = all.filter((r) => !listed.has(r._id) && r.asOf < cutoff).map((r) => r._id);
      await Promise.all(orphans.map((id) => Ranking.deleteOne({ _id: id })));
      return orphans.length;
    },
  };
}
export type RankingsRepository = ReturnType<typeof rankingsRepository>;

// The queries above besides `_id` reads, and the index each relies on (checked by queries.test.ts).
declareQuery({
  name: 'rankings.sweep(olderThan): the boards',
  collection: 'rankingpointers',
  index: { scan: 'one document per board; once per periodic re-score' },
});
declareQuery({
  name: 'rankings.sweep(olderThan): the snapshots',
  collection: 'rankings',
  range: ['asOf'],
  index: {
    scan: 'ids and times of every snapshot, once per periodic re-score (no index is cheaper to keep)',
  },
});
