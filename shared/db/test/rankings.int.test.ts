// Ranking snapshots are written once and switched by a pointer: `current()` sees a switch at once and
// hands every caller the same frozen snapshot (no per-request copy), while `get()` reads a fresh one. A
// board's history lives in its pointer document: publishing trims it with `_id` deletes (no scan of the
// large snapshot documents), a crash at any step leaves no snapshot unlisted, and `sweep` collects what
// two racing publishers leave behind.

import { gunzipSync } from 'node:zlib';
import type { RankingSnapshot, Window } from '@paperwire/core';
import { createLogger } from '@paperwire/platform';
import { type Binary, type Collection, MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rankingSnapshot } from '../../../test/support/rankings.ts';
import { testMongoUri } from '../../../test/support/services.ts';
import { connectDatabase, type Database } from '../src/index.ts';
import { trimHistory } from '../src/repositories/rankings.ts';

const log = createLogger({ service: 'test', level: 'warn' });
const uri = testMongoUri('db-rankings');
let db: Database;
let client: MongoClient;
// The collections themselves, for the crash states and the scan the repository avoids.
let snapshots: Collection<Record<string, unknown>>;
let pointers: Collection<Record<string, unknown>>;

beforeAll(async () => {
  db = await connectDatabase(uri, log);
  client = await new MongoClient(uri).connect();
  snapshots = client.db().collection('rankings');
  pointers = client.db().collection('rankingpointers');
});
afterAll(async () => {
  await db?.close();
  await client?.close();
});

const T0 = Date.parse('2026-11-28T00:00:00.000Z');
const board = (window: Window, category: string, minute: number, ids = ['p1', 'p2']): RankingSnapshot =>
  rankingSnapshot(window, category, new Date(T0 + minute * 60_000).toISOString(), ids);

/** Every snapshot document of a board, straight from the collection (the scan the repository avoids). */
async function storedIds(window: Window, category: string): Promise<string[]> {
  const docs = await snapshots.find({ window, category }, { projection: { _id: 1 } }).toArray();
  return docs.map((d) => String(d._id)).sort();
}

describe('trimHistory (pure)', () => {
  const e = (id: string, minute: number) => ({ _id: id, asOf: new Date(T0 + minute * 60_000).toISOString() });

  it('keeps the newest, each id once, and drops the rest', () => {
    const { kept, dropped } = trimHistory([e('c', 3), e('a', 1), e('b', 2), e('c', 3), e('d', 0)], 2, 'c');
    expect(kept.map((x) => x._id)).toEqual(['c', 'b']);
    expect(dropped).toEqual(['a', 'd']);
  });

  it('never drops the current snapshot, and keeps at least two', () => {
    const { kept, dropped } = trimHistory([e('new', 1), e('cur', 5), e('old', 0)], 1, 'old');
    expect(kept.map((x) => x._id)).toEqual(['cur', 'new', 'old']);
    expect(dropped).toEqual([]);
  });
});

describe('ranking history in the pointer', () => {
  it('publishing keeps the newest `keep` snapshots per board and deletes the others', async () => {
    for (let m = 0; m < 7; m++) await db.rankings.publish(board('24h', 'h.trim', m), 3);
    await db.rankings.publish(board('7d', 'h.trim', 0), 3);
    const history = await db.rankings.history('24h', 'h.trim');
    expect(history.map((h) => h._id)).toEqual([6, 5, 4].map((m) => board('24h', 'h.trim', m)._id));
    expect(await storedIds('24h', 'h.trim')).toEqual(history.map((h) => h._id).sort());
    // Another board of the same category is its own history.
    expect(await storedIds('7d', 'h.trim')).toEqual([board('7d', 'h.trim', 0)._id]);
    expect((await db.rankings.current('24h', 'h.trim'))?._id).toBe(board('24h', 'h.trim', 6)._id);
    expect(await db.rankings.history('24h', 'h.trim', 2)).toEqual(history.slice(0, 2));
  });

  it('publishMany publishes several boards at once, each trimmed on its own, and refuses one board twice', async () => {
    const boards = [
      ['24h', 'h.many'],
      ['7d', 'h.many'],
      ['24h', 'h.many2'],
    ] as const;
    for (let m = 0; m < 4; m++)
      await db.rankings.publishMany(
        boards.map(([w, c]) => board(w, c, m)),
        2,
      );
    for (const [w, c] of boards) {
      expect((await db.rankings.history(w, c)).map((h) => h._id)).toEqual(
        [3, 2].map((m) => board(w, c, m)._id),
      );
      expect(await storedIds(w, c)).toEqual([3, 2].map((m) => board(w, c, m)._id).sort());
    }
    const current = await db.rankings.currentMany([
      { window: '7d', category: 'h.many' },
      { window: '30d', category: 'h.many' },
      { window: '24h', category: 'h.many2' },
    ]);
    expect(current.map((s) => s?._id)).toEqual([
      board('7d', 'h.many', 3)._id,
      undefined,
      board('24h', 'h.many2', 3)._id,
    ]);
    await expect(
      db.rankings.publishMany([board('30d', 'h.many', 5), board('30d', 'h.many', 6)]),
    ).rejects.toThrow('one board twice');
    expect(await db.rankings.currentId('30d', 'h.many')).toBeUndefined();
    // A retry that finds its snapshot written already (a crash after the write) replaces it.
    const retried = board('30d', 'h.many', 7);
    await snapshots.insertOne({ ...retried, entries: [], constants: [] } as never);
    await db.rankings.publishMany([retried]);
    expect(await db.rankings.get(retried._id)).toEqual(retried);
    expect(await db.rankings.currentId('30d', 'h.many')).toBe(retried._id);
  });

  it('a crash before the snapshot is written leaves it listed, so the next publishes delete it', async () => {
    for (let m = 0; m < 2; m++) await db.rankings.publish(board('24h', 'h.crash', m), 2);
    // The crash, after publish's first steps: the snapshot that fell out was deleted and the history
    // lists the new one, but the pointer still names the old current one (the new document may exist).
    const lost = board('24h', 'h.crash', 2);
    const current = board('24h', 'h.crash', 1);
    await snapshots.deleteOne({ _id: board('24h', 'h.crash', 0)._id } as never);
    await pointers.replaceOne({ _id: '24h.h.crash' } as never, {
      _id: '24h.h.crash',
      snapshotId: current._id,
      asOf: current.asOf,
      history: [lost, current].map((s) => ({ _id: s._id, asOf: s.asOf })),
    });
    await snapshots.insertOne({ ...lost, entries: [], constants: [] } as never);
    expect((await db.rankings.current('24h', 'h.crash'))?._id).toBe(current._id);
    for (let m = 3; m < 6; m++) await db.rankings.publish(board('24h', 'h.crash', m), 2);
    expect(await storedIds('24h', 'h.crash')).toEqual(
      [5, 4].map((m) => board('24h', 'h.crash', m)._id).sort(),
    );
  });

  it('reads a pointer written before histories were kept as a history of its current snapshot', async () => {
    const old = board('30d', 'h.legacy', 0);
    await snapshots.insertOne({ ...old, entries: [], constants: [] } as never);
    await pointers.insertOne({
      _id: '30d.h.legacy',
      snapshotId: old._id,
      asOf: old.asOf,
    } as never);
    expect(await db.rankings.history('30d', 'h.legacy')).toEqual([{ _id: old._id, asOf: old.asOf }]);
    await db.rankings.publish(board('30d', 'h.legacy', 1), 2);
    await db.rankings.publish(board('30d', 'h.legacy', 2), 2);
    expect(await storedIds('30d', 'h.legacy')).toEqual(
      [2, 1].map((m) => board('30d', 'h.legacy', m)._id).sort(),
    );
  });

  it('sweep deletes unlisted snapshots older than the grace period, and nothing listed', async () => {
    for (let m = 0; m < 3; m++) await db.rankings.publish(board('7d', 'h.sweep', m), 5);
    // Two publishers raced: the loser's snapshot was written, but the winner's history does not list it.
    const orphanOld = board('7d', 'h.sweep', 1.5);
    const orphanNew = board('7d', 'h.sweep', 90);
    for (const s of [orphanOld, orphanNew])
      await snapshots.insertOne({ ...s, entries: [], constants: [] } as never);
    const swept = await db.rankings.sweep(new Date(T0 + 60 * 60_000));
    expect(swept).toBeGreaterThanOrEqual(1);
    const left = await storedIds('7d', 'h.sweep');
    expect(left).not.toContain(orphanOld._id);
    expect(left).toContain(orphanNew._id);
    for (const h of await db.rankings.history('7d', 'h.sweep')) expect(left).toContain(h._id);
    expect(await db.rankings.sweep(new Date(T0 + 60 * 60_000))).toBe(0);
  });
});

describe('current snapshots', () => {
  it('current(): the pointer read each time, the snapshot shared and frozen all the way down', async () => {
    const first = board('24h', 'cs.AI', 0, ['x1', 'x2']);
    await db.rankings.publish(first);
    expect(await db.rankings.currentId('24h', 'cs.AI')).toBe(first._id);
    const a = await db.rankings.current('24h', 'cs.AI');
    const b = await db.rankings.current('24h', 'cs.AI');
    expect(a).toEqual(first);
    expect(b).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(Object.isFrozen(a!.entries)).toBe(true);
    expect(Object.isFrozen(a!.entries[0]!.breakdown)).toBe(true);
    expect(Object.isFrozen(a!.constants)).toBe(true);
    // ESM is strict mode: a caller changing it throws instead of changing the next caller's answer.
    expect(() => {
      a!.entries[0]!.score = 0;
    }).toThrow(TypeError);
    expect(() => a!.entries.sort((p, q) => q.rank - p.rank)).toThrow(TypeError);
    // get() is a fresh read, the caller's own.
    const fresh = await db.rankings.get(first._id);
    expect(fresh).toEqual(first);
    expect(Object.isFrozen(fresh)).toBe(false);

    const second = board('24h', 'cs.AI', 15, ['x2', 'x1']);
    await db.rankings.publish(second);
    expect((await db.rankings.current('24h', 'cs.AI'))?._id).toBe(second._id);
  });

  it('stores the entries as one compressed value and reads them back as published, old documents too', async () => {
    const snapshot = board('7d', 'cs.RO', 400, ['p1', 'p2', 'p3']);
    await db.rankings.publish(snapshot);
    const stored = await snapshots.findOne({ _id: snapshot._id as never });
    expect(stored?.entries).toBeUndefined();
    expect(stored?.entryCount).toBe(3);
    expect(gunzipSync((stored!.entriesGz as Binary).buffer).toString('utf8')).toBe(
      JSON.stringify(snapshot.entries),
    );
    expect(await db.rankings.get(snapshot._id)).toEqual(snapshot);

    // A snapshot an earlier version wrote: entries as documents, breakdowns as { name, value } pairs.
    const old = board('7d', 'cs.RO', 300, ['p9']);
    await snapshots.insertOne({
      ...old,
      asOf: new Date(old.asOf),
      constants: [{ name: 'huggingface.upvotes', value: 1 }],
      entries: old.entries.map((e) => ({
        ...e,
        breakdown: [{ name: 'huggingface.upvotes.velocity', value: 100 }],
      })),
    } as never);
    expect(await db.rankings.get(old._id)).toEqual(old);
  });

  it('knows no board that was never published', async () => {
    expect(await db.rankings.currentId('30d', 'cs.AI')).toBeUndefined();
    expect(await db.rankings.current('30d', 'cs.AI')).toBeUndefined();
    expect(await db.rankings.snapshot('30d.cs.AI.0')).toBeUndefined();
  });
});
