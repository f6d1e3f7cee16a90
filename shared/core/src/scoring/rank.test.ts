import { describe, expect, it } from 'vitest';
import { WINDOWS } from '../types.ts';
import {
  boardCategoriesOf,
  categoryScales,
  isActive,
  rankBoards,
  rankByCategory,
  rankWindow,
  UNCATEGORISED,
} from './rank.ts';
import { bareRow } from './row.ts';
import { DEFAULT_SCORE_CONSTANTS, type ScoreInput, sumContributions } from './score.ts';
import type { SignalPoint } from './signal-series.ts';
import { iso, NOW, randomInput, rng } from './test-helpers.ts';
import { DAY_MS, HOUR_MS } from './windows.ts';

const C = DEFAULT_SCORE_CONSTANTS;
const nowMs = NOW.getTime();
const ago = (hours: number) => iso(nowMs - hours * HOUR_MS);
const hf = (points: [hoursAgo: number, upvotes: number][]): ScoreInput['sources'] => [
  {
    source: 'huggingface',
    feeds: 1,
    series: points.map(([h, upvotes]) => ({ at: ago(h), signals: { upvotes } })),
  },
];
const paper = (paperId: string, over: Partial<ScoreInput> = {}): ScoreInput => ({
  paperId,
  title: paperId,
  firstSeenAt: ago(1),
  sources: [],
  ...over,
});
const shuffle = <T>(xs: readonly T[], seed: number) => {
  const r = rng(seed);
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = r.int(0, i);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
};

describe('isActive', () => {
  it.each([
    ['first seen inside the window', paper('a', { firstSeenAt: ago(23) }), true],
    ['first seen after now (clock skew)', paper('a', { firstSeenAt: ago(-1) }), true],
    [
      'old, with a gain inside the window',
      paper('a', {
        firstSeenAt: ago(500),
        sources: hf([
          [30, 5],
          [2, 9],
        ]),
      }),
      true,
    ],
    [
      'old, gains only before the window',
      paper('a', {
        firstSeenAt: ago(500),
        sources: hf([
          [90, 5],
          [30, 9],
        ]),
      }),
      false,
    ],
    [
      'old, only a decrease inside the window',
      paper('a', {
        firstSeenAt: ago(500),
        sources: hf([
          [30, 9],
          [2, 4],
        ]),
      }),
      false,
    ],
    ['old, no signals', paper('a', { firstSeenAt: ago(25) }), false],
  ])('24h: %s', (_name, input, expected) => {
    expect(isActive(input, '24h', NOW)).toBe(expected);
  });
});

describe('rankWindow', () => {
  it('ranks active papers by score, then newer first, then paperId; ranks from 1; honours limit and category', () => {
    const inputs = [
      paper('c', { primaryCategory: 'cs.LG' }),
      paper('b', { primaryCategory: 'cs.LG' }),
      paper('d', { firstSeenAt: ago(0.5), primaryCategory: 'math.OC' }),
      paper('a', { sources: hf([[2, 50]]), primaryCategory: 'cs.CL' }),
      paper('old', { firstSeenAt: ago(100) }),
    ];
    const ranked = rankWindow(inputs, { window: '24h', now: NOW, constants: C, limit: 10 });
    expect(ranked.map((p) => [p.rank, p.paperId])).toEqual([
      [1, 'a'],
      [2, 'd'],
      [3, 'b'],
      [4, 'c'],
    ]);
    expect(ranked[0]).toMatchObject({
      title: 'a',
      primaryCategory: 'cs.CL',
      breakdown: { categoryScale: 1 },
    });
    expect(
      rankWindow(inputs, { window: '24h', now: NOW, constants: C, limit: 2 }).map((p) => p.paperId),
    ).toEqual(['a', 'd']);
    expect(
      rankWindow(inputs, { window: '24h', now: NOW, constants: C, limit: 10, category: 'cs.LG' }).map(
        (p) => p.rank,
      ),
    ).toEqual([1, 2]);
    expect(rankWindow(inputs, { window: '24h', now: NOW, constants: C, limit: 0 })).toEqual([]);
  });

  it('property: deterministic whatever the input order; breakdowns sum to scores (500 cases)', {
    timeout: 120_000,
  }, () => {
    for (let seed = 1; seed <= 500; seed++) {
      const r = rng(seed);
      const inputs = Array.from({ length: r.int(0, 25) }, (_, i) =>
        randomInput(r, nowMs, `p${r.int(0, 9)}-${i}`),
      );
      const opts = {
        window: r.pick(WINDOWS),
        now: NOW,
        constants: C,
        limit: r.int(1, 30),
        normaliseCategories: r.chance(0.5),
      };
      const ranked = rankWindow(inputs, opts);
      expect(rankWindow(shuffle(inputs, seed), opts), `seed ${seed}`).toEqual(ranked);
      for (const [i, p] of ranked.entries()) {
        expect(p.rank).toBe(i + 1);
        expect(sumContributions(p.breakdown), `seed ${seed} ${p.paperId}`).toBe(p.score);
        if (i > 0) expect(ranked[i - 1]!.score).toBeGreaterThanOrEqual(p.score);
      }
    }
  });

  it('property: rankBoards gives what rankWindow (normalised) and rankByCategory give apart (300 cases)', {
    timeout: 120_000,
  }, () => {
    for (let seed = 1; seed <= 300; seed++) {
      const r = rng(seed);
      const inputs = Array.from({ length: r.int(0, 30) }, (_, i) =>
        randomInput(r, nowMs, `p${r.int(0, 9)}-${i}`),
      );
      const opts = { window: r.pick(WINDOWS), now: NOW, constants: C, limit: r.int(1, 30) };
      const categories = [...new Set(inputs.flatMap((i) => boardCategoriesOf(i)))];
      const only = r.chance(0.5) ? new Set(categories.filter(() => r.chance(0.5))) : undefined;
      const boards = rankBoards(inputs, opts, only);
      expect(boards.overall, `seed ${seed}`).toEqual(
        rankWindow(inputs, { ...opts, normaliseCategories: true }),
      );
      expect(boards.categories, `seed ${seed}`).toEqual(rankByCategory(inputs, opts, only));
    }
  });

  it('property: with equal signals an older paper never ranks above a newer one (500 cases)', {
    timeout: 120_000,
  }, () => {
    let checked = 0;
    for (let seed = 1; seed <= 500; seed++) {
      const r = rng(seed);
      const twin = randomInput(r, nowMs);
      // Ids drawn at random, so the older twin often has the smaller id: paperId must not decide.
      const newer = { ...twin, paperId: `t${r.int(0, 99)}` };
      const older = {
        ...twin,
        paperId: `t${r.int(0, 99)}x`,
        firstSeenAt: iso(Date.parse(twin.firstSeenAt) - r.int(0, 10 * 24) * HOUR_MS - 1),
      };
      const noise = Array.from({ length: r.int(0, 10) }, (_, i) => randomInput(r, nowMs, `n${i}`));
      const ranked = rankWindow(shuffle([older, newer, ...noise], seed), {
        window: r.pick(WINDOWS),
        now: NOW,
        constants: C,
        limit: 100,
        normaliseCategories: r.chance(0.5),
      });
      const rankOf = (id: string) => ranked.find((p) => p.paperId === id)?.rank ?? Number.POSITIVE_INFINITY;
      // Absent (inactive) ranks as Infinity: an older twin on the board implies the newer one above it.
      if (rankOf(older.paperId) !== Number.POSITIVE_INFINITY) {
        expect(rankOf(older.paperId), `seed ${seed}`).toBeGreaterThan(rankOf(newer.paperId));
      }
      checked += rankOf(older.paperId) === Number.POSITIVE_INFINITY ? 0 : 1;
    }
    expect(checked).toBeGreaterThan(250); // most cases put both twins on the board
  });

  it('a fast-rising paper overtakes a stale high-total paper over a synthetic week, and stays ahead', () => {
    // Both first seen 10 days before the week (equal decay). Stale: 3000 upvotes, +2 a day.
    // Riser: 20 upvotes, then +60 a day. Hourly observations; boards computed at the end of each day.
    const weekStart = nowMs - 7 * DAY_MS;
    const firstSeenAt = iso(weekStart - 10 * DAY_MS);
    const series = (start: number, perDay: number, riseFrom: number): SignalPoint[] =>
      Array.from({ length: 17 * 24 + 1 }, (_, h) => {
        const t = weekStart - 10 * DAY_MS + h * HOUR_MS;
        const days = Math.max(0, t - riseFrom) / DAY_MS;
        return { at: iso(t), signals: { upvotes: Math.floor(start + perDay * days) } };
      });
    const stale = paper('stale', {
      firstSeenAt,
      sources: [{ source: 'huggingface', feeds: 1, series: series(3000, 2, 0) }],
    });
    const riser = paper('riser', {
      firstSeenAt,
      sources: [{ source: 'huggingface', feeds: 1, series: series(20, 60, weekStart) }],
    });

    for (const window of ['24h', '7d'] as const) {
      const leaders = Array.from({ length: 8 }, (_, day) => {
        const now = new Date(weekStart + day * DAY_MS);
        return rankWindow([stale, riser], { window, now, constants: C, limit: 2 })[0]?.paperId;
      });
      expect(leaders[0], window).toBe('stale'); // before the rise, totals decide
      expect(leaders[7], window).toBe('riser'); // after a week of momentum, velocity decides
      const overtakes = leaders.indexOf('riser');
      expect(
        leaders.slice(overtakes).every((id) => id === 'riser'),
        `${window}: ${leaders.join(',')}`,
      ).toBe(true);
    }
  });
});

describe('category normalisation', () => {
  // cs.LG: 30 papers with big HF numbers; math.OC: 6 papers with a tenth of the engagement.
  const board = (category: string, n: number, scale: number) =>
    Array.from({ length: n }, (_, i) =>
      paper(`${category}-${String(i).padStart(2, '0')}`, {
        primaryCategory: category,
        firstSeenAt: ago(6),
        sources: hf([
          [30, 0],
          [1, Math.round((scale * 400) / (i + 1))],
        ]),
      }),
    );
  const inputs = [...board('cs.LG', 30, 10), ...board('math.OC', 6, 1)];
  const opts = { window: '24h' as const, now: NOW, constants: C, limit: 50 };

  it('lets a small category top paper stand with the big category top', () => {
    const rankOf = (ranked: ReturnType<typeof rankWindow>, id: string) =>
      ranked.find((p) => p.paperId === id)!.rank;
    expect(rankOf(rankWindow(inputs, opts), 'math.OC-00')).toBeGreaterThan(10);
    const normalised = rankWindow(inputs, { ...opts, normaliseCategories: true });
    expect(rankOf(normalised, 'math.OC-00')).toBeLessThanOrEqual(2);
    const top = (id: string) => normalised.find((p) => p.paperId === id)!;
    expect(top('math.OC-00').score / top('cs.LG-00').score).toBeGreaterThan(0.9);
    expect(top('math.OC-00').score / top('cs.LG-00').score).toBeLessThan(1.1);
    expect(top('math.OC-00').breakdown.categoryScale).toBeLessThan(top('cs.LG-00').breakdown.categoryScale!);
    for (const p of normalised) expect(sumContributions(p.breakdown)).toBe(p.score);
  });

  it('is ignored for a single-category board', () => {
    const a = rankWindow(inputs, { ...opts, category: 'math.OC' });
    expect(rankWindow(inputs, { ...opts, category: 'math.OC', normaliseCategories: true })).toEqual(a);
  });

  it.each([
    ['a full category: mean of its top k', [['A', [10, 8, 6, 1]]], 2, { A: 9 }],
    [
      'a thin category borrows the overall top-k mean for missing slots',
      [
        ['A', [10, 8]],
        ['B', [2]],
      ],
      2,
      { A: 9, B: 5.5 },
    ],
    ['all zero: no normalisation', [['A', [0, 0]]], 2, { A: 1 }],
  ] as const)('categoryScales: %s', (_name, groups, k, expected) => {
    const scored = groups.flatMap(([category, scores]) => scores.map((score) => ({ category, score })));
    expect(Object.fromEntries(categoryScales(scored, k))).toEqual(expected);
  });
});

describe('rankByCategory', () => {
  it('gives each category (in code-unit order) the same board rankWindow gives it', () => {
    const r = rng(7);
    const inputs = Array.from({ length: 60 }, (_, i) => randomInput(r, nowMs, `p${i}`));
    const opts = { window: '30d' as const, now: NOW, constants: C, limit: 5 };
    const boards = rankByCategory(inputs, opts);
    expect([...boards.keys()]).toEqual([...boards.keys()].sort());
    expect(boards.has(UNCATEGORISED)).toBe(true);
    for (const [category, ranked] of boards) {
      expect(ranked).toEqual(rankWindow(inputs, { ...opts, category }));
    }
  });

  it.each([
    ['some boards', (all: string[]) => all.filter((_, i) => i % 2 === 0)],
    ['one board', (all: string[]) => all.slice(-1)],
    ['every board', (all: string[]) => all],
    ['none', () => []],
    ['a category no active paper is on', () => ['q-bio.NC-nowhere']],
  ])('with `only` (%s): just those boards, each the same as without it', (_name, choose) => {
    const r = rng(11);
    // A third cross-listed elsewhere: a paper on a wanted board may be on others too.
    const inputs = Array.from({ length: 60 }, (_, i) => {
      const input = randomInput(r, nowMs, `p${i}`);
      if (i % 3 !== 0) return input;
      const row = bareRow(input.paperId, input.title, input.firstSeenAt, input.primaryCategory);
      return { ...input, row: { ...row, categories: [...row.categories, r.pick(['cs.AI', 'stat.ML'])] } };
    });
    const opts = { window: '7d' as const, now: NOW, constants: C, limit: 5 };
    const all = rankByCategory(inputs, opts);
    const only = new Set(choose([...all.keys()]));
    const some = rankByCategory(inputs, opts, only);
    expect([...some.keys()]).toEqual([...all.keys()].filter((c) => only.has(c)));
    for (const [category, ranked] of some) expect(ranked).toEqual(all.get(category));
  });
});
