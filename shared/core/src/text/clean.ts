// cleanText: one readable line of display text from whatever a feed sent (HTML, entities, LaTeX, hard
// wraps, mojibake). Steps, in order:
//   1. strip HTML tags (block tags → space), 2. decode character references (a second pass only for
//      references that the first pass produced, e.g. Reddit's double-escaped `&amp;#32;` → ` `; literal
//      `&lt;div&gt;` in text therefore ends as `<div>`, not stripped),
//   3. repair mojibake (whole string, all-or-nothing), 4. LaTeX text mode → Unicode (math kept),
//   5. Unicode NFKC, 6. drop control, zero-width, bidi-override and soft-hyphen characters and lone
//      surrogates, 7. collapse all whitespace to single spaces and trim.
// Decision: the output is a single line. Paragraph breaks are NOT kept: arXiv marks both title wraps and
// abstract paragraphs with `\n  `, so they cannot be told apart, and one canonical form means the same
// abstract from the legacy (hard-wrapped) and current API hashes identically.

import { decodeHtmlEntities, hasEntity } from './entities.ts';
import { stripHtmlTags } from './html.ts';
import { latexToText } from './latex.ts';
import { repairMojibake } from './mojibake.ts';

// C0/C1 controls other than whitespace, soft hyphen, zero-width space, word joiner, BOM, bidi controls.
const INVISIBLE_RE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
  /[\u0000-\u0008\u000e-\u001f\u007f-\u0084\u0086-\u009f\u00ad\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/g;
const LONE_SURROGATE_RE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Removes invisible and control characters (keeps whitespace, which callers collapse). */
export function removeInvisible(s: string): string {
  return s.replace(INVISIBLE_RE, '').replace(LONE_SURROGATE_RE, '');
}

/** Collapses every run of whitespace (incl. NBSP, U+2028, ideographic space) to one space and trims. */
export function collapseWhitespace(s: string): string {
  return s.replace(/[\s\u0085]+/g, ' ').trim();
}

/** Display-text normalisation for titles, abstracts, names. See the module comment for the steps. */
export function cleanText(s: string): string {
  if (typeof s !== 'string' || s.length === 0) return '';
  let t = decodeHtmlEntities(stripHtmlTags(s));
  if (hasEntity(t)) t = decodeHtmlEntities(t);
  t = repairMojibake(t);
  t = latexToText(t);
  t = t.normalize('NFKC');
  t = removeInvisible(t);
  return collapseWhitespace(t);
}
