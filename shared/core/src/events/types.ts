// Paperwire's published events: what changed in the pipeline, for other services and webhooks. Plain data,
// safe to store as a FerretDB document as it is (no dotted keys, no nested arrays). Every type here is
// inferred from the zod schemas in schema.ts, the one source of the contract.
import type { z } from 'zod';
import type {
  EVENT_DATA_SCHEMAS,
  EVENT_SCHEMAS,
  EventType,
  eventPaperSchema,
  REVISION_FIELDS,
  signalTotalSchema,
  trendingBoardSchema,
  trendingTopEntrySchema,
} from './schema.ts';

export type RevisionField = (typeof REVISION_FIELDS)[number];
export type EventPaper = z.infer<typeof eventPaperSchema>;
export type SignalTotal = z.infer<typeof signalTotalSchema>;
export type TrendingBoard = z.infer<typeof trendingBoardSchema>;
export type TrendingTopEntry = z.infer<typeof trendingTopEntrySchema>;

export type EventDataByType = { [T in EventType]: z.infer<(typeof EVENT_DATA_SCHEMAS)[T]> };
export type PaperCreatedData = EventDataByType['paper.created'];
export type PaperRevisedData = EventDataByType['paper.revised'];
export type PaperMergedData = EventDataByType['paper.merged'];
export type PaperSignalsData = EventDataByType['paper.signals'];
export type TrendingUpdatedData = EventDataByType['trending.updated'];
export type TrendingEnteredData = EventDataByType['trending.entered'];
export type TrendingLeftData = EventDataByType['trending.left'];

/** One event of type `T`: `id` is derived from the change it describes, so a re-emission keeps it. */
export type EventOf<T extends EventType> = z.infer<(typeof EVENT_SCHEMAS)[T]>;

export type PaperwireEvent = { [T in EventType]: EventOf<T> }[EventType];
