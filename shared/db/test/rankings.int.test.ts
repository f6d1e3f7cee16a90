// Ranking snapshots are written once and switched by a pointer: `current()` sees a switch at once and
// hands every caller the same frozen snapshot (no per-request copy), while `get()` reads a fresh one.
import type { RankingSnapshot } from '@paperwire/core';
import { createLogger } from '@paperwire/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMongoUri } from '../../../test/support/services.ts';
import { connectDatabase, type Database } from '../src/index.ts';

const log = createLogger({ service: 'test', level: 'warn' });
let db: Database;

beforeAll(async () => {
  db = await connectDatabase(testMongoUri('db-rankings'), log);
});
afterAll(async () => {
  await db?.close();
});

const board = (asOf: string, ids: string[]): RankingSnapshot => ({
  _id: `24h.cs.AI.${Date.parse(asOf)}`,
  window: '24h',
  category: 'cs.AI',
  asOf,
  scoreVersion: 'pw-trend-1',
  constants: { 'huggingface.upvotes': 1 },
  entries: ids.map((paperId, i) => ({
    paperId,
    rank: i + 1,
    score: 10 - i,
    breakdown: { 'huggingface.upvotes.velocity': 10 - i },
    title: `Paper ${paperId}`,
  })),
});

describe('rankings', () => {
  it('current(): the pointer read each time, the snapshot shared and frozen all the way down', async () => {
    const first = board('2026-11-28T10:00:00.000Z', ['x1', 'x2']);
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

    const second = board('2026-11-28T10:15:00.000Z', ['x2', 'x1']);
    await db.rankings.publish(second);
    expect((await db.rankings.current('24h', 'cs.AI'))?._id).toBe(second._id);
  });

  it('knows no board that was never published', async () => {
    expect(await db.rankings.currentId('30d', 'cs.AI')).toBeUndefined();
    expect(await db.rankings.current('30d', 'cs.AI')).toBeUndefined();
    expect(await db.rankings.snapshot('30d.cs.AI.0')).toBeUndefined();
  });
});
