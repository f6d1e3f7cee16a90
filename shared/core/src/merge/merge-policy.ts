// How observations become papers, and how two papers become one. Every rule is order-independent
// (max/min/union over explicitly ranked values), so replays and concurrent arrival orders converge on
// the same record, and applying an observation twice changes nothing.
//
// Field precedence (documented in docs/identity.md):
//  - title, abstract, authors, categories: arXiv beats Hugging Face beats everything else; within a
//    source the newest arXiv version wins, then the latest observation.
//  - organisation, code repository, project page: Hugging Face first, then any source that has them.
//  - ids: union; a kind already known is kept (first writer wins, conflicts are not merged by id kind).
//  - firstSeenAt: the earliest evidence of the paper's first appearance, never moved by a revision.
//  - versions: union by number, each dated by the earliest evidence (arXivRaw's own version dates, else when
//    an entry with that version was seen).
//  - sightings: one per (feed, entry), first/last seen and the latest signals of that entry.
import { ID_KINDS } from '../ids/keys.ts';
import type { Observation, Paper, PaperLinks, PaperVersion, Sighting, Source } from '../types.ts';

const SOURCE_RANK: Record<Source, number> = { arxiv: 3, huggingface: 2, hackernews: 1, reddit: 1, web: 1 };

type TextSource = Paper['textSource'];

function compareTextSource(a: TextSource, b: TextSource): number {
  return a.rank - b.rank || a.version - b.version || (a.at < b.at ? -1 : a.at > b.at ? 1 : 0);
}

function minIso(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a <= b ? a : b;
}

function maxIso(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a >= b ? a : b;
}

/** The latest possible first-version date implied by a new-style arXiv id (`2205.06398` → end of May 2022). */
export function arxivIdMonthEnd(arxivId: string): string | undefined {
  const m = /^(\d{2})(\d{2})\.\d{4,5}$/.exec(arxivId) ?? /\/(\d{2})(\d{2})\d{3}$/.exec(arxivId);
  if (!m) return undefined;
  const yy = Number(m[1]);
  const month = Number(m[2]);
  if (month < 1 || month > 12) return undefined;
  const year = yy >= 91 ? 1900 + yy : 2000 + yy;
  return new Date(Date.UTC(year, month, 0, 23, 59, 59)).toISOString();
}

/**
 * The earliest evidence that the paper existed, from one observation. A revision or cross-list is not
 * a first appearance: for those only the arXiv id's month (or an explicit v1 date) counts.
 */
export function firstAppearance(obs: Observation): string {
  const seen = obs.provenance.fetchedAt;
  const isRevision =
    obs.announceType === 'replace' ||
    obs.announceType === 'replace-cross' ||
    obs.announceType === 'cross' ||
    (obs.arxivVersion !== undefined && obs.arxivVersion > 1);
  let first = seen;
  // arXiv API `published` is the v1 date even on later versions; RSS dates of revisions are not.
  const publishedIsFirst = obs.provenance.source !== 'arxiv' || !isRevision || obs.announceType === undefined;
  if (obs.publishedAt && publishedIsFirst) first = minIso(first, obs.publishedAt) ?? first;
  if (isRevision && obs.ids.arxiv) first = minIso(first, arxivIdMonthEnd(obs.ids.arxiv)) ?? first;
  // arXivRaw dates every version: v1's date is the first appearance, whichever version the entry is.
  const v1 = obs.versions?.find((v) => v.version === 1);
  if (v1) first = minIso(first, v1.seenAt) ?? first;
  return first;
}

function textSourceOf(obs: Observation): TextSource {
  return {
    rank: SOURCE_RANK[obs.provenance.source],
    version: obs.arxivVersion ?? 0,
    at: obs.provenance.fetchedAt,
  };
}

function mergeVersions(a: PaperVersion[], b: PaperVersion[]): PaperVersion[] {
  const byVersion = new Map<number, string>();
  for (const v of [...a, ...b]) {
    byVersion.set(v.version, minIso(byVersion.get(v.version), v.seenAt) ?? v.seenAt);
  }
  return [...byVersion.entries()]
    .sort((x, y) => x[0] - y[0])
    .map(([version, seenAt]) => ({ version, seenAt }));
}

function sightingKey(s: Pick<Sighting, 'feedId' | 'entryKey'>): string {
  return `${s.feedId}\u0000${s.entryKey}`;
}

function mergeSightings(a: Sighting[], b: Sighting[]): Sighting[] {
  const byKey = new Map<string, Sighting>();
  for (const s of [...a, ...b]) {
    const key = sightingKey(s);
    const prev = byKey.get(key);
    if (!prev) {
      byKey.set(key, { ...s, signals: { ...s.signals } });
      continue;
    }
    const signals =
      s.lastSeenAt > prev.lastSeenAt
        ? { ...s.signals }
        : s.lastSeenAt < prev.lastSeenAt
          ? prev.signals
          : mergeSignalsMax(prev, s);
    byKey.set(key, {
      ...prev,
      firstSeenAt: minIso(prev.firstSeenAt, s.firstSeenAt) ?? prev.firstSeenAt,
      lastSeenAt: maxIso(prev.lastSeenAt, s.lastSeenAt) ?? prev.lastSeenAt,
      signals,
    });
  }
  return [...byKey.values()].sort((x, y) => (sightingKey(x) < sightingKey(y) ? -1 : 1));
}

/** Same instant, two readings: keep the larger of each counter so the result is order-independent. */
function mergeSignalsMax(a: Sighting, b: Sighting): Sighting['signals'] {
  const out: Sighting['signals'] = { ...a.signals };
  for (const [k, v] of Object.entries(b.signals) as [keyof Sighting['signals'], number][]) {
    out[k] = Math.max(out[k] ?? 0, v);
  }
  return out;
}

function mergeLinks(a: PaperLinks, b: PaperLinks, bFirst: boolean): PaperLinks {
  const [first, second] = bFirst ? [b, a] : [a, b];
  return { ...second, ...Object.fromEntries(Object.entries(first).filter(([, v]) => v !== undefined)) };
}

function unionSorted(a: string[], b: string[]): string[] {
  return [...new Set([...a, ...b])];
}

/** The paper that one observation alone describes. */
export function paperFromObservation(paperId: string, obs: Observation): Paper {
  const seenAt = obs.provenance.fetchedAt;
  const latestVersion = Math.max(obs.arxivVersion ?? 0, ...(obs.versions ?? []).map((v) => v.version));
  return {
    _id: paperId,
    ids: { ...obs.ids },
    ...(latestVersion === 0 ? {} : { latestVersion }),
    // Dated versions (arXivRaw) keep their own dates; the entry's version is otherwise dated when seen.
    versions: mergeVersions(
      obs.versions ?? [],
      obs.arxivVersion === undefined ? [] : [{ version: obs.arxivVersion, seenAt }],
    ),
    title: obs.title,
    ...(obs.abstract === undefined ? {} : { abstract: obs.abstract }),
    authors: obs.authors,
    ...(obs.organization === undefined ? {} : { organization: obs.organization }),
    ...(obs.primaryCategory === undefined ? {} : { primaryCategory: obs.primaryCategory }),
    categories: [...obs.categories],
    firstSeenAt: firstAppearance(obs),
    ...(obs.publishedAt === undefined ? {} : { publishedAt: obs.publishedAt }),
    ...(obs.updatedAt === undefined ? {} : { updatedAt: obs.updatedAt }),
    links: { ...obs.links },
    sightings: [
      {
        feedId: obs.provenance.feedId,
        source: obs.provenance.source,
        entryKey: obs.provenance.entryKey,
        firstSeenAt: seenAt,
        lastSeenAt: seenAt,
        signals: { ...obs.signals },
      },
    ],
    textSource: textSourceOf(obs),
  };
}

/**
 * Merges two records of the same paper into one with `id`. Commutative and idempotent apart from the
 * id, which the caller chooses (see `survivorId`).
 */
export function mergePapers(id: string, a: Paper, b: Paper): Paper {
  const bText = compareTextSource(b.textSource, a.textSource) > 0;
  const text = bText ? b : a;
  const other = bText ? a : b;
  // HF carries organisation, repo and project page; otherwise whichever record has them.
  const extrasFromB =
    b.sightings.some((s) => s.source === 'huggingface') &&
    !a.sightings.some((s) => s.source === 'huggingface');
  const versions = mergeVersions(a.versions, b.versions);
  const latestVersion = versions.length > 0 ? versions[versions.length - 1]!.version : undefined;
  const organization = extrasFromB ? (b.organization ?? a.organization) : (a.organization ?? b.organization);
  const abstract = text.abstract ?? other.abstract;
  const primaryCategory = text.primaryCategory ?? other.primaryCategory;
  const publishedAt = minIso(a.publishedAt, b.publishedAt);
  const updatedAt = maxIso(a.updatedAt, b.updatedAt);
  return {
    _id: id,
    ids: { ...b.ids, ...a.ids },
    ...(latestVersion === undefined ? {} : { latestVersion }),
    versions,
    title: text.title,
    ...(abstract === undefined ? {} : { abstract }),
    authors: text.authors.length > 0 ? text.authors : other.authors,
    ...(organization === undefined ? {} : { organization }),
    ...(primaryCategory === undefined ? {} : { primaryCategory }),
    categories: unionSorted(text.categories, other.categories),
    firstSeenAt: minIso(a.firstSeenAt, b.firstSeenAt) ?? a.firstSeenAt,
    ...(publishedAt === undefined ? {} : { publishedAt }),
    ...(updatedAt === undefined ? {} : { updatedAt }),
    links: mergeLinks(a.links, b.links, extrasFromB || bText),
    sightings: mergeSightings(a.sightings, b.sightings),
    textSource: bText ? b.textSource : a.textSource,
  };
}

/** Applies one observation to a paper (or creates it). Applying the same observation twice is a no-op. */
export function applyObservation(paper: Paper | undefined, paperId: string, obs: Observation): Paper {
  const fresh = paperFromObservation(paperId, obs);
  return paper ? mergePapers(paperId, paper, fresh) : fresh;
}

/** The rank of an id's kind in ID_KINDS (strongest first); ids of no known kind (`fp:…`) rank last. */
function keyStrength(id: string): number {
  const i = ID_KINDS.findIndex((kind) => id.startsWith(`${kind}:`));
  return i === -1 ? ID_KINDS.length : i;
}

/** Which of several paper ids survives a merge: the strongest identity key, then the smallest string. */
export function survivorId(ids: readonly string[]): string {
  const sorted = [...ids].sort((x, y) => keyStrength(x) - keyStrength(y) || (x < y ? -1 : x > y ? 1 : 0));
  const first = sorted[0];
  if (first === undefined) throw new Error('merge: survivorId needs at least one id');
  return first;
}

/** Deep equality of two JSON-shaped values (used to skip writes that would change nothing). */
export function sameRecord(a: unknown, b: unknown): boolean {
  return stableJson(a) === stableJson(b);
}

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${stableJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}
