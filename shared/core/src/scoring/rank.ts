// Rankings of one window: overall (optionally with category normalisation) and per category. A category
// board lists every paper filed under that category, primary or cross-listed (arXiv's own listings include
// cross-lists); a cross-listed row says so (`crossListed: true`, its `primaryCategory` is the other one).
// Order is total and deterministic: score desc, then first appearance desc (newer first, so an older
// paper with equal signals never ranks higher), then paperId asc (code-unit order, locale-independent).
import { SIGNAL_NAMES, type Window } from '../types.ts';
import { bareRow, type RankedPaper } from './row.ts';
import {
  BREAKDOWN_FACTORS,
  breakdownOfTerms,
  firstSeenMs,
  nowMs,
  type ScoreConstants,
  type ScoreInput,
  type ScoreTerms,
  scoreTerms,
} from './score.ts';
import { gainOverMs, timed } from './signal-series.ts';
import { WINDOW_MS } from './windows.ts';

/** Category of papers without a primary category (papers known only from HN, Reddit or the web). */
export const UNCATEGORISED = 'uncategorised';

export function categoryOf(input: Pick<ScoreInput, 'primaryCategory'>): string {
  return input.primaryCategory || UNCATEGORISED;
}

/** Every board category of a paper: its primary category first, then its cross-lists (each once). */
export function boardCategoriesOf(input: Pick<ScoreInput, 'primaryCategory' | 'row'>): string[] {
  const primary = categoryOf(input);
  return [...new Set([primary, ...(input.row?.categories ?? [])])];
}

/**
 * A paper is active in a window when it was first seen at or after the window's start (a paper first
 * seen after `now` counts: clock skew), or any signal of any source rose inside the window. Only active
 * papers are ranked, so a rescore costs in proportion to the active set: the store should fetch
 * candidates by `firstSeenAt >= start` or "last signal point >= start" and let this decide exactly.
 */
export function isActive(input: ScoreInput, window: Window, now: Date): boolean {
  const toMs = nowMs(now);
  const fromMs = toMs - WINDOW_MS[window];
  if (firstSeenMs(input) >= fromMs) return true;
  return input.sources.some((s) => {
    const points = timed(s.series);
    return SIGNAL_NAMES.some((signal) => gainOverMs(points, signal, fromMs, toMs) > 0);
  });
}

export interface RankOptions {
  window: Window;
  now: Date;
  constants: ScoreConstants;
  /** Entries kept after sorting. */
  limit: number;
  /**
   * Rank only papers filed under this category, as primary or cross-list (`UNCATEGORISED` for papers
   * without any).
   */
  category?: string;
  /**
   * Overall board only (ignored with `category`): divide each score by its category's scale (see
   * `categoryScales`) so one large category cannot fill the board.
   */
  normaliseCategories?: boolean;
}

/**
 * A paper scored for ranking: its score as terms (`scoreTerms`, no breakdown object: a board keeps a few
 * hundred of what can be tens of thousands of active papers, and only those get one), or, for papers
 * ranked by a score of their own (`rankScored`), its breakdown.
 */
interface Scored {
  input: ScoreInput;
  category: string;
  firstSeen: number;
  score: number;
  terms?: ScoreTerms;
  breakdown?: Record<string, number>;
}

const breakdownOf = (s: Scored): Record<string, number> => s.breakdown ?? breakdownOfTerms(s.terms!);

function scoreActive(inputs: readonly ScoreInput[], opts: Omit<RankOptions, 'limit'>): Scored[] {
  const out: Scored[] = [];
  for (const input of inputs) {
    const category = categoryOf(input);
    if (opts.category !== undefined && !boardCategoriesOf(input).includes(opts.category)) continue;
    if (!isActive(input, opts.window, opts.now)) continue;
    const terms = scoreTerms(input, opts.window, opts.now, opts.constants);
    out.push({ input, category, firstSeen: firstSeenMs(input), score: terms.score, terms });
  }
  return out;
}

/** A scored paper as a board sorts it: by its score on that board (scaled on the overall board). */
interface Row {
  s: Scored;
  scale: number;
  score: number;
}

function compare(a: Row, b: Row): number {
  if (a.score !== b.score) return a.score > b.score ? -1 : 1;
  if (a.s.firstSeen !== b.s.firstSeen) return a.s.firstSeen > b.s.firstSeen ? -1 : 1;
  if (a.s.input.paperId === b.s.input.paperId) return 0;
  return a.s.input.paperId < b.s.input.paperId ? -1 : 1;
}

/**
 * A score divided by its category's scale: each contribution divided, then summed in the breakdown's order
 * (what `sumContributions` of the scaled breakdown gives, to the last bit, without building it).
 */
function scaledScore(s: Scored, scale: number): number {
  let sum = 0;
  if (s.terms) {
    const { terms } = s.terms;
    for (let i = 0; i < terms.length; i++) sum += terms[i]! / scale;
    return sum;
  }
  const breakdown = s.breakdown!;
  for (const key in breakdown) {
    if (!BREAKDOWN_FACTORS.has(key)) sum += breakdown[key]! / scale;
  }
  return sum;
}

/**
 * The ranked rows of one board (`board`: its category; undefined for the overall board). Every paper is
 * scaled and sorted, but only the kept ones get a row and a scaled breakdown: a board keeps a few hundred
 * of what can be tens of thousands of active papers.
 */
function toRanked(
  scored: Scored[],
  limit: number,
  board: string | undefined,
  scales?: ReadonlyMap<string, number>,
): RankedPaper[] {
  const rows = scored.map((s): Row => {
    const scale = scales?.get(s.category) ?? 1;
    return { s, scale, score: scale === 1 ? s.score : scaledScore(s, scale) };
  });
  rows.sort(compare);
  return rows.slice(0, Math.max(0, Math.floor(limit))).map(({ s, scale, score }, i) => {
    const breakdown: Record<string, number> = {};
    for (const [key, value] of Object.entries(breakdownOf(s))) {
      breakdown[key] = key === 'decay' || key === 'ageHours' ? value : value / scale;
    }
    breakdown.categoryScale = scale;
    const { paperId, title, firstSeenAt, primaryCategory } = s.input;
    const row = s.input.row ?? bareRow(paperId, title, firstSeenAt, primaryCategory);
    const entry: RankedPaper = {
      ...row,
      paperId,
      title,
      rank: i + 1,
      score,
      breakdown,
    };
    if (primaryCategory !== undefined) entry.primaryCategory = primaryCategory;
    else delete entry.primaryCategory;
    if (board !== undefined && board !== s.category) entry.crossListed = true;
    return entry;
  });
}

/**
 * Scale of each category for normalisation: the mean of its top-k raw scores, where a category with
 * fewer than k active papers fills the missing slots with the overall top-k mean. So a category with k or
 * more active papers is measured against its own leading pack (its top paper scores ~1 or a little more,
 * as cs.LG's does), while a category with one or two active papers is not blown up to the top of the board
 * by dividing by its own score. A non-positive scale becomes 1 (no normalisation).
 */
export function categoryScales(
  scored: readonly { category: string; score: number }[],
  k: number,
): Map<string, number> {
  const byCategory = new Map<string, number[]>();
  for (const { category, score } of scored) {
    const list = byCategory.get(category);
    if (list) list.push(score);
    else byCategory.set(category, [score]);
  }
  const topMean = (scores: number[]) => {
    const top = [...scores].sort((a, b) => b - a).slice(0, k);
    return { sum: top.reduce((a, b) => a + b, 0), n: top.length };
  };
  const overall = topMean(scored.map((s) => s.score));
  const prior = overall.n === 0 ? 0 : overall.sum / overall.n;
  const scales = new Map<string, number>();
  for (const [category, scores] of byCategory) {
    const { sum, n } = topMean(scores);
    const scale = (sum + (k - n) * prior) / k;
    scales.set(category, Number.isFinite(scale) && scale > 0 ? scale : 1);
  }
  return scales;
}

/** The ranking of `window` as of `now`: active papers only, at most `limit`, ranks from 1. */
export function rankWindow(inputs: readonly ScoreInput[], opts: RankOptions): RankedPaper[] {
  const scored = scoreActive(inputs, opts);
  const scales =
    opts.normaliseCategories && opts.category === undefined
      ? categoryScales(scored, opts.constants.categoryTopK)
      : undefined;
  return toRanked(scored, opts.limit, opts.category, scales);
}

/** Category boards from papers scored once: `wanted` categories' boards, keys in code-unit order. */
function categoryBoards(
  scored: readonly Scored[],
  limit: number,
  wanted: (category: string) => boolean,
): Map<string, RankedPaper[]> {
  const groups = new Map<string, Scored[]>();
  for (const s of scored) {
    for (const category of boardCategoriesOf(s.input).filter(wanted)) {
      const list = groups.get(category);
      if (list) list.push(s);
      else groups.set(category, [s]);
    }
  }
  const out = new Map<string, RankedPaper[]>();
  for (const category of [...groups.keys()].sort()) {
    out.set(category, toRanked(groups.get(category)!, limit, category));
  }
  return out;
}

/**
 * One ranking per category, cross-lists included (keys in code-unit order), each paper scored once and
 * each board as `rankWindow`'s with that category. With `only`, just those categories' boards, and only
 * the papers on them are scored (a board with no active paper is absent, as without `only`).
 */
export function rankByCategory(
  inputs: readonly ScoreInput[],
  opts: Omit<RankOptions, 'category' | 'normaliseCategories'>,
  only?: ReadonlySet<string>,
): Map<string, RankedPaper[]> {
  const wanted = (category: string) => only === undefined || only.has(category);
  const members = only === undefined ? inputs : inputs.filter((i) => boardCategoriesOf(i).some(wanted));
  return categoryBoards(scoreActive(members, opts), opts.limit, wanted);
}

/**
 * A window's overall board (normalised by category, as `rankWindow` with `normaliseCategories`) and its
 * category boards (as `rankByCategory`, `only` included), every paper scored once for all of them: what a
 * score job publishes, at half the scoring of the two calls apart.
 */
export function rankBoards(
  inputs: readonly ScoreInput[],
  opts: Omit<RankOptions, 'category' | 'normaliseCategories'>,
  only?: ReadonlySet<string>,
): { overall: RankedPaper[]; categories: Map<string, RankedPaper[]> } {
  const scored = scoreActive(inputs, opts);
  const overall = toRanked(
    scored,
    opts.limit,
    undefined,
    categoryScales(scored, opts.constants.categoryTopK),
  );
  const wanted = (category: string) => only === undefined || only.has(category);
  return { overall, categories: categoryBoards(scored, opts.limit, wanted) };
}

/** Ranks papers already scored, with every board's order and rows (the overall board's: no cross-list mark). */
export function rankScored(
  items: readonly { input: ScoreInput; score: number; breakdown: Record<string, number> }[],
  limit: number,
): RankedPaper[] {
  const scored = items.map((i) => ({ ...i, category: categoryOf(i.input), firstSeen: firstSeenMs(i.input) }));
  return toRanked(scored, limit, undefined);
}
