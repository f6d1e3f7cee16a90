// The published contract of Paperwire's events, and its only source: one zod schema per type (version 1),
// the union consumers validate against, and its JSON Schema (`eventsJsonSchema()`) for non-TypeScript
// consumers. The TypeScript types (types.ts) are `z.infer` of these schemas; the builders (build.ts)
// produce them, and tests validate every builder's output against them. zod is pure: no I/O.
import { z } from 'zod';
import { eventRowSchema, rowIdsSchema } from '../scoring/row.ts';
import { SOURCES, WINDOWS } from '../types.ts';

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

/** What a revision changed. */
export const REVISION_FIELDS = ['version', 'title', 'abstract'] as const;

const isoInstant = z.iso.datetime({ offset: true });
const paperId = z.string().min(1).max(600);
const rank = z.number().int().min(1);

const paperIds = rowIdsSchema;

/** A paper as events describe it: enough to show it, not the whole record. */
export const eventPaperSchema = z.strictObject({
  paperId,
  title: z.string(),
  ids: paperIds,
  authors: z.array(z.string()),
  primaryCategory: z.string().optional(),
  categories: z.array(z.string()),
  latestVersion: z.number().int().min(1).optional(),
  /** The paper's abstract page, when known. */
  url: z.string().optional(),
  firstSeenAt: isoInstant,
  publishedAt: z.string().optional(),
});

/** One source's total for one signal, summed over that source's sightings of the paper. */
export const signalTotalSchema = z.strictObject({
  source: z.enum(SOURCES),
  name: z.string(),
  value: z.number(),
});

/** A ranking snapshot's board. */
const board = {
  snapshotId: z.string().min(1),
  window: z.enum(WINDOWS),
  /** `all` for the overall board. */
  category: z.string().min(1),
  asOf: isoInstant,
};
export const trendingBoardSchema = z.strictObject(board);

/** A row of a board's top in an event: everything the board shows of the paper (no score breakdown). */
export const trendingTopEntrySchema = eventRowSchema;

/** The `data` of each event type, version 1. */
export const EVENT_DATA_SCHEMAS = {
  'paper.created': z.strictObject({ paper: eventPaperSchema }),
  'paper.revised': z.strictObject({
    paper: eventPaperSchema,
    changed: z.array(z.enum(REVISION_FIELDS)).min(1),
    previousVersion: z.number().int().min(1).optional(),
    previousTitle: z.string().optional(),
    abstract: z.string().optional(),
  }),
  'paper.merged': z.strictObject({
    /** The paper that remains. */
    survivorId: paperId,
    /** The paper id that now redirects to the survivor. */
    mergedId: paperId,
    title: z.string(),
  }),
  'paper.signals': z.strictObject({
    paperId,
    title: z.string(),
    /** Every source's totals now, sorted by source then name; `previous`: before this change (empty the
     * first time a paper is seen with signals). */
    totals: z.array(signalTotalSchema).min(1),
    previous: z.array(signalTotalSchema),
  }),
  'trending.updated': z.strictObject({
    ...board,
    scoreVersion: z.string(),
    /** Papers in the snapshot. */
    size: z.number().int().min(0),
    /** Depth of the top that `top`, entered, left and moved are about. */
    topN: z.number().int().min(0),
    top: z.array(trendingTopEntrySchema),
    entered: z.number().int().min(0),
    left: z.number().int().min(0),
    moved: z.array(z.strictObject({ paperId, from: rank, to: rank })),
  }),
  'trending.entered': z.strictObject({
    ...board,
    topN: z.number().int().min(1),
    paperId,
    title: z.string(),
    rank,
    /** Rank in the previous snapshot, when the paper was ranked lower. */
    from: rank.optional(),
    row: eventRowSchema.optional(),
  }),
  'trending.left': z.strictObject({
    ...board,
    topN: z.number().int().min(1),
    paperId,
    title: z.string(),
    /** Rank in the previous snapshot. */
    rank,
    /** Rank now, when the paper is still ranked lower. */
    to: rank.optional(),
  }),
} as const satisfies Record<EventType, z.ZodType>;

function envelope<T extends EventType>(type: T) {
  return z.strictObject({
    /** Derived from the change: `<type>:…` (docs/api.md, "Events"). Consumers drop duplicates by it. */
    id: z.string().startsWith(`${type}:`).max(1_000),
    type: z.literal(type),
    version: z.literal(EVENT_VERSION),
    occurredAt: isoInstant,
    data: EVENT_DATA_SCHEMAS[type],
  });
}

/** One schema per event type. */
export const EVENT_SCHEMAS = {
  'paper.created': envelope('paper.created'),
  'paper.revised': envelope('paper.revised'),
  'paper.merged': envelope('paper.merged'),
  'paper.signals': envelope('paper.signals'),
  'trending.updated': envelope('trending.updated'),
  'trending.entered': envelope('trending.entered'),
  'trending.left': envelope('trending.left'),
} as const satisfies Record<EventType, z.ZodType>;

/** Any Paperwire event, discriminated by `type`. */
export const paperwireEventSchema = z.discriminatedUnion(
  'type',
  EVENT_TYPES.map((t) => EVENT_SCHEMAS[t]) as unknown as [
    (typeof EVENT_SCHEMAS)[EventType],
    ...(typeof EVENT_SCHEMAS)[EventType][],
  ],
);

/** The JSON Schema (draft 2020-12) of every event, for consumers in other languages. */
export function eventsJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(paperwireEventSchema, { target: 'draft-2020-12' }) as Record<string, unknown>;
}
