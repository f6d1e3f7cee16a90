// nearDuplicateDecision: are two entries that share no identity key the same paper?
//
// Rules, in order (the first that applies decides):
//  1. Same id of some kind (arXiv, DOI, …) → same (`shared-id`). Different ids of the same kind (two
//     arXiv ids, two DOIs) → never the same (`conflicting-ids:<kind>`).
//  2. Derivative-work markers (`Erratum`, `Reply`, `Survey`, …) present in one title only → not the same.
//  3. Titles naming different numbers (`GPT-3`/`GPT-4`, `ResNet-50`/`ResNet-101`, `Part I`/`Part II`,
//     `… 2`) → not the same.
//  4. Both have authors: title similarity (exact Jaccard of character 3-grams) ≥ titleThreshold, the
//     title at least minTitleChars long, and author overlap |A∩B| / min(|A|,|B|) (by authorKey) ≥
//     authorThreshold → same (`title+authors`). A subtitle variant (`X` vs `X: subtitle`) whose main
//     title has ≥ 2 words and ≥ minTitleChars and names the same numbers as `X`, with the same author
//     gate → same (`subtitle+authors`).
//  5. One or both lack authors (HN, Reddit, some blogs): only titleThresholdNoAuthors (1 = the same
//     compact title) and minTitleCharsNoAuthors count.
// Versions never block a match: v1/v2/v3 of one arXiv id already share an identity key.

import { ID_KINDS } from '../ids/keys.ts';
import type { PaperIds } from '../types.ts';
import { compactOf, type TitleFeatures, titleFeatures } from './features.ts';
import { jaccard } from './title.ts';

export interface DedupCandidate {
  title: string;
  authors: { key: string }[];
  ids: PaperIds;
  arxivVersion?: number;
}

export interface DedupThresholds {
  /** Minimum title similarity (Jaccard of character 3-grams) when both entries have authors. */
  titleThreshold: number;
  /** Minimum title similarity when one or both have no authors; ≥ 1 means the same compact title. */
  titleThresholdNoAuthors: number;
  /** Minimum author overlap |A∩B| / min(|A|,|B|) by authorKey. */
  authorThreshold: number;
  /** Titles shorter than this (letters and digits, spaces removed) never match on title. */
  minTitleChars: number;
  /** The same, when one or both have no authors. */
  minTitleCharsNoAuthors: number;
  /** LSH banding of the MinHash signature (candidate generation only; the decision is exact). */
  lsh: { bands: number; rows: number; seed: number };
}

/**
 * Defaults, measured by `npm run eval:dedup` (see docs/identity.md for the figures):
 * - titleThreshold 0.8: case, accents, LaTeX and punctuation already vanish in titleForMatch; 0.8 keeps
 *   word-order slips, `Towards …`, a dropped article or a typo, and stops one changed content word in a
 *   short title (`… for Images` / `… for Videos` ≈ 0.6–0.75).
 * - authorThreshold 0.5: a blog's `First Author et al.` matches the full list (1/1); a follow-up paper
 *   of the same group with one shared author out of three (0.33) does not.
 * - titleThresholdNoAuthors 1 and minTitleCharsNoAuthors 20: without authors only the same title counts,
 *   and only when it is long enough not to be generic (`Introduction`, `Editorial`).
 * - minTitleChars 16 (`gpt4technicalreport` is 19, `introduction` 12).
 * - LSH 16 bands × 4 rows: 16 point reads per title; a pair at J = 0.8 is a candidate with p ≈ 0.9998.
 */
export const DEFAULT_DEDUP_THRESHOLDS: Readonly<DedupThresholds> = Object.freeze({
  titleThreshold: 0.8,
  titleThresholdNoAuthors: 1,
  authorThreshold: 0.5,
  minTitleChars: 16,
  minTitleCharsNoAuthors: 20,
  lsh: Object.freeze({ bands: 16, rows: 4, seed: 0x5eed_d00d }),
});

export interface DedupDecision {
  same: boolean;
  /** Exact Jaccard similarity of the full titles' shingles. */
  titleSimilarity: number;
  /** |A∩B| / min(|A|,|B|) by authorKey; 0 when either has no authors. */
  authorOverlap: number;
  reason: string;
}

/** Author keys of a candidate, without empty keys. */
export function authorKeySet(authors: readonly { key: string }[]): Set<string> {
  return new Set(authors.map((a) => a.key).filter((k) => k.length > 0));
}

/** |A∩B| / min(|A|,|B|); 0 when either is empty. */
export function authorOverlap(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let inter = 0;
  for (const k of a) if (b.has(k)) inter++;
  return inter / Math.min(a.size, b.size);
}

/** The first id kind on which the two disagree (both set, different values), if any. */
export function conflictingIdKind(a: PaperIds, b: PaperIds): string | undefined {
  return ID_KINDS.find((k) => a[k] !== undefined && b[k] !== undefined && a[k] !== b[k]);
}

function sharedIdKind(a: PaperIds, b: PaperIds): string | undefined {
  return ID_KINDS.find((k) => a[k] !== undefined && a[k] === b[k]);
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** See the module comment for the rules. Pure and symmetric. */
export function nearDuplicateDecision(
  a: DedupCandidate,
  b: DedupCandidate,
  thresholds: DedupThresholds = DEFAULT_DEDUP_THRESHOLDS,
): DedupDecision {
  return nearDuplicateMatcher(a, thresholds)(b);
}

/**
 * nearDuplicateDecision of `a` against many others, with `a`'s title features computed once (the resolver
 * checks one entry against every entry of its title buckets). `featuresOf` gives the others' features:
 * pass a memo of `titleFeatures` when the same titles are met again (a batch's entries share bands).
 */
export function nearDuplicateMatcher(
  a: DedupCandidate,
  thresholds: DedupThresholds = DEFAULT_DEDUP_THRESHOLDS,
  featuresOf: (title: string) => TitleFeatures = titleFeatures,
): (b: DedupCandidate) => DedupDecision {
  const fa = featuresOf(a.title);
  return (b) => decideWithFeatures(a, fa, b, featuresOf(b.title), thresholds);
}

/** nearDuplicateDecision with precomputed title features (the clusterer computes them once per entry). */
export function decideWithFeatures(
  a: DedupCandidate,
  fa: TitleFeatures,
  b: DedupCandidate,
  fb: TitleFeatures,
  t: DedupThresholds,
): DedupDecision {
  const titleSimilarity = jaccard(fa.shingles, fb.shingles);
  const authorsA = authorKeySet(a.authors);
  const authorsB = authorKeySet(b.authors);
  const overlap = authorOverlap(authorsA, authorsB);
  const result = (same: boolean, reason: string): DedupDecision => ({
    same,
    titleSimilarity,
    authorOverlap: overlap,
    reason,
  });

  const shared = sharedIdKind(a.ids, b.ids);
  const conflict = conflictingIdKind(a.ids, b.ids);
  if (conflict !== undefined) return result(false, `conflicting-ids:${conflict}`);
  if (shared !== undefined) return result(true, `shared-id:${shared}`);
  if (!sameList(fa.markers, fb.markers)) return result(false, 'derivative-marker');

  const shorter = Math.min(fa.compact.length, fb.compact.length);
  if (authorsA.size === 0 || authorsB.size === 0) {
    if (!sameList(fa.numbers, fb.numbers)) return result(false, 'numbers-differ');
    if (shorter < t.minTitleCharsNoAuthors) return result(false, 'title-too-short');
    const titleOk =
      t.titleThresholdNoAuthors >= 1
        ? fa.compact === fb.compact
        : titleSimilarity >= t.titleThresholdNoAuthors;
    return titleOk ? result(true, 'title-no-authors') : result(false, 'title-below-threshold');
  }

  const authorsOk = overlap >= t.authorThreshold;
  const numbersOk = sameList(fa.numbers, fb.numbers);
  if (numbersOk && shorter >= t.minTitleChars && titleSimilarity >= t.titleThreshold) {
    return authorsOk ? result(true, 'title+authors') : result(false, 'authors-below-threshold');
  }
  // Subtitle variant: `X` vs `X: subtitle`, compared on the main title. Two different subtitles under one
  // main title are not enough (`Gemini: A Family of …` / `Gemini: Unlocking …` are different papers).
  const [withSub, plain] = fa.main !== undefined ? [fa, fb] : [fb, fa];
  if (withSub.main !== undefined && plain.main === undefined && sameList(withSub.main, plain.words)) {
    const mainOk =
      withSub.main.length >= 2 &&
      compactOf(withSub.main).length >= t.minTitleChars &&
      sameList(withSub.mainNumbers ?? [], plain.numbers);
    if (mainOk)
      return authorsOk ? result(true, 'subtitle+authors') : result(false, 'authors-below-threshold');
  }
  if (!numbersOk) return result(false, 'numbers-differ');
  if (shorter < t.minTitleChars) return result(false, 'title-too-short');
  return result(false, 'title-below-threshold');
}
