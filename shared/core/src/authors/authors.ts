// Author lists and author matching keys.
//
// splitAuthors: each input element is one name or a joined list. Recognised joins: `A, B, and C`,
// `A, B and C`, `A & B`, `A; B` (with `;` present, commas do not split: `Smith, J.; Doe, A.`), HTML lists of
// `<a href=…>Name</a>` (legacy arXiv RDF `dc:creator`, also still HTML-escaped), `Collaboration: A, B`.
// Commas inside parentheses never split. Suffixes (`Jr.`, `Sr.`, `II`–`IV`, `PhD`, `MD`) stay with their
// name. A two-part `Last, First` (`Smith, John`, `Smith, J. R.`, `van Beethoven, L.`) is one inverted name;
// consequence: two one-word names joined by a comma (`Plato, Aristotle`) are read as ONE inverted name.
// Dropped: `et al.`, `others`, a trailing old-arXiv affiliation block `((1) MIT, (2) CMU)` and affiliation
// markers `(1)`, `(1, 2)`. Display names are cleanText'ed, capped at MAX_AUTHOR_NAME_CHARS, and exact
// repeats are removed (first kept).
//
// authorKey: a matching key, not an identity. Decision: first initial + last name, lower case, accents
// folded: `J. Smith`, `John Smith`, `J Smith`, `Smith, John`, `John Smith, Jr.` → `j smith`. Hyphens and
// apostrophes join (`O'Brien` → `obrien`, `Jean-Pierre` → initial `j`); particles are not part of the last
// name (`Ludwig van Beethoven` → `l beethoven`). Accepted collision: `Jane Smith` = `John Smith`. Group
// authors (`… Collaboration`, `… Consortium`, `… Team`, …) keep every word (`atlas collaboration`) so that
// collaborations do not collide; one-word names are the word; Reddit handles (`/u/Name`) → `u/name`.

import { cleanText } from '../text/clean.ts';
import { decodeHtmlEntities } from '../text/entities.ts';
import { foldAccents } from '../text/match.ts';

/** Display names longer than this are cut (no real name is this long; guards odd input). */
export const MAX_AUTHOR_NAME_CHARS = 300;

const SUFFIX_RE = /^(?:jr|sr|ii|iii|iv|ph\.?\s?d|md|esq)\.?$/i;
const DROP_RE = /^(?:and|&|et\.?\s+al\.?|others|and\s+others|et\s+al\.?\s+\(\d+\s+additional\s+authors?\))$/i;
const GROUP_RE =
  /\b(?:collaboration|consortium|team|group|project|committee|initiative|collective|laboratory|lab|organi[sz]ation|institute|inc|ltd|llc|authors)\b/i;
const PARTICLES = new Set([
  'van',
  'von',
  'de',
  'der',
  'den',
  'da',
  'di',
  'del',
  'della',
  'dos',
  'du',
  'la',
  'le',
  'ten',
  'ter',
  'bin',
  'al',
  'el',
]);
const AND_RE = /\s+(?:and|&)\s+/iy;
const OPENERS = '([{';
const CLOSERS = ')]}';

/** Splits at `sep` (a one-character string or a sticky regex) only outside brackets. */
function splitTopLevel(text: string, sep: string | RegExp): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (OPENERS.includes(ch)) depth++;
    else if (CLOSERS.includes(ch)) depth = Math.max(0, depth - 1);
    else if (depth === 0) {
      if (typeof sep === 'string') {
        if (ch === sep) {
          parts.push(text.slice(start, i));
          start = i + 1;
        }
      } else {
        sep.lastIndex = i;
        const m = sep.exec(text);
        if (m) {
          parts.push(text.slice(start, i));
          i += m[0].length;
          start = i;
          continue;
        }
      }
    }
    i++;
  }
  parts.push(text.slice(start));
  return parts;
}

function tidy(part: string): string {
  return part
    .replace(/\(\s*\d+(?:\s*,\s*\d+)*\s*\)/g, ' ')
    .replace(/^\s*(?:and|&)\s+/i, '')
    .replace(/^[\s,;:]+|[\s,;:]+$/g, '')
    .replace(/\s+/g, ' ');
}

function isInitials(word: string): boolean {
  return /^(?:\p{Lu}\.?-?)+$/u.test(word);
}

/** `Smith` + `John` / `J. R.` / `van Beethoven` + `L.`: a plausible `Last, First` pair. */
function looksInverted(last: string, first: string): boolean {
  const lastWords = last.split(' ');
  const firstWords = first.split(' ');
  if (lastWords.length > 3 || firstWords.length > 3) return false;
  if (!lastWords.slice(0, -1).every((w) => PARTICLES.has(w.toLowerCase()))) return false;
  if (GROUP_RE.test(last) || GROUP_RE.test(first)) return false;
  return (
    firstWords.every((w) => isInitials(w) || /^\p{Lu}[\p{L}'’-]*$/u.test(w)) &&
    /^\p{Lu}/u.test(lastWords.at(-1)!)
  );
}

function mergeSuffixes(parts: string[]): string[] {
  const out: string[] = [];
  for (const part of parts) {
    if (SUFFIX_RE.test(part) && out.length > 0) out[out.length - 1] = `${out.at(-1)!}, ${part}`;
    else out.push(part);
  }
  return out;
}

function splitText(raw: string): string[] {
  // Old arXiv listing style: `A (1), B (2) ((1) MIT, (2) CMU)`: the trailing block is affiliations.
  const block = /\(\s*\(\d+\)/.exec(raw);
  const text = block && /\)\s*$/.test(raw) ? raw.slice(0, block.index) : raw;
  if (splitTopLevel(text, ';').length > 1) return splitTopLevel(text, ';').map(tidy);
  const commaParts = mergeSuffixes(
    splitTopLevel(text, ',')
      .map(tidy)
      .filter((p) => p.length > 0),
  );
  if (
    commaParts.length === 2 &&
    !/\s(?:and|&)\s/i.test(text) &&
    looksInverted(commaParts[0]!, commaParts[1]!)
  ) {
    return [`${commaParts[0]}, ${commaParts[1]}`];
  }
  return commaParts.flatMap((p) => splitTopLevel(p, AND_RE).map(tidy));
}

function splitOne(raw: string): string[] {
  const html = /&lt;a[\s&]/i.test(raw) ? decodeHtmlEntities(raw) : raw;
  // Bounded repeats: an unclosed `<a` must not make every later `<a` rescan the whole string.
  const anchors = [
    ...html.matchAll(/<a\b[^<>]{0,2000}>([^<]{0,1000}(?:<(?!\/a)[^<]{0,1000}){0,20})<\/a\s*>/gi),
  ].map((m) => cleanText(m[1]!));
  if (anchors.length > 0) return anchors;
  const text = cleanText(raw);
  if (text.length === 0) return [];
  const group = /^(.*?\b(?:collaboration|consortium|team|group)):\s*(.+)$/i.exec(text);
  if (group) return [group[1]!, ...splitText(group[2]!)];
  return splitText(text);
}

/** Splits joined author strings into display names; see the module comment. */
export function splitAuthors(list: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of list) {
    if (typeof raw !== 'string') continue;
    for (const name of splitOne(raw)) {
      const display = tidy(name).slice(0, MAX_AUTHOR_NAME_CHARS).trim();
      if (display.length === 0 || DROP_RE.test(display) || /^\(.*\)$/.test(display)) continue;
      if (seen.has(display)) continue;
      seen.add(display);
      out.push(display);
    }
  }
  return out;
}

function words(s: string): string[] {
  return s
    .replace(/['’‘`ʼ\-‐‑]/g, '')
    .replace(/[^\p{L}\p{N}\s.]/gu, ' ')
    .split(/[\s.]+/)
    .filter((w) => w.length > 0);
}

/** Matching key for an author name: first initial + last name (see the module comment). */
export function authorKey(name: string): string {
  if (typeof name !== 'string') return '';
  const handle = /^\/?u\/([\w-]+)$/.exec(name.trim());
  if (handle) return `u/${handle[1]!.toLowerCase()}`;
  let t = cleanText(name).replace(/\([^()]*\)/g, ' ');
  const parts = splitTopLevel(t, ',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0 && !SUFFIX_RE.test(p));
  t = parts.length === 2 ? `${parts[1]} ${parts[0]}` : parts.join(' ');
  const folded = foldAccents(t).toLowerCase();
  const ws = words(folded);
  while (ws.length > 1 && SUFFIX_RE.test(ws.at(-1)!)) ws.pop();
  if (GROUP_RE.test(folded)) return ws.join(' ');
  if (ws.length <= 1) return ws[0] ?? '';
  return `${[...ws[0]!][0]} ${ws.at(-1)}`;
}

const EMAIL_RE = /^(?:mailto:)?[^\s@()<>]+@[^\s@()<>]+\.[^\s@()<>]+$/i;

/**
 * The display name in an RSS-style contact: `Jane Doe (jane@example.org)`, `jane@example.org (Jane Doe)`,
 * `Jane Doe <jane@example.org>` → `Jane Doe`. A bare e-mail address has no name (undefined); anything else is
 * returned trimmed as it is (a joined list stays joined: splitAuthors splits it later).
 */
export function authorNameFromContact(raw: string): string | undefined {
  const s = raw.trim();
  if (s.length === 0 || EMAIL_RE.test(s)) return undefined;
  const paren = /^(.*?)\s*\(([^()]*)\)$/.exec(s);
  if (paren) {
    const [, before = '', inside = ''] = paren;
    if (EMAIL_RE.test(inside.trim())) return before.trim() || undefined;
    if (EMAIL_RE.test(before.trim())) return inside.trim() || undefined;
  }
  const angle = /^(.*?)\s*<([^<>]*)>$/.exec(s);
  if (angle && EMAIL_RE.test(angle[2]!.trim()))
    return angle[1]!.trim().replace(/^"(.*)"$/, '$1') || undefined;
  return s;
}
