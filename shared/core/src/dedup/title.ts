// Title features for near-duplicate matching. Everything starts from titleForMatch (lower case, accents
// folded, LaTeX and punctuation gone) after feed decorations are taken off:
//   leading Reddit flairs `[R]`, `[D]`, `[P]`, `[N]`, `[Research]`, …; trailing `[pdf]`, `(video)`,
//   `(2023)`, `[NeurIPS 2023]`, `(ICML'24)` (repeatedly: `Title (2023) [pdf]`).
// Shingles are character 3-grams of the title with its spaces removed, so `Self-Supervised`,
// `Self Supervised` and `Selfsupervised` shingle alike. Numbers (digit runs, Roman numerals, `part one`)
// and derivative-work markers (`Erratum`, `Reply`, `Survey`, …) are read from the words, for the guards in
// nearDuplicateDecision.

import { titleForMatch } from '../text/match.ts';

/** Length of the character shingles. */
export const SHINGLE_SIZE = 3;

const LEADING_FLAIR_RE =
  /^\s*(?:[[(](?:r|d|p|n|research|project|discussion|news|paper|pdf)[\])]\s*[:\-–—]?\s*)+/i;
const TRAILING_DECORATION_RE =
  /\s*[[(](?:pdf|video|slides|paper|preprint|arxiv|(?:[a-z]+\s*)?(?:19|20)\d{2}|[a-z]+\s*['’]\d{2})[\])]\s*$/i;

/** The title without feed decorations (flairs, `[pdf]`, a trailing year or venue tag). Display text. */
export function stripTitleDecorations(title: string): string {
  let t = title.replace(LEADING_FLAIR_RE, '');
  for (let i = 0; i < 4; i++) {
    const next = t.replace(TRAILING_DECORATION_RE, '');
    if (next === t) break;
    t = next;
  }
  return t.trim().length > 0 ? t : title;
}

/** Matching form of a title for dedup: decorations off, then titleForMatch (words joined by one space). */
export function titleForDedup(title: string): string {
  return titleForMatch(stripTitleDecorations(title));
}

/** The title as one string of letters and digits (spaces removed): what shingles and lengths use. */
export function compactTitle(title: string): string {
  return titleForDedup(title).replace(/ /g, '');
}

/** Character 3-gram shingles of the compact title, sorted and unique; a shorter title is one shingle. */
export function titleShingles(title: string): string[] {
  return shinglesOfCompact(compactTitle(title));
}

const SURROGATE_RE = /[\uD800-\uDFFF]/;

export function shinglesOfCompact(compact: string): string[] {
  // Shingles are of code points: a letter outside the BMP (a surrogate pair) is one character. Titles are
  // nearly always in the BMP, where slicing the string itself needs no array of characters.
  const chars: readonly string[] | string = SURROGATE_RE.test(compact) ? [...compact] : compact;
  const shingle = (i: number, n: number): string =>
    typeof chars === 'string' ? chars.slice(i, i + n) : chars.slice(i, i + n).join('');
  if (chars.length === 0) return [];
  if (chars.length <= SHINGLE_SIZE) return [shingle(0, chars.length)];
  const out = new Set<string>();
  for (let i = 0; i + SHINGLE_SIZE <= chars.length; i++) out.add(shingle(i, SHINGLE_SIZE));
  return [...out].sort();
}

/**
 * Exact Jaccard similarity of two shingle sets (1 when both are empty), given as sorted lists without
 * repeats (what `titleShingles` and `shinglesOfCompact` return): one merge walk with no allocation, as the
 * resolver compares each new title with every title its bands hold.
 */
export function jaccard(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 && b.length === 0) return 1;
  let i = 0;
  let j = 0;
  let inter = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      inter++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return inter / (a.length + b.length - inter);
}

const ROMAN: ReadonlyMap<string, number> = new Map([
  ['i', 1],
  ['ii', 2],
  ['iii', 3],
  ['iv', 4],
  ['v', 5],
  ['vi', 6],
  ['vii', 7],
  ['viii', 8],
  ['ix', 9],
  ['x', 10],
  ['xi', 11],
  ['xii', 12],
]);
// `i`, `v` and `x` are also words or variables; they count as numerals only after these words or at the end.
const AMBIGUOUS_ROMAN = new Set(['i', 'v', 'x']);
const SEQUEL_WORDS = new Set([
  'part',
  'vol',
  'volume',
  'chapter',
  'book',
  'section',
  'phase',
  'stage',
  'level',
  'no',
  'number',
  'paper',
]);
const NUMBER_WORDS: ReadonlyMap<string, number> = new Map([
  ['one', 1],
  ['two', 2],
  ['three', 3],
  ['four', 4],
  ['five', 5],
  ['first', 1],
  ['second', 2],
  ['third', 3],
  ['fourth', 4],
  ['fifth', 5],
]);

/**
 * Every number a title names, as canonical strings: digit runs anywhere (`gpt 4` → 4, `resnet 101` → 101,
 * `yolov3` → 3), Roman numerals (`Part II` → 2), number words after `part`/`volume`/… (`Part Two` → 2).
 */
export function titleNumbers(title: string): string[] {
  return numbersOfWords(titleForDedup(title).split(' '));
}

export function numbersOfWords(words: readonly string[]): string[] {
  const out = new Set<string>();
  words.forEach((word, i) => {
    for (const m of word.matchAll(/\d+/g)) out.add(m[0].replace(/^0+(?=\d)/, ''));
    const prev = i > 0 ? words[i - 1] : undefined;
    const afterSequelWord = prev !== undefined && SEQUEL_WORDS.has(prev);
    const roman = ROMAN.get(word);
    if (
      roman !== undefined &&
      (!AMBIGUOUS_ROMAN.has(word) || afterSequelWord || (i > 0 && i === words.length - 1))
    )
      out.add(String(roman));
    const spelled = NUMBER_WORDS.get(word);
    if (spelled !== undefined && afterSequelWord) out.add(String(spelled));
  });
  return [...out].sort();
}

/** Words that make a title a different work about the same paper (an erratum, a reply, a survey of it). */
export const DERIVATIVE_MARKERS: ReadonlySet<string> = new Set([
  'erratum',
  'errata',
  'corrigendum',
  'corrigenda',
  'addendum',
  'retraction',
  'retracted',
  'comment',
  'comments',
  'reply',
  'response',
  'rebuttal',
  'supplementary',
  'supplemental',
  'appendix',
  'survey',
  'review',
  'tutorial',
  'thesis',
]);

/** The derivative-work markers a title contains, sorted. */
export function titleMarkers(title: string): string[] {
  return markersOfWords(titleForDedup(title).split(' '));
}

export function markersOfWords(words: readonly string[]): string[] {
  return [...new Set(words.filter((w) => DERIVATIVE_MARKERS.has(w)))].sort();
}

/**
 * The main title before a subtitle separator (`:`, ` - `, ` – `, ` — `, `?`), in titleForDedup form, or
 * undefined when the title has no subtitle.
 */
export function mainTitle(title: string): string | undefined {
  const display = stripTitleDecorations(title);
  const m = /^(.+?)(?::|\?|\s[-–—]{1,2}\s)\s*(\S.*)$/s.exec(display);
  if (!m) return undefined;
  const main = titleForMatch(m[1]!);
  return main.length > 0 && main !== titleForDedup(title) ? main : undefined;
}
