import { describe, expect, it } from 'vitest';
import { SIGNAL_NAMES } from '../types.ts';
import {
  compactPoints,
  DEFAULT_COMPACTION_POLICY,
  gainOver,
  type SignalPoint,
  timed,
  valueAt,
  valueAtMs,
} from './signal-series.ts';
import { iso, NOW, randomSeries, rng } from './test-helpers.ts';
import { DAY_MS, HOUR_MS } from './windows.ts';

const T = (h: number) => new Date(NOW.getTime() + h * HOUR_MS);
const P = (h: number, signals: SignalPoint['signals']): SignalPoint => ({ at: iso(T(h).getTime()), signals });

describe('timed', () => {
  it('sorts by instant, drops unparseable points, and parses a series once (same frozen array back)', () => {
    const series = [
      { at: iso(NOW.getTime()), signals: { upvotes: 2 } },
      { at: 'not a date', signals: { upvotes: 9 } },
      { at: iso(NOW.getTime() - HOUR_MS), signals: { upvotes: 1 } },
    ];
    const first = timed(series);
    expect(first.map((p) => p.point.signals.upvotes)).toEqual([1, 2]);
    expect(timed(series)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    // Another array (a series with a point appended is a new one) is parsed anew.
    const appended = [...series, { at: iso(NOW.getTime() + HOUR_MS), signals: { upvotes: 3 } }];
    expect(timed(appended).map((p) => p.point.signals.upvotes)).toEqual([1, 2, 3]);
  });
});

describe('valueAt', () => {
  const series = [
    P(-10, { upvotes: 5, comments: 1 }),
    P(-5, { upvotes: 9 }),
    P(-1, { upvotes: 7, comments: 3 }),
  ];
  it.each([
    ['before the first point', -11, 'upvotes', undefined],
    ['at a point', -10, 'upvotes', 5],
    ['between points', -6, 'upvotes', 5],
    ['a decrease is reported as is', 0, 'upvotes', 7],
    ['a point omitting the signal is skipped', -4, 'comments', 1],
    ['a signal never reported', 0, 'stars', undefined],
  ] as const)('%s', (_name, h, signal, expected) => {
    expect(valueAt(series, signal, T(h))).toBe(expected);
  });

  it('does not depend on input order; equal instants: the later point in the array wins', () => {
    expect(valueAt([...series].reverse(), 'upvotes', T(0))).toBe(7);
    expect(valueAt([P(-1, { upvotes: 1 }), P(-1, { upvotes: 2 })], 'upvotes', T(0))).toBe(2);
  });

  it('ignores unparseable instants and non-finite values', () => {
    const bad = [
      P(-2, { upvotes: 4 }),
      { at: 'yesterday', signals: { upvotes: 99 } },
      P(-1, { upvotes: Number.NaN }),
    ];
    expect(valueAt(bad, 'upvotes', T(0))).toBe(4);
  });
});

describe('gainOver', () => {
  const series = [
    P(-30, { points: 10 }),
    P(-20, { points: 50 }),
    P(-2, { points: 40 }),
    P(-1, { points: 45 }),
  ];
  it.each([
    ['gain across the window', -25, 0, 35],
    ['net decrease clamps at 0', -10, 0, 0],
    ['no point before `from`: baseline 0', -40, 0, 45],
    ['empty range', 0, 0, 0],
    ['reversed range', 0, -10, 0],
  ] as const)('%s', (_name, from, to, expected) => {
    expect(gainOver(series, 'points', T(from), T(to))).toBe(expected);
  });
  it('is 0 for a signal never reported', () => {
    expect(gainOver(series, 'comments', T(-40), T(0))).toBe(0);
  });
});

describe('compactPoints', () => {
  const hourly = (fromH: number, toH: number) =>
    Array.from({ length: (toH - fromH) * 4 }, (_, i) => P(fromH + i / 4, { upvotes: i, comments: i % 7 }));

  it('keeps every point of the last 48h and one per hour, day, week beyond', () => {
    const points = hourly(-200 * 24, 0); // every 15 minutes for 200 days
    const out = compactPoints(points, NOW);
    const ages = out.map((p) => NOW.getTime() - Date.parse(p.at));
    expect(ages.filter((a) => a <= 48 * HOUR_MS)).toHaveLength(48 * 4);
    const buckets = (lo: number, hi: number, size: number) => {
      const inRange = out.filter((_, i) => ages[i]! > lo && ages[i]! <= hi);
      return {
        n: inRange.length,
        distinct: new Set(inRange.map((p) => Math.floor(Date.parse(p.at) / size))).size,
      };
    };
    const hours = buckets(50 * HOUR_MS, 7 * DAY_MS - HOUR_MS, HOUR_MS);
    expect(hours.n).toBe(hours.distinct);
    const days = buckets(8 * DAY_MS, 89 * DAY_MS, DAY_MS);
    expect(days.n).toBe(days.distinct);
    const weeks = buckets(98 * DAY_MS, 200 * DAY_MS, 7 * DAY_MS);
    expect(weeks.n).toBe(weeks.distinct);
    // A tier takes a bucket only once the whole bucket is old enough, so each boundary keeps up to one
    // coarse bucket's worth of finer points: 48h raw (+4), 5d hourly (+24), 83d daily (+7), 16 weeks.
    expect(out.length).toBeLessThanOrEqual(48 * 4 + 4 + 5 * 24 + 24 + 83 + 7 + 16);
    expect(out.at(-1)).toEqual(points.at(-1));
  });

  it('keeps the last point of a bucket and carries signals it omitted', () => {
    const base = Date.UTC(2026, 0, 10, 5); // an hour bucket, old enough for the hourly tier
    const points: SignalPoint[] = [
      { at: iso(base + 5 * 60_000), signals: { upvotes: 3, comments: 1 } },
      { at: iso(base + 40 * 60_000), signals: { upvotes: 8 } },
    ];
    const now = new Date(base + 3 * DAY_MS);
    expect(compactPoints(points, now)).toEqual([
      { at: iso(base + 40 * 60_000), signals: { upvotes: 8, comments: 1 } },
    ]);
  });

  it('rejects a policy whose buckets do not nest', () => {
    expect(() =>
      compactPoints([], NOW, [
        { minAgeMs: HOUR_MS, bucketMs: 2 * HOUR_MS },
        { minAgeMs: DAY_MS, bucketMs: 3 * HOUR_MS },
      ]),
    ).toThrow(RangeError);
    expect(() => compactPoints([], new Date(Number.NaN))).toThrow(RangeError);
  });

  it('property: values at every kept instant, current totals and the 24h gain are exact (600 cases)', {
    timeout: 120_000,
  }, () => {
    for (let seed = 1; seed <= 600; seed++) {
      const r = rng(seed);
      const points = randomSeries(r, NOW.getTime(), 200 * DAY_MS, 150);
      const out = compactPoints(points, NOW);
      const [before, after] = [timed(points), timed(out)];
      const from24h = new Date(NOW.getTime() - DAY_MS);
      for (const signal of SIGNAL_NAMES) {
        const wrong = after.filter((p) => valueAtMs(after, signal, p.t) !== valueAtMs(before, signal, p.t));
        expect(
          wrong.map((p) => p.point.at),
          `seed ${seed} ${signal}`,
        ).toEqual([]);
        expect(valueAt(out, signal, NOW), `seed ${seed}`).toBe(valueAt(points, signal, NOW));
        expect(gainOver(out, signal, from24h, NOW), `seed ${seed}`).toBe(
          gainOver(points, signal, from24h, NOW),
        );
      }
    }
  });

  it('property: deterministic, idempotent, and compacting twice equals compacting once later (600 cases)', {
    timeout: 120_000,
  }, () => {
    for (let seed = 1; seed <= 600; seed++) {
      const r = rng(seed);
      const points = randomSeries(r, NOW.getTime(), 200 * DAY_MS, 300);
      const t1 = NOW;
      const t2 = new Date(NOW.getTime() + r.int(0, 40 * 24) * HOUR_MS + r.int(0, 3_599_999));
      const once = compactPoints(points, t1, DEFAULT_COMPACTION_POLICY);
      expect(compactPoints([...points].reverse(), t1), `seed ${seed}`).toEqual(once);
      expect(compactPoints(once, t1), `seed ${seed}`).toEqual(once);
      expect(compactPoints(once, t2), `seed ${seed}`).toEqual(compactPoints(points, t2));
    }
  });
});
