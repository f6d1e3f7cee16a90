// Domain types shared by every stage: feed → fetch → raw payload → parse → SourceEntry → normalise →
// Observation → resolve → Paper → score → Ranking. Plain data only; no behaviour, no I/O.

/** How a feed's payload is parsed. */
export const FEED_KINDS = [
  'rss',
  'atom',
  'arxiv-rss',
  'arxiv-api',
  'arxiv-oai',
  'hf-daily',
  'hn',
  'reddit',
] as const;
export type FeedKind = (typeof FEED_KINDS)[number];

/** The service a payload comes from; politeness budgets and signal weights are per source. */
export const SOURCES = ['arxiv', 'huggingface', 'hackernews', 'reddit', 'web'] as const;
export type Source = (typeof SOURCES)[number];

/** Engagement counters a source reports for an entry. */
export const SIGNAL_NAMES = ['upvotes', 'points', 'score', 'comments', 'stars'] as const;
export type SignalName = (typeof SIGNAL_NAMES)[number];
export type Signals = Partial<Record<SignalName, number>>;

/** arXiv's announcement types in the rss.arxiv.org feed. */
export const ANNOUNCE_TYPES = ['new', 'cross', 'replace', 'replace-cross'] as const;
export type AnnounceType = (typeof ANNOUNCE_TYPES)[number];

/** Where an entry was seen. */
export interface Provenance {
  feedId: string;
  source: Source;
  /** Stable key of the entry within its feed (guid, Atom id, HN objectID, Reddit t3 id, …). */
  entryKey: string;
  /** ISO-8601 instant the payload was fetched. */
  fetchedAt: string;
}

/**
 * Identifier hints an adapter found in structured fields, as raw strings (e.g. `oai:arXiv.org:2609.26811v1`,
 * `http://arxiv.org/abs/cond-mat/0412498v1`, `10.48550/arXiv.2401.01234`). Canonicalising them is the
 * normaliser's job, not the adapter's.
 */
export interface RawIdHints {
  arxiv?: string;
  doi?: string;
  hf?: string;
  openreview?: string;
  s2?: string;
  openalex?: string;
}

/** One entry of one payload, as the source said it: fields picked, not yet normalised. */
export interface SourceEntry {
  provenance: Provenance;
  title: string;
  /**
   * The title as HTML when the feed gave it markup (`CO<sub>2</sub>`); `title` then holds the same title
   * rendered as text (`CO2`). Absent for plain-text titles. Not part of the Observation.
   */
  titleHtml?: string;
  /** Abstract or description; may hold HTML, LaTeX, hard wraps, arXiv's description prefix. */
  summary?: string;
  /** Author display names as given (a single comma-joined `dc:creator` stays one string here). */
  authors: string[];
  /** The entry's main link. */
  url?: string;
  /** Every other link seen on the entry (pdf, external story url, comments permalink, doi link…). */
  links: string[];
  ids: RawIdHints;
  categories: string[];
  primaryCategory?: string;
  /** ISO-8601. */
  publishedAt?: string;
  /** ISO-8601. */
  updatedAt?: string;
  announceType?: AnnounceType;
  organization?: string;
  codeUrl?: string;
  projectUrl?: string;
  comment?: string;
  journalRef?: string;
  /** Every arXiv version with the date the source gives for it (OAI-PMH arXivRaw `<version>`), raw. */
  versions?: { version: number; date: string }[];
  signals: Signals;
}

/** What a backfill pages through (arXiv API search or OAI-PMH ListRecords); see docs/oai.md. */
export type BackfillSource =
  | {
      kind: 'arxiv-api';
      /** The query endpoint, e.g. https://export.arxiv.org/api/query. */
      base: string;
      /** e.g. `cat:cs.LG AND submittedDate:[202611010000 TO 202611282359]`. */
      searchQuery: string;
      pageSize: number;
    }
  | {
      kind: 'arxiv-oai';
      /** The OAI-PMH base URL, e.g. https://export.arxiv.org/oai2. */
      base: string;
      metadataPrefix: 'arXivRaw' | 'arXiv';
      set?: string;
      /** YYYY-MM-DD, inclusive. */
      from?: string;
      until?: string;
    };

/** An entry an adapter could not turn into a SourceEntry, with the reason (logged, never fatal). */
export interface SkippedEntry {
  entryKey?: string;
  reason: string;
}

export interface ParseResult {
  feedTitle?: string;
  /** RSS `<ttl>`: how many minutes the publisher says the feed may be cached. */
  ttlMinutes?: number;
  entries: SourceEntry[];
  skipped: SkippedEntry[];
}

/** Canonical identifiers of a paper. `arxiv` is versionless (`2401.01234`, `hep-th/9901001`). */
export interface PaperIds {
  arxiv?: string;
  doi?: string;
  hf?: string;
  openreview?: string;
  s2?: string;
  openalex?: string;
}

export interface Author {
  /** As displayed. */
  name: string;
  /** Normalised for matching: lower case, no accents, initials collapsed. */
  key: string;
}

export interface PaperLinks {
  abs?: string;
  pdf?: string;
  html?: string;
  code?: string;
  project?: string;
}

/** A normalised SourceEntry: what the resolver stores (append-only) and merges into papers. */
export interface Observation {
  /** Deterministic: provenance.feedId + entryKey + content hash, so re-ingesting writes nothing new. */
  _id: string;
  provenance: Provenance;
  ids: PaperIds;
  /** arXiv version number seen in this entry, if any. */
  arxivVersion?: number;
  /** Versions with the dates the source gave for them (arXivRaw), ascending; absent when it gave none. */
  versions?: PaperVersion[];
  /** Identity keys (`arxiv:2401.01234`, `doi:10.1000/x`, …), strongest first. */
  identityKeys: string[];
  title: string;
  abstract?: string;
  authors: Author[];
  organization?: string;
  categories: string[];
  primaryCategory?: string;
  announceType?: AnnounceType;
  publishedAt?: string;
  updatedAt?: string;
  links: PaperLinks;
  signals: Signals;
}

/** Every source and feed that mentioned a paper, with that source's latest signals. */
export interface Sighting {
  feedId: string;
  source: Source;
  entryKey: string;
  firstSeenAt: string;
  lastSeenAt: string;
  signals: Signals;
}

export interface PaperVersion {
  version: number;
  /** When this version was first seen (or its date, when the source gives one). */
  seenAt: string;
}

/** The canonical paper record: one per paper, however many sources and versions mention it. */
export interface Paper {
  /** Strongest identity key, e.g. `arxiv:2401.01234`. */
  _id: string;
  ids: PaperIds;
  latestVersion?: number;
  versions: PaperVersion[];
  title: string;
  abstract?: string;
  authors: Author[];
  organization?: string;
  primaryCategory?: string;
  categories: string[];
  /** When Paperwire first saw the paper anywhere: the start of its age for recency decay. */
  firstSeenAt: string;
  publishedAt?: string;
  updatedAt?: string;
  links: PaperLinks;
  sightings: Sighting[];
  /**
   * Where title, abstract, authors and categories came from: the merge keeps the highest
   * (source rank, arXiv version, observed at), so the result does not depend on arrival order.
   */
  textSource: { rank: number; version: number; at: string };
}

export const WINDOWS = ['24h', '7d', '30d'] as const;
export type Window = (typeof WINDOWS)[number];
