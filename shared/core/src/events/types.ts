// Paperwire's published events: what changed in the pipeline, for other services and webhooks. Plain data,
// safe to store as a FerretDB document as it is (no dotted keys, no nested arrays). The zod schemas in
// `@paperwire/jobs` (events-schema.ts) are the published contract; these types mirror them.
import type { EventRow } from '../scoring/row.ts';
import type { PaperIds, Source, Window } from '../types.ts';

/** Schema version of every event type below; bumped per type on a breaking change to its `data`. */
export const EVENT_VERSION = 1;

export const EVENT_TYPES = [
  'paper.created',
  'paper.revised',
  'paper.merged',
  'paper.signals',
  'trending.updated',
  'trending.entered',
  'trending.left',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** A paper as events describe it: enough to show it, not the whole record. */
export interface EventPaper {
  paperId: string;
  title: string;
  ids: PaperIds;
  authors: string[];
  primaryCategory?: string;
  categories: string[];
  latestVersion?: number;
  /** The paper's abstract page, when known. */
  url?: string;
  firstSeenAt: string;
  publishedAt?: string;
}

/** One source's total for one signal, summed over that source's sightings of the paper. */
export interface SignalTotal {
  source: Source;
  name: string;
  value: number;
}

export interface PaperCreatedData {
  paper: EventPaper;
}

/** What a revision changed. */
export const REVISION_FIELDS = ['version', 'title', 'abstract'] as const;
export type RevisionField = (typeof REVISION_FIELDS)[number];

export interface PaperRevisedData {
  paper: EventPaper;
  changed: RevisionField[];
  previousVersion?: number;
  previousTitle?: string;
  abstract?: string;
}

export interface PaperMergedData {
  /** The paper that remains. */
  survivorId: string;
  /** The paper id that now redirects to the survivor. */
  mergedId: string;
  title: string;
}

export interface PaperSignalsData {
  paperId: string;
  title: string;
  /** Every source's totals now, sorted by source then name. */
  totals: SignalTotal[];
  /** The totals before this change (empty for a paper seen with signals for the first time). */
  previous: SignalTotal[];
}

/** A ranking snapshot's board. */
export interface TrendingBoard {
  snapshotId: string;
  window: Window;
  /** `all` for the overall board. */
  category: string;
  asOf: string;
}

/** A row of the top: everything the board shows of the paper (`eventRowSchema`). */
export type TrendingTopEntry = EventRow;

export interface TrendingUpdatedData extends TrendingBoard {
  scoreVersion: string;
  /** Papers in the snapshot. */
  size: number;
  /** Depth of the top that `top`, entered, left and moved are about. */
  topN: number;
  top: TrendingTopEntry[];
  entered: number;
  left: number;
  moved: { paperId: string; from: number; to: number }[];
}

export interface TrendingEnteredData extends TrendingBoard {
  topN: number;
  paperId: string;
  title: string;
  rank: number;
  /** Rank in the previous snapshot, when the paper was ranked lower. */
  from?: number;
  /** The paper's row on the board now (what a reader needs to show it; absent for a row not found). */
  row?: EventRow;
}

export interface TrendingLeftData extends TrendingBoard {
  topN: number;
  paperId: string;
  title: string;
  /** Rank in the previous snapshot. */
  rank: number;
  /** Rank now, when the paper is still ranked lower. */
  to?: number;
}

export interface EventDataByType {
  'paper.created': PaperCreatedData;
  'paper.revised': PaperRevisedData;
  'paper.merged': PaperMergedData;
  'paper.signals': PaperSignalsData;
  'trending.updated': TrendingUpdatedData;
  'trending.entered': TrendingEnteredData;
  'trending.left': TrendingLeftData;
}

/** One event of type `T`: `id` is derived from the change it describes, so a re-emission keeps it. */
export interface EventOf<T extends EventType> {
  id: string;
  type: T;
  version: typeof EVENT_VERSION;
  /** ISO-8601 instant of the change. */
  occurredAt: string;
  data: EventDataByType[T];
}

export type PaperwireEvent = { [T in EventType]: EventOf<T> }[EventType];
