import { describe, expect, it } from 'vitest';
import { rankingChanges, sameOrder } from './changes.ts';
import { bareRow, type RankedPaper } from './row.ts';
import { rng } from './test-helpers.ts';

/** A ranking from paper ids in rank order. */
const board = (...ids: string[]): RankedPaper[] =>
  ids.map((paperId, i) => ({
    ...bareRow(paperId, '', '2026-01-01T00:00:00.000Z'),
    rank: i + 1,
    score: 100 - i,
    breakdown: {},
    title: `T ${paperId}`,
  }));

describe('rankingChanges', () => {
  it.each([
    ['no previous ranking: the whole top N entered', undefined, board('a', 'b', 'c'), 2, ['a', 'b'], [], []],
    ['same ranking: nothing changed', board('a', 'b', 'c'), board('a', 'b', 'c'), 3, [], [], []],
    ['swap inside the top', board('a', 'b', 'c'), board('b', 'a', 'c'), 3, [], [], ['b:2>1', 'a:1>2']],
    ['a newcomer pushes the last one out', board('a', 'b'), board('x', 'a', 'b'), 2, ['x'], ['b'], ['a:1>2']],
    ['movement below the top is not reported', board('a', 'b', 'c'), board('a', 'c', 'b'), 1, [], [], []],
    ['empty current ranking: everyone left', board('a', 'b'), [], 5, [], ['a', 'b'], []],
    ['topN 0: nothing is in the top', board('a'), board('b'), 0, [], [], []],
  ])('%s', (_name, previous, current, topN, entered, left, moved) => {
    const c = rankingChanges(previous, current, topN);
    expect(c.entered.map((e) => e.paperId)).toEqual(entered);
    expect(c.left.map((e) => e.paperId)).toEqual(left);
    expect(c.moved.map((m) => `${m.paperId}:${m.from}>${m.to}`)).toEqual(moved);
  });

  it('says where an entering or leaving paper was or went when it is ranked outside the top', () => {
    const c = rankingChanges(board('a', 'b', 'c', 'd'), board('c', 'a', 'b', 'd'), 2);
    expect(c.entered).toEqual([{ paperId: 'c', title: 'T c', rank: 1, from: 3 }]);
    expect(c.left).toEqual([{ paperId: 'b', title: 'T b', rank: 2, to: 3 }]);
    expect(c.moved).toEqual([{ paperId: 'a', from: 1, to: 2 }]);
    // Absent, not undefined-valued: the document is stored as-is and FerretDB/MongoDB would keep a null.
    const fresh = rankingChanges(board('a'), board('z'), 1);
    expect(Object.keys(fresh.entered[0]!)).toEqual(['paperId', 'title', 'rank']);
    expect(Object.keys(fresh.left[0]!)).toEqual(['paperId', 'title', 'rank']);
  });

  it('reads ranks from the entries, not their positions, and ignores a duplicate id', () => {
    const current = [...board('b', 'a').reverse(), { ...board('a')[0]!, rank: 9 }];
    expect(rankingChanges(board('a', 'b'), current, 2).moved).toEqual([
      { paperId: 'b', from: 2, to: 1 },
      { paperId: 'a', from: 1, to: 2 },
    ]);
  });

  it.each([1, 2, 3, 4, 5])(
    'property: applying the changes to the previous top N gives the current one (seed %i)',
    (seed) => {
      const r = rng(seed);
      const pool = Array.from({ length: 30 }, (_, i) => `p${i}`);
      const pick = () => pool.filter(() => r.chance(0.6)).sort(() => r.next() - 0.5);
      for (let round = 0; round < 50; round++) {
        const prev = board(...pick());
        const cur = board(...pick());
        const topN = r.int(0, 25);
        const c = rankingChanges(prev, cur, topN);
        const top = (b: RankedPaper[]) =>
          new Map(b.filter((e) => e.rank <= topN).map((e) => [e.paperId, e.rank]));
        const rebuilt = top(prev);
        for (const l of c.left) rebuilt.delete(l.paperId);
        for (const m of c.moved) rebuilt.set(m.paperId, m.to);
        for (const e of c.entered) rebuilt.set(e.paperId, e.rank);
        expect(rebuilt).toEqual(top(cur));
        // Every paper appears at most once across the three lists.
        const ids = [...c.entered, ...c.left, ...c.moved].map((x) => x.paperId);
        expect(new Set(ids).size).toBe(ids.length);
      }
    },
  );
});

describe('sameOrder', () => {
  const ids = (b: RankedPaper[]) => b.map((e) => ({ paperId: e.paperId }));
  it.each([
    ['no previous ranking: a new board', undefined, board('a'), false],
    ['no previous ranking, nothing ranked: still a new board', undefined, [], false],
    ['both empty', [], [], true],
    ['same papers, same order', board('a', 'b', 'c'), board('a', 'b', 'c'), true],
    ['a swap', board('a', 'b', 'c'), board('a', 'c', 'b'), false],
    ['one more at the end', board('a', 'b'), board('a', 'b', 'c'), false],
    ['one fewer at the end', board('a', 'b', 'c'), board('a', 'b'), false],
    ['one paper replaced by another', board('a', 'b', 'c'), board('a', 'x', 'c'), false],
    ['everyone left', board('a'), [], false],
  ])('%s → %s', (_name, previous, current, same) => {
    expect(sameOrder(previous, current)).toBe(same);
  });

  it('compares paper ids only: other scores, ranks and rows are still the same order', () => {
    const before = board('a', 'b');
    const after = board('a', 'b').map((e) => ({ ...e, score: e.score / 2, title: 'renamed', rank: 7 }));
    expect(sameOrder(before, after)).toBe(true);
    expect(sameOrder(ids(before), ids(after))).toBe(true);
  });

  it.each([1, 2, 3])(
    'property: the same order exactly when rankingChanges sees no change at any depth (seed %i)',
    (seed) => {
      const r = rng(seed);
      const pool = ['a', 'b', 'c', 'd'];
      for (let round = 0; round < 200; round++) {
        const pick = () => pool.filter(() => r.chance(0.7)).sort(() => r.next() - 0.5);
        const prev = board(...pick());
        const cur = board(...pick());
        const c = rankingChanges(prev, cur, pool.length);
        const unchanged = c.entered.length + c.left.length + c.moved.length === 0;
        expect(sameOrder(prev, cur)).toBe(unchanged);
      }
    },
  );
});
