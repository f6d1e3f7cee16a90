// The trending score, version `SCORE_VERSION`. One formula, pure: everything it depends on is an argument.
//
//   raw   = Σ_(source.signal) weight × (velocityWeight × ln(1 + gain in window) + totalWeight × ln(1 + total))
//         + crossSourceBonus × (distinct sources − 1)
//         + feedMentionWeight × ln(1 + distinct feeds)
//         + baseWeight
//   score = raw × 0.5^(ageHours / halfLifeHours[window]),  ageHours from the paper's first appearance
//
// Logs compress heavy-tailed counters (10k stars is not 100× 100 stars); velocity outweighs totals so
// momentum beats accumulated fame; the decay runs from first appearance, so a revision never resets age.
// The breakdown holds every additive term after decay (they sum to `score` exactly) plus the factors
// listed in BREAKDOWN_FACTORS. Change anything here that changes a score ⇒ bump SCORE_VERSION.
import { PipelineError } from '../errors.ts';
import type { SignalName, Source, Window } from '../types.ts';
import type { PaperRow } from './row.ts';
import { gainOverMs, type SignalPoint, type TimedPoint, timed, valueAtMs } from './signal-series.ts';
import { HOUR_MS, WINDOW_MS } from './windows.ts';

export const SCORE_VERSION = 'pw-trend-1';

/** The (source, signal) pairs that carry weight; any other signal a source reports is kept but not scored. */
export const SIGNAL_WEIGHT_KEYS = [
  'huggingface.upvotes',
  'huggingface.comments',
  'huggingface.stars',
  'hackernews.points',
  'hackernews.comments',
  'reddit.score',
  'reddit.comments',
] as const satisfies readonly `${Source}.${SignalName}`[];
export type SignalWeightKey = (typeof SIGNAL_WEIGHT_KEYS)[number];

export type HalfLifeKey = `halfLifeHours.${Window}`;

/** Flat, so it is stored as-is in `RankingSnapshot.constants` (assignable to `Record<string, number>`). */
export type ScoreConstants = Readonly<
  Record<SignalWeightKey, number> &
    Record<HalfLifeKey, number> & {
      velocityWeight: number;
      totalWeight: number;
      crossSourceBonus: number;
      feedMentionWeight: number;
      baseWeight: number;
      categoryTopK: number;
    }
>;

// Scale for intuition: one fresh HF upvote inside the window adds (2 + 1) × ln 2 ≈ 2.08 before decay;
// 200 fresh upvotes add ≈ 15.9; 300 fresh HN points ≈ 10.3.
export const DEFAULT_SCORE_CONSTANTS: ScoreConstants = {
  // HF Daily Papers upvotes: an audience voting on papers as papers; the reference signal.
  'huggingface.upvotes': 1,
  // HF comments: engaged readers, but fewer and noisier than upvotes.
  'huggingface.comments': 0.5,
  // GitHub stars of the paper's code (via HF): reflect the repo more than the paper and accrue for months.
  'huggingface.stars': 0.3,
  // HN points: strong but general-audience attention, often on the story rather than the paper.
  'hackernews.points': 0.6,
  // HN comments: track controversy as much as interest.
  'hackernews.comments': 0.3,
  // Reddit score: fuzzed, subreddit-sized, can go negative (clamped at 0 for totals).
  'reddit.score': 0.4,
  // Reddit comments: as HN comments, from a noisier audience.
  'reddit.comments': 0.2,
  // Momentum over fame: a gain inside the window counts twice what standing totals do.
  velocityWeight: 2,
  totalWeight: 1,
  // 24h board: a day's half-life keeps yesterday's arXiv batch in play but favours today's.
  'halfLifeHours.24h': 24,
  // 7d board: 3 days, so a paper from the window's start keeps ~20% and needs real momentum to stay.
  'halfLifeHours.7d': 72,
  // 30d board: 10 days, so a paper from the window's start keeps ~12.5%.
  'halfLifeHours.30d': 240,
  // Each extra independent source ≈ one fresh HF upvote: independent attention is evidence of its own.
  crossSourceBonus: 2,
  // ln(1 + feeds), kept small: arXiv cross-listings alone put one paper in several category feeds.
  feedMentionWeight: 0.5,
  // Lets brand-new papers with no social signals rank by recency; below one fresh upvote at equal age.
  baseWeight: 1,
  // Category normalisation: mean of a category's top 5 raw scores (rank.ts).
  categoryTopK: 5,
};

/** Breakdown keys that are factors or facts, not additive contributions. */
export const BREAKDOWN_FACTORS: ReadonlySet<string> = new Set(['decay', 'ageHours', 'categoryScale']);

/** Sum of the additive contributions of a breakdown, in key order: equals the paper's `score`. */
export function sumContributions(breakdown: Readonly<Record<string, number>>): number {
  let sum = 0;
  for (const [key, value] of Object.entries(breakdown)) {
    if (!BREAKDOWN_FACTORS.has(key)) sum += value;
  }
  return sum;
}

/**
 * Problems with a set of constants, as messages naming what to set; empty when valid. Every known key
 * must be present, finite and >= 0; half-lives > 0; categoryTopK a positive integer;
 * velocityWeight >= totalWeight; unknown keys are rejected (a typo would otherwise be silently ignored).
 */
export function validateScoreConstants(c: Readonly<Record<string, unknown>>): string[] {
  const errors: string[] = [];
  const known = Object.keys(DEFAULT_SCORE_CONSTANTS);
  for (const key of known) {
    const v = c[key];
    if (v === undefined) errors.push(`scoring: constant "${key}" is missing`);
    else if (typeof v !== 'number' || !Number.isFinite(v))
      errors.push(`scoring: "${key}" must be a finite number`);
    else if (v < 0) errors.push(`scoring: "${key}" must be >= 0 (got ${v})`);
    else if (key.startsWith('halfLifeHours.') && v === 0) errors.push(`scoring: "${key}" must be > 0`);
    else if (key === 'categoryTopK' && (!Number.isInteger(v) || v < 1)) {
      errors.push(`scoring: "categoryTopK" must be an integer >= 1 (got ${v})`);
    }
  }
  for (const key of Object.keys(c)) {
    if (!known.includes(key)) errors.push(`scoring: unknown constant "${key}"; known: ${known.join(', ')}`);
  }
  const { velocityWeight: vw, totalWeight: tw } = c;
  if (typeof vw === 'number' && typeof tw === 'number' && vw < tw) {
    errors.push(
      `scoring: "velocityWeight" (${vw}) must be >= "totalWeight" (${tw}): momentum outranks totals`,
    );
  }
  return errors;
}

/** Defaults overridden by `overrides` (e.g. from config), validated. */
export function resolveScoreConstants(
  overrides: Readonly<Record<string, unknown>> = {},
): { ok: true; constants: ScoreConstants } | { ok: false; errors: string[] } {
  const merged = { ...DEFAULT_SCORE_CONSTANTS, ...overrides };
  const errors = validateScoreConstants(merged);
  return errors.length === 0 ? { ok: true, constants: merged as ScoreConstants } : { ok: false, errors };
}

/** One source's history for a paper. Normally one entry per source; entries of the same source add up. */
export interface SourceSeries {
  source: Source;
  /** Distinct feeds of this source that mention the paper. */
  feeds: number;
  series: readonly SignalPoint[];
}

/** What the scorer sees of a paper. No revision dates on purpose: age runs from `firstSeenAt` only. */
export interface ScoreInput {
  paperId: string;
  title: string;
  primaryCategory?: string;
  /** ISO-8601 first appearance of the paper anywhere (see `ageOrigin` in from-paper.ts). */
  firstSeenAt: string;
  sources: readonly SourceSeries[];
  /**
   * What the paper shows when ranked (`paperRow`); its `categories` decide the category boards it is on.
   * Absent (inputs built by hand): a bare row, on its primary category's board only.
   */
  row?: PaperRow;
}

export interface PaperScore {
  score: number;
  breakdown: Record<string, number>;
}

/** Raised for an input the scorer cannot place in time; retrying will not help. */
export class ScoreInputError extends PipelineError {
  constructor(message: string) {
    super(message, { code: 'score-input', retryable: false });
  }
}

export function nowMs(now: Date): number {
  const ms = now.getTime();
  if (!Number.isFinite(ms)) throw new ScoreInputError('scoring: `now` is not a valid date');
  return ms;
}

export function firstSeenMs(input: ScoreInput): number {
  const ms = Date.parse(input.firstSeenAt);
  if (!Number.isFinite(ms)) {
    throw new ScoreInputError(
      `scoring: paper ${input.paperId} has an invalid firstSeenAt "${input.firstSeenAt}"`,
    );
  }
  return ms;
}

const WEIGHTED = SIGNAL_WEIGHT_KEYS.map((key) => {
  const [source, signal] = key.split('.') as [Source, SignalName];
  return { key, source, signal };
});

/** The additive terms of a score's breakdown, in the breakdown's order (`scoreTerms` fills them so). */
export const CONTRIBUTION_KEYS: readonly string[] = [
  ...WEIGHTED.flatMap(({ key }) => [`${key}.velocity`, `${key}.total`]),
  'crossSource',
  'feeds',
  'base',
];

/** A score as numbers: `terms[i]` is the contribution named `CONTRIBUTION_KEYS[i]`, after decay. */
export interface ScoreTerms {
  score: number;
  terms: Float64Array;
  decay: number;
  ageHours: number;
}

/**
 * `scorePaper` without the breakdown object: what ranking needs for each of tens of thousands of papers,
 * of which a board keeps a few hundred (`breakdownOfTerms` gives those theirs). `score` is the sum of the
 * terms in order, as `sumContributions` adds the breakdown's, so both give the same number to the last bit.
 */
export function scoreTerms(
  input: ScoreInput,
  window: Window,
  now: Date,
  constants: ScoreConstants,
): ScoreTerms {
  const toMs = nowMs(now);
  const fromMs = toMs - WINDOW_MS[window];
  const ageHours = Math.max(0, toMs - firstSeenMs(input)) / HOUR_MS;
  const decay = 0.5 ** (ageHours / constants[`halfLifeHours.${window}`]);

  const sources = input.sources;
  const points: (readonly TimedPoint[])[] = sources.map((s) => timed(s.series));
  const terms = new Float64Array(CONTRIBUTION_KEYS.length);
  let t = 0;
  for (const { key, source, signal } of WEIGHTED) {
    let gain = 0;
    let total = 0;
    for (let i = 0; i < sources.length; i++) {
      if (sources[i]!.source !== source) continue;
      gain += gainOverMs(points[i]!, signal, fromMs, toMs);
      total += Math.max(0, valueAtMs(points[i]!, signal, toMs) ?? 0);
    }
    const weight = constants[key];
    terms[t++] = weight * constants.velocityWeight * Math.log1p(gain) * decay;
    terms[t++] = weight * constants.totalWeight * Math.log1p(total) * decay;
  }
  const distinctSources = new Set(sources.map((s) => s.source)).size;
  terms[t++] = constants.crossSourceBonus * Math.max(0, distinctSources - 1) * decay;
  const feeds = sources.reduce((n, s) => n + (Number.isFinite(s.feeds) ? Math.max(0, s.feeds) : 0), 0);
  terms[t++] = constants.feedMentionWeight * Math.log1p(feeds) * decay;
  terms[t++] = constants.baseWeight * decay;
  let score = 0;
  for (let i = 0; i < terms.length; i++) score += terms[i]!;
  return { score, terms, decay, ageHours };
}

/** The breakdown of a score given as terms: every contribution, then `decay` and `ageHours`. */
export function breakdownOfTerms({ terms, decay, ageHours }: ScoreTerms): Record<string, number> {
  const breakdown: Record<string, number> = {};
  CONTRIBUTION_KEYS.forEach((key, i) => {
    breakdown[key] = terms[i]!;
  });
  breakdown.decay = decay;
  breakdown.ageHours = ageHours;
  return breakdown;
}

/**
 * Scores one paper for `window` as of `now`. A paper first seen after `now` has age 0 (clock skew between
 * workers); one with no signals scores `baseWeight × decay (+ feeds, cross-source)`, so fresh arXiv papers
 * still order by recency. Throws ScoreInputError for an unparseable `firstSeenAt` or `now`.
 */
export function scorePaper(
  input: ScoreInput,
  window: Window,
  now: Date,
  constants: ScoreConstants,
): PaperScore {
  const terms = scoreTerms(input, window, now, constants);
  return { score: terms.score, breakdown: breakdownOfTerms(terms) };
}
