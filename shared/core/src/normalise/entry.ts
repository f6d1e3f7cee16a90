// normaliseEntry: SourceEntry (as the source said it) → Observation (what the resolver stores).
//
// Ids: structured hints (`entry.ids`) first, then ids found in `url`, then `links` (in order), then the
// rss.arxiv.org description prefix, then a legacy RDF title suffix `(arXiv:1808.09955v1 [astro-ph.IM])`;
// for each kind the first source that has it wins. An HF id implies the same arXiv id; arXiv's DOI
// `10.48550/arXiv.<id>` becomes the arXiv id, not a doi. arxivVersion: the hint's version, else the highest
// version any source gives for the chosen arXiv id. The summary body is NOT searched (it cites other papers).
// Text: title and abstract via cleanText (abstract after stripArxivPrefix); the RDF title suffix is removed
// (its category becomes the primary category when the entry has none). Empty title → `{ ok: false }`.
// Categories: trimmed, de-duplicated, primary first (added when missing); primaryCategory defaults to the
// first category. Dates: normaliseDate (invalid or out-of-range → dropped, never fatal).
// Links: arXiv id → abs/pdf (versionless, so they follow the latest version) and html for ids from 2312 on
// (arXiv renders HTML only for submissions since Dec 2023); else a DOI → https://doi.org/…; else OpenReview
// forum/pdf; else the entry's own url as `abs`. code/project from codeUrl/projectUrl (http(s) only).
// Signals: only SIGNAL_NAMES keys, only finite numbers ≥ 0.
// Versions (arXivRaw's dated `<version>`s): whole numbers 1…999 with a valid date, ascending; absent when none.
// _id: `${feedId}|${entryKey}|${first 16 hex of sha256(content)}` where content is every normalised field
// except provenance (so fetchedAt does not matter: an unchanged re-fetch gives the same _id, new signals or
// a new version give a new one). An entryKey longer than MAX_ENTRY_KEY_IN_ID is replaced by
// `sha256:<32 hex>` of itself to keep _id short. Changing this module's output changes the hashes.
// Limits (exported): see the constants below; text is cut hard (no ellipsis), never mid surrogate pair.
// Input is read defensively (own properties, type checks); output objects only get known keys, so
// `__proto__` / `constructor` keys in the input cannot pollute anything.

import { createHash } from 'node:crypto';
import { authorKey, splitAuthors } from '../authors/authors.ts';
import { canonicalArxivId } from '../ids/arxiv.ts';
import { arxivIdFromDoi, canonicalDoi } from '../ids/doi.ts';
import { type ExtractedIds, extractIds } from '../ids/extract.ts';
import { ID_KINDS, identityKeys } from '../ids/keys.ts';
import { canonicalOpenAlexId, canonicalOpenReviewId, canonicalS2Id } from '../ids/other.ts';
import { parseArxivAnnounce, stripArxivPrefix } from '../text/announce.ts';
import { cleanText } from '../text/clean.ts';
import {
  ANNOUNCE_TYPES,
  type AnnounceType,
  type Author,
  type Observation,
  type PaperIds,
  type PaperLinks,
  type PaperVersion,
  type Provenance,
  SIGNAL_NAMES,
  type Signals,
  SOURCES,
  type Source,
  type SourceEntry,
} from '../types.ts';
import { normaliseDate } from './dates.ts';
import { normaliseUrl } from './urls.ts';

/** Abstracts are cut to this many characters. */
export const MAX_ABSTRACT_CHARS = 20_000;
/** Titles are cut to this many characters. */
export const MAX_TITLE_CHARS = 1_000;
/** Only the first this-many authors are kept. */
export const MAX_AUTHORS = 1_000;
/** Only the first this-many categories are kept; each category is cut to MAX_CATEGORY_CHARS. */
export const MAX_CATEGORIES = 50;
export const MAX_CATEGORY_CHARS = 64;
/** Organisation names are cut to this many characters. */
export const MAX_ORGANIZATION_CHARS = 300;
/** Only the first this-many `links` are searched for ids. */
export const MAX_LINKS = 100;
/** Raw text fields are cut to this before cleaning, bounding the work on hostile input (10 MB abstracts). */
export const MAX_RAW_CHARS = 200_000;
/** Longer entry keys are hashed inside `_id`. */
export const MAX_ENTRY_KEY_IN_ID = 200;

export type NormaliseResult = { ok: true; observation: Observation } | { ok: false; reason: string };

const RDF_TITLE_SUFFIX_RE = /\.?\s*\(arXiv:(\S+?)\s*\[([^\]\s]+)\](?:\s*UPDATED)?\)\s*$/i;

function own(obj: unknown, key: string): unknown {
  return typeof obj === 'object' && obj !== null && Object.hasOwn(obj, key)
    ? (obj as Record<string, unknown>)[key]
    : undefined;
}

function str(v: unknown, max = MAX_RAW_CHARS): string | undefined {
  return typeof v === 'string' ? v.slice(0, max) : undefined;
}

function strings(v: unknown, limit: number): string[] {
  return Array.isArray(v) ? v.slice(0, limit).filter((x): x is string => typeof x === 'string') : [];
}

/** Hard cut at `max` UTF-16 units, never leaving half a surrogate pair. */
export function truncateText(s: string, max: number): string {
  if (s.length <= max) return s;
  let cut = s.slice(0, max);
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
  return cut.trimEnd();
}

function sha256Hex(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('hex');
}

function idsFromHints(hints: unknown): ExtractedIds {
  const out: ExtractedIds = {};
  const arxivHint = str(own(hints, 'arxiv'), 4096);
  const arxiv = arxivHint === undefined ? undefined : canonicalArxivId(arxivHint);
  if (arxiv) {
    out.arxiv = arxiv.id;
    if (arxiv.version !== undefined) out.arxivVersion = arxiv.version;
  }
  const doiHint = str(own(hints, 'doi'), 4096);
  const doi = doiHint === undefined ? undefined : canonicalDoi(doiHint);
  if (doi) {
    const fromDoi = arxivIdFromDoi(doi);
    if (fromDoi === undefined) out.doi = doi;
    else out.arxiv ??= fromDoi;
  }
  const hfHint = str(own(hints, 'hf'), 4096);
  const hf = hfHint === undefined ? undefined : canonicalArxivId(hfHint);
  if (hf) {
    out.hf = hf.id;
    out.arxiv ??= hf.id;
  }
  const openreview = str(own(hints, 'openreview'), 4096);
  const s2 = str(own(hints, 's2'), 4096);
  const openalex = str(own(hints, 'openalex'), 4096);
  const orId = openreview === undefined ? undefined : canonicalOpenReviewId(openreview);
  const s2Id = s2 === undefined ? undefined : canonicalS2Id(s2);
  const oaId = openalex === undefined ? undefined : canonicalOpenAlexId(openalex);
  if (orId) out.openreview = orId;
  if (s2Id) out.s2 = s2Id;
  if (oaId) out.openalex = oaId;
  return out;
}

function mergeIds(sources: ExtractedIds[]): { ids: PaperIds; arxivVersion?: number } {
  const ids: PaperIds = {};
  for (const kind of ID_KINDS) {
    const found = sources.find((s) => s[kind] !== undefined)?.[kind];
    if (found !== undefined) ids[kind] = found;
  }
  if (ids.arxiv === undefined) return { ids };
  const hintVersion = sources[0]?.arxiv === ids.arxiv ? sources[0]?.arxivVersion : undefined;
  let version = hintVersion;
  if (version === undefined) {
    for (const s of sources) {
      if (s.arxiv === ids.arxiv && s.arxivVersion !== undefined)
        version = Math.max(version ?? 0, s.arxivVersion);
    }
  }
  return version === undefined ? { ids } : { ids, arxivVersion: version };
}

function arxivHtmlAvailable(id: string): boolean {
  const m = /^(\d{4})\.\d{5}$/.exec(id);
  return m !== null && Number(m[1]) >= 2312;
}

function deriveLinks(ids: PaperIds, entry: SourceEntry): PaperLinks {
  const links: PaperLinks = {};
  if (ids.arxiv !== undefined) {
    links.abs = `https://arxiv.org/abs/${ids.arxiv}`;
    links.pdf = `https://arxiv.org/pdf/${ids.arxiv}`;
    if (arxivHtmlAvailable(ids.arxiv)) links.html = `https://arxiv.org/html/${ids.arxiv}`;
  } else if (ids.doi !== undefined) {
    links.abs = `https://doi.org/${ids.doi.split('/').map(encodeURIComponent).join('/')}`;
  } else if (ids.openreview !== undefined) {
    links.abs = `https://openreview.net/forum?id=${ids.openreview}`;
    links.pdf = `https://openreview.net/pdf?id=${ids.openreview}`;
  } else {
    const url = normaliseUrl(str(own(entry, 'url'), 4096));
    if (url) links.abs = url;
  }
  const code = normaliseUrl(str(own(entry, 'codeUrl'), 4096));
  const project = normaliseUrl(str(own(entry, 'projectUrl'), 4096));
  if (code) links.code = code;
  if (project) links.project = project;
  return links;
}

function normaliseSignals(raw: unknown): Signals {
  const signals: Signals = {};
  for (const name of SIGNAL_NAMES) {
    const v = own(raw, name);
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) signals[name] = v;
  }
  return signals;
}

/** Only the first this-many dated versions are kept. */
export const MAX_VERSIONS = 200;

/** Dated versions (arXivRaw): whole numbers 1…999 with a valid date, one per number (earliest), ascending. */
function normaliseVersions(raw: unknown): PaperVersion[] {
  if (!Array.isArray(raw)) return [];
  const byVersion = new Map<number, string>();
  for (const v of raw.slice(0, MAX_VERSIONS)) {
    const version = own(v, 'version');
    const date = normaliseDate(str(own(v, 'date'), 64));
    if (typeof version !== 'number' || !Number.isInteger(version) || version < 1 || version > 999) continue;
    if (date === undefined) continue;
    const prev = byVersion.get(version);
    if (prev === undefined || date < prev) byVersion.set(version, date);
  }
  return [...byVersion.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([version, seenAt]) => ({ version, seenAt }));
}

function normaliseCategories(raw: unknown, primaryRaw: unknown, fallbackPrimary: string | undefined) {
  const clean = (c: string) => truncateText(cleanText(c.slice(0, 1_000)), MAX_CATEGORY_CHARS);
  const given = strings(raw, MAX_CATEGORIES * 4).map(clean);
  const primaryGiven = typeof primaryRaw === 'string' ? clean(primaryRaw) : '';
  const primary = primaryGiven || given.find((c) => c.length > 0) || fallbackPrimary;
  const categories = [...new Set([...(primary ? [primary] : []), ...given])]
    .filter((c) => c.length > 0)
    .slice(0, MAX_CATEGORIES);
  return { categories, primaryCategory: primary };
}

function normaliseProvenance(raw: unknown): Provenance | undefined {
  const feedId = str(own(raw, 'feedId'), 4096)?.trim();
  const entryKey = str(own(raw, 'entryKey'), 100_000)?.trim();
  const source = own(raw, 'source');
  const fetchedAt = str(own(raw, 'fetchedAt'), 64);
  if (!feedId || !entryKey) return undefined;
  if (typeof source !== 'string' || !(SOURCES as readonly string[]).includes(source)) return undefined;
  return { feedId, source: source as Source, entryKey, fetchedAt: fetchedAt ?? '' };
}

function isAnnounceType(v: unknown): v is AnnounceType {
  return typeof v === 'string' && (ANNOUNCE_TYPES as readonly string[]).includes(v);
}

/** Normalises one entry; see the module comment for every rule. Never throws on bad field values. */
export function normaliseEntry(entry: SourceEntry): NormaliseResult {
  const provenance = normaliseProvenance(own(entry, 'provenance'));
  if (!provenance) return { ok: false, reason: 'normalise: missing provenance (feedId, entryKey or source)' };

  // Title, with the legacy RDF suffix taken off (and read).
  let title = cleanText(str(own(entry, 'title'), MAX_TITLE_CHARS * 4) ?? '');
  let suffixIds: ExtractedIds = {};
  let suffixCategory: string | undefined;
  const suffix = RDF_TITLE_SUFFIX_RE.exec(title);
  const suffixArxiv = suffix ? canonicalArxivId(suffix[1]!) : undefined;
  if (suffix && suffixArxiv) {
    title = title.slice(0, suffix.index).trim();
    suffixIds = {
      arxiv: suffixArxiv.id,
      ...(suffixArxiv.version ? { arxivVersion: suffixArxiv.version } : {}),
    };
    suffixCategory = suffix[2];
  }
  title = truncateText(title, MAX_TITLE_CHARS);
  if (title.length === 0) return { ok: false, reason: 'normalise: empty title' };

  // Abstract and the rss.arxiv.org prefix.
  const summary = str(own(entry, 'summary'));
  const announce = summary === undefined ? undefined : parseArxivAnnounce(summary);
  const abstract =
    summary === undefined ? '' : truncateText(cleanText(stripArxivPrefix(summary)), MAX_ABSTRACT_CHARS);
  const prefixIds: ExtractedIds = announce
    ? { arxiv: announce.id, ...(announce.version ? { arxivVersion: announce.version } : {}) }
    : {};

  // Ids, strongest source first.
  const url = str(own(entry, 'url'), 4096);
  const { ids, arxivVersion } = mergeIds([
    idsFromHints(own(entry, 'ids')),
    url === undefined ? {} : extractIds(url),
    ...strings(own(entry, 'links'), MAX_LINKS).map((l) => extractIds(l.slice(0, 4096))),
    prefixIds,
    suffixIds,
  ]);

  const authors: Author[] = splitAuthors(
    strings(own(entry, 'authors'), MAX_AUTHORS).map((a) => a.slice(0, MAX_RAW_CHARS)),
  )
    .slice(0, MAX_AUTHORS)
    .map((name) => ({ name, key: authorKey(name) }));

  const { categories, primaryCategory } = normaliseCategories(
    own(entry, 'categories'),
    own(entry, 'primaryCategory'),
    suffixCategory,
  );
  const organization = truncateText(cleanText(str(own(entry, 'organization')) ?? ''), MAX_ORGANIZATION_CHARS);
  const rawAnnounce = own(entry, 'announceType');
  const announceType = isAnnounceType(rawAnnounce) ? rawAnnounce : announce?.announceType;
  const publishedAt = normaliseDate(str(own(entry, 'publishedAt'), 64));
  const updatedAt = normaliseDate(str(own(entry, 'updatedAt'), 64));
  const versions = normaliseVersions(own(entry, 'versions'));

  const content = {
    ids,
    ...(arxivVersion === undefined ? {} : { arxivVersion }),
    ...(versions.length > 0 ? { versions } : {}),
    identityKeys: identityKeys(ids),
    title,
    ...(abstract ? { abstract } : {}),
    authors,
    ...(organization ? { organization } : {}),
    categories,
    ...(primaryCategory ? { primaryCategory } : {}),
    ...(announceType ? { announceType } : {}),
    ...(publishedAt ? { publishedAt } : {}),
    ...(updatedAt ? { updatedAt } : {}),
    links: deriveLinks(ids, entry),
    signals: normaliseSignals(own(entry, 'signals')),
  };
  const hash = sha256Hex(JSON.stringify(content)).slice(0, 16);
  const keyInId =
    provenance.entryKey.length > MAX_ENTRY_KEY_IN_ID
      ? `sha256:${sha256Hex(provenance.entryKey).slice(0, 32)}`
      : provenance.entryKey;
  return {
    ok: true,
    observation: { _id: `${provenance.feedId}|${keyInId}|${hash}`, provenance, ...content },
  };
}
