// Identifiers of OpenReview, Semantic Scholar and OpenAlex. Each canonical* function accepts the bare id
// or a URL; each find* function returns matches with their offsets for first-wins ordering.
//   OpenReview: forum id from `openreview.net/forum|pdf|attachment?…id=<id>`; case-sensitive, kept as is.
//   Semantic Scholar: 40-hex paper id from `semanticscholar.org/paper/[slug/]<hex>` (also api…/graph/v1/paper/),
//   lower case.
//   OpenAlex: work id `W<digits>` from `openalex.org/[works/]W…`, upper-case `W`.

export interface IdMatch {
  id: string;
  index: number;
}

const OPENREVIEW_RE =
  /(?<![\w-])(?:[a-z0-9-]{1,63}\.){0,4}openreview\.net\/(?:forum|pdf|attachment)\?(?:[^\s#"'<>]{0,500}?&)?id=([A-Za-z0-9_-]{4,64})(?![A-Za-z0-9_-])/gi;
const S2_RE =
  /(?<![\w-])(?:[a-z0-9-]{1,63}\.){0,4}semanticscholar\.org\/(?:graph\/v1\/)?paper\/(?:[^\s/?#"'<>]+\/)?([0-9a-f]{40})(?![0-9a-z])/gi;
const OPENALEX_RE = /(?<![\w-])(?:[a-z0-9-]{1,63}\.){0,4}openalex\.org\/(?:works\/)?(W\d{2,15})(?![\w])/gi;

function findAll(re: RegExp, text: string, map: (id: string) => string): IdMatch[] {
  return [...text.matchAll(re)].map((m) => ({ id: map(m[1]!), index: m.index }));
}

export function findOpenReviewIds(text: string): IdMatch[] {
  return findAll(OPENREVIEW_RE, text, (id) => id);
}

export function findS2Ids(text: string): IdMatch[] {
  return findAll(S2_RE, text, (id) => id.toLowerCase());
}

export function findOpenAlexIds(text: string): IdMatch[] {
  return findAll(OPENALEX_RE, text, (id) => `W${id.slice(1)}`);
}

function canonical(raw: string, bare: RegExp, find: (s: string) => IdMatch[], map: (s: string) => string) {
  if (typeof raw !== 'string') return undefined;
  const s = raw.trim();
  if (s.length === 0 || s.length > 4096) return undefined;
  if (bare.test(s)) return map(s);
  return find(s)[0]?.id;
}

/** OpenReview forum id from a bare id or an openreview.net URL. */
export function canonicalOpenReviewId(raw: string): string | undefined {
  return canonical(raw, /^[A-Za-z0-9_-]{4,64}$/, findOpenReviewIds, (s) => s);
}

/** Semantic Scholar paper id (40 hex, lower case) from a bare id or a semanticscholar.org URL. */
export function canonicalS2Id(raw: string): string | undefined {
  return canonical(raw, /^[0-9a-f]{40}$/i, findS2Ids, (s) => s.toLowerCase());
}

/** OpenAlex work id (`W123`) from a bare id or an openalex.org URL. */
export function canonicalOpenAlexId(raw: string): string | undefined {
  return canonical(raw, /^W\d{2,15}$/i, findOpenAlexIds, (s) => `W${s.slice(1)}`);
}
