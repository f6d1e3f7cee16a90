import { describe, expect, it } from 'vitest';
import { SIGNAL_NAMES, SOURCES, WINDOWS } from '../types.ts';
import {
  BREAKDOWN_FACTORS,
  DEFAULT_SCORE_CONSTANTS,
  resolveScoreConstants,
  SCORE_VERSION,
  type ScoreInput,
  ScoreInputError,
  scorePaper,
  sumContributions,
  validateScoreConstants,
} from './score.ts';
import { type SignalPoint, valueAt } from './signal-series.ts';
import { iso, NOW, randomInput, rng } from './test-helpers.ts';
import { DAY_MS, HOUR_MS } from './windows.ts';

const C = DEFAULT_SCORE_CONSTANTS;
const nowMs = NOW.getTime();
const ago = (hours: number) => iso(nowMs - hours * HOUR_MS);
const paper = (over: Partial<ScoreInput> = {}): ScoreInput => ({
  paperId: 'arxiv:2603.01234',
  title: 'A paper',
  firstSeenAt: ago(0),
  sources: [],
  ...over,
});

describe('constants', () => {
  it('are versioned, valid, flat and momentum-first', () => {
    expect(SCORE_VERSION).toBe('pw-trend-1');
    expect(validateScoreConstants(C)).toEqual([]);
    const flat: Record<string, number> = C; // stored as RankingSnapshot.constants
    expect(Object.values(flat).every(Number.isFinite)).toBe(true);
    expect(C.velocityWeight).toBeGreaterThan(C.totalWeight);
  });

  it.each([
    ['negative weight', { 'reddit.score': -1 }, '"reddit.score" must be >= 0'],
    [
      'non-finite',
      { crossSourceBonus: Number.POSITIVE_INFINITY },
      '"crossSourceBonus" must be a finite number',
    ],
    ['not a number', { baseWeight: '1' }, '"baseWeight" must be a finite number'],
    ['zero half-life', { 'halfLifeHours.7d': 0 }, '"halfLifeHours.7d" must be > 0'],
    ['fractional top-k', { categoryTopK: 2.5 }, '"categoryTopK" must be an integer >= 1'],
    ['velocity below total', { velocityWeight: 0.5 }, '"velocityWeight" (0.5) must be >= "totalWeight" (1)'],
    ['typo', { 'huggingface.upvote': 1 }, 'unknown constant "huggingface.upvote"'],
  ])('rejects %s', (_name, override, message) => {
    const errors = validateScoreConstants({ ...C, ...override });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(message);
  });

  it('reports a missing key and resolves overrides over the defaults', () => {
    const { baseWeight: _omitted, ...rest } = C;
    expect(validateScoreConstants(rest)).toEqual(['scoring: constant "baseWeight" is missing']);
    expect(resolveScoreConstants({ baseWeight: 0.5 })).toEqual({
      ok: true,
      constants: { ...C, baseWeight: 0.5 },
    });
    expect(resolveScoreConstants({ totalWeight: 9 })).toMatchObject({ ok: false });
  });
});

describe('scorePaper', () => {
  it('gives a brand-new paper with no signals its base term, decaying with age only', () => {
    const fresh = scorePaper(paper(), '24h', NOW, C);
    expect(fresh.score).toBe(C.baseWeight);
    expect(fresh.breakdown).toMatchObject({ base: 1, crossSource: 0, feeds: 0, decay: 1, ageHours: 0 });
    const dayOld = scorePaper(paper({ firstSeenAt: ago(24) }), '24h', NOW, C);
    expect(dayOld.score).toBeCloseTo(0.5, 12);
    const seenAfterNow = scorePaper(paper({ firstSeenAt: ago(-3) }), '24h', NOW, C);
    expect(seenAfterNow).toEqual(fresh);
  });

  it('computes each component as documented', () => {
    const input = paper({
      firstSeenAt: ago(72),
      sources: [
        {
          source: 'huggingface',
          feeds: 1,
          series: [
            { at: ago(30), signals: { upvotes: 10 } },
            { at: ago(1), signals: { upvotes: 40, comments: 3 } },
          ],
        },
        { source: 'reddit', feeds: 2, series: [{ at: ago(2), signals: { score: -7, comments: 4 } }] },
        { source: 'arxiv', feeds: 2, series: [] },
      ],
    });
    const { score, breakdown } = scorePaper(input, '24h', NOW, C);
    const decay = 0.5 ** (72 / 24);
    expect(breakdown.decay).toBe(decay);
    expect(breakdown['huggingface.upvotes.velocity']).toBeCloseTo(1 * 2 * Math.log1p(30) * decay, 12);
    expect(breakdown['huggingface.upvotes.total']).toBeCloseTo(1 * 1 * Math.log1p(40) * decay, 12);
    expect(breakdown['huggingface.comments.velocity']).toBeCloseTo(0.5 * 2 * Math.log1p(3) * decay, 12);
    expect(breakdown['reddit.score.velocity']).toBe(0); // a negative score gains nothing…
    expect(breakdown['reddit.score.total']).toBe(0); // …and counts as 0, never as a negative log
    expect(breakdown['reddit.comments.total']).toBeCloseTo(0.2 * Math.log1p(4) * decay, 12);
    expect(breakdown.crossSource).toBeCloseTo(2 * 2 * decay, 12);
    expect(breakdown.feeds).toBeCloseTo(0.5 * Math.log1p(5) * decay, 12);
    expect(breakdown.base).toBeCloseTo(decay, 12);
    expect(score).toBe(sumContributions(breakdown));
  });

  it('throws a non-retryable ScoreInputError for an unparseable firstSeenAt', () => {
    expect(() => scorePaper(paper({ firstSeenAt: 'soon' }), '7d', NOW, C)).toThrow(ScoreInputError);
    expect(() => scorePaper(paper(), '7d', new Date(Number.NaN), C)).toThrow(/`now` is not a valid date/);
  });

  it('property: the additive breakdown sums to the score; score = decay × undecayed terms (600 cases)', () => {
    for (let seed = 1; seed <= 600; seed++) {
      const r = rng(seed);
      const window = r.pick(WINDOWS);
      const { score, breakdown } = scorePaper(randomInput(r, nowMs), window, NOW, C);
      const parts = Object.entries(breakdown).filter(([k]) => !BREAKDOWN_FACTORS.has(k));
      expect(
        parts.reduce((s, [, v]) => s + v, 0),
        `seed ${seed}`,
      ).toBe(score);
      expect(
        parts.every(([, v]) => Number.isFinite(v) && v >= 0),
        `seed ${seed}`,
      ).toBe(true);
      const undecayed = parts.reduce((s, [, v]) => s + v / breakdown.decay!, 0);
      if (breakdown.decay! > 1e-200)
        expect(score / (breakdown.decay! * undecayed), `seed ${seed}`).toBeCloseTo(1, 9);
    }
  });

  /**
   * "More of a signal" = δ more engagement arriving at instant t: every later observation of that counter
   * is δ higher, and a point at t records the new value. That is the only meaning that does not also
   * rewrite history before t (raising only the window-start value would *lower* the gain, by design).
   */
  const more = (
    series: readonly SignalPoint[],
    signal: (typeof SIGNAL_NAMES)[number],
    tMs: number,
    delta: number,
  ) => {
    const raised = series.map((p) => {
      const v = p.signals[signal];
      return Date.parse(p.at) >= tMs && v !== undefined
        ? { ...p, signals: { ...p.signals, [signal]: v + delta } }
        : p;
    });
    const before = valueAt(series, signal, new Date(tMs)) ?? 0;
    return [...raised, { at: iso(tMs), signals: { [signal]: before + delta } }];
  };

  it('property: more of any signal, another feed or another source never lowers the score (1500 cases)', () => {
    for (let seed = 1; seed <= 1500; seed++) {
      const r = rng(seed);
      const input = randomInput(r, nowMs);
      const window = r.pick(WINDOWS);
      const base = scorePaper(input, window, NOW, C).score;
      let bumped: ScoreInput;
      const kind = input.sources.length === 0 ? 2 : r.int(0, 2);
      if (kind === 0) {
        const i = r.int(0, input.sources.length - 1);
        const tMs = nowMs - Math.floor(r.next() * 40 * DAY_MS);
        const signal = r.pick(SIGNAL_NAMES);
        const sources = input.sources.map((s, j) =>
          j === i ? { ...s, series: more(s.series, signal, tMs, r.int(1, 500)) } : s,
        );
        bumped = { ...input, sources };
      } else if (kind === 1) {
        const i = r.int(0, input.sources.length - 1);
        bumped = {
          ...input,
          sources: input.sources.map((s, j) => (j === i ? { ...s, feeds: s.feeds + 1 } : s)),
        };
      } else {
        const series = [{ at: ago(r.int(0, 500)), signals: { [r.pick(SIGNAL_NAMES)]: r.int(0, 100) } }];
        bumped = { ...input, sources: [...input.sources, { source: r.pick(SOURCES), feeds: 1, series }] };
      }
      expect(scorePaper(bumped, window, NOW, C).score, `seed ${seed} kind ${kind}`).toBeGreaterThanOrEqual(
        base,
      );
    }
  });

  it('property: with equal signals, an older paper never scores higher (600 cases)', () => {
    for (let seed = 1; seed <= 600; seed++) {
      const r = rng(seed);
      const input = randomInput(r, nowMs);
      const window = r.pick(WINDOWS);
      const older = {
        ...input,
        firstSeenAt: iso(Date.parse(input.firstSeenAt) - r.int(1, 60 * 24) * 60_000),
      };
      expect(scorePaper(older, window, NOW, C).score, `seed ${seed}`).toBeLessThanOrEqual(
        scorePaper(input, window, NOW, C).score,
      );
    }
  });
});
