// Test-only helpers (not exported from index.ts): a seeded PRNG and random scoring inputs, so property
// tests are reproducible from the seed printed with a failure.

import { mulberry32 } from '../../../../test/support/random.ts';
import { SIGNAL_NAMES, type SignalName, type Signals, SOURCES, type Source } from '../types.ts';
import type { ScoreInput, SourceSeries } from './score.ts';
import type { SignalPoint } from './signal-series.ts';
import { DAY_MS, HOUR_MS } from './windows.ts';

export { mulberry32 };

export interface Rng {
  next(): number;
  /** Integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(xs: readonly T[]): T;
  chance(p: number): boolean;
}

export function rng(seed: number): Rng {
  const next = mulberry32(seed);
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (xs) => xs[Math.floor(next() * xs.length)]!,
    chance: (p) => next() < p,
  };
}

export const NOW = new Date('2026-03-15T12:00:00.000Z');
export const iso = (ms: number) => new Date(ms).toISOString();

/**
 * A counter series over `spanMs` before `nowMs`: mostly rising integers, sometimes falling (Reddit score
 * fuzz, removed stars), sometimes a signal missing from a point.
 */
export function randomSeries(r: Rng, nowMs: number, spanMs = 40 * DAY_MS, maxPoints = 30): SignalPoint[] {
  const signals = SIGNAL_NAMES.filter(() => r.chance(0.5));
  const values = new Map<SignalName, number>(signals.map((s) => [s, r.int(0, 50)]));
  const times = Array.from({ length: r.int(0, maxPoints) }, () => nowMs - Math.floor(r.next() * spanMs));
  if (r.chance(0.1)) times.push(nowMs + r.int(1, 3) * HOUR_MS); // a point after `now` must be ignored
  times.sort((a, b) => a - b);
  return times.map((t) => {
    const point: Signals = {};
    for (const s of signals) {
      const v = values.get(s)! + (r.chance(0.15) ? -r.int(0, 20) : r.int(0, 200));
      values.set(s, v);
      if (!r.chance(0.1)) point[s] = v;
    }
    return { at: iso(t), signals: point };
  });
}

export function randomInput(
  r: Rng,
  nowMs: number,
  paperId = `arxiv:${r.int(1000, 9999)}.${r.int(10000, 99999)}`,
): ScoreInput {
  const sources: SourceSeries[] = SOURCES.filter(() => r.chance(0.5)).map((source: Source) => ({
    source,
    feeds: r.int(0, 4),
    series: randomSeries(r, nowMs),
  }));
  const input: ScoreInput = {
    paperId,
    title: `Paper ${paperId}`,
    firstSeenAt: iso(nowMs - Math.floor(r.next() * 45 * DAY_MS) + (r.chance(0.05) ? 2 * HOUR_MS : 0)),
    sources,
  };
  if (r.chance(0.8)) input.primaryCategory = r.pick(['cs.LG', 'cs.CL', 'cs.CV', 'math.OC', 'q-bio.NC']);
  return input;
}
