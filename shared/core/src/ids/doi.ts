// DOIs. Canonical form: `10.<registrant>/<suffix>`, lower case (DOIs are case-insensitive), URL-decoded,
// without resolver prefix (`https://doi.org/`, `dx.doi.org/`, `doi:`, `info:doi/`), trimmed of trailing
// punctuation (`.,;:!?'"`) and of closing brackets that have no partner inside the DOI, so
// `10.1016/S0140-6736(20)30183-5` keeps its balanced parentheses. A trailing `.pdf` is removed
// (publisher PDF links; no registered DOI we know of ends in `.pdf`). bioRxiv/medRxiv DOIs (`10.1101/`) also
// lose the version and page suffix (`…571984v1.full.pdf` → `…571984`).
// In free text a DOI is recognised by the `10.NNNN/` shape itself (preceded by a non-word character);
// the suffix ends at whitespace, quotes, `<>`, and URL query or fragment characters (`? # &`).
// bioRxiv/medRxiv content URLs (`biorxiv.org/cgi/content/short/2023.12.16.571984v1?rss=1`) yield
// `10.1101/2023.12.16.571984`.

import { ARXIV_ID_SOURCE, validateArxivId } from './arxiv.ts';

const DOI_FIND_RE = /(?<![\w.-])10\.\d{4,9}(?:\/|%2F)[^\s"'<>?#&|{}\\^`]+/gi;
// bioRxiv / medRxiv content URLs carry the dated DOI suffix without the `10.1101/` prefix.
const RXIV_URL_RE =
  /(?<![\w-])(?:www\.)?(?:biorxiv|medrxiv)\.org\/(?:cgi\/)?content\/(?:short\/|early\/\d{4}\/\d{2}\/\d{2}\/)?(\d{4}\.\d{2}\.\d{2}\.\d{6})(?!\d)/gi;
const DOI_SHAPE_RE = /^10\.\d{4,9}\/\S+$/;
const PREFIX_RE = /^(?:(?:https?:\/\/)?(?:www\.)?(?:dx\.)?doi\.org\/|doi:\s*|info:doi\/)/i;
const ARXIV_DOI_RE = new RegExp(String.raw`^10\.48550\/arxiv\.(${ARXIV_ID_SOURCE})(?:v\d+)?$`, 'i');
const BIORXIV_SUFFIX_RE =
  /(?:v\d+)?(?:\.(?:full|abstract|article-info|article-metrics|supplementary-material)(?:-text)?)?$/;

function safeDecode(s: string): string {
  if (!s.includes('%')) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function count(s: string, ch: string): number {
  let n = 0;
  for (const c of s) if (c === ch) n++;
  return n;
}

function trimTrailing(doi: string): string {
  let s = doi;
  for (;;) {
    const before = s;
    s = s.replace(/[.,;:!?'"]+$/, '');
    if (/\.pdf$/.test(s)) s = s.slice(0, -4);
    for (const [open, close] of [
      ['(', ')'],
      ['[', ']'],
      ['{', '}'],
    ] as const) {
      if (s.endsWith(close) && count(s, close) > count(s, open)) s = s.slice(0, -1);
    }
    if (s === before) return s;
  }
}

/** Canonical DOI from a DOI, a resolver URL or a `doi:` string; the first DOI in a longer string otherwise. */
export function canonicalDoi(raw: string): string | undefined {
  if (typeof raw !== 'string') return undefined;
  let s = raw.trim();
  if (s.length === 0 || s.length > 4096) return undefined;
  s = safeDecode(s.replace(PREFIX_RE, '')).trim();
  if (!DOI_SHAPE_RE.test(s)) {
    DOI_FIND_RE.lastIndex = 0;
    const found = DOI_FIND_RE.exec(s);
    if (!found) return undefined;
    s = found[0];
  } else {
    // A bare DOI may still carry a URL tail.
    s = s.replace(/[?#&\s].*$/s, '');
  }
  s = trimTrailing(s.toLowerCase());
  if (s.startsWith('10.1101/')) s = s.replace(BIORXIV_SUFFIX_RE, '');
  return /^10\.\d{4,9}\/.*[a-z0-9]/.test(s) ? s : undefined;
}

/** arXiv's own DataCite DOI (`10.48550/arXiv.2401.01234`) as an arXiv id; undefined for other DOIs. */
export function arxivIdFromDoi(doi: string): string | undefined {
  const m = ARXIV_DOI_RE.exec(doi);
  return m ? validateArxivId(m[1]!) : undefined;
}

export interface DoiMatch {
  doi: string;
  index: number;
}

/** Every DOI in `text` (canonical), in order. Resolver URLs are found through their `10.` part. */
export function findDois(text: string): DoiMatch[] {
  const out: DoiMatch[] = [];
  for (const m of text.matchAll(DOI_FIND_RE)) {
    const doi = canonicalDoi(m[0].replace(/^(10\.\d+)%2F/i, '$1/'));
    if (doi) out.push({ doi, index: m.index });
  }
  for (const m of text.matchAll(RXIV_URL_RE)) {
    const doi = `10.1101/${m[1]}`;
    if (!out.some((d) => d.doi === doi)) out.push({ doi, index: m.index });
  }
  return out.sort((a, b) => a.index - b.index);
}
