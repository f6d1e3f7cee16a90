// The published contract of Paperwire's events: one zod schema per type (version 1), the union consumers
// validate against, and its JSON Schema (`eventsJsonSchema()`) for non-TypeScript consumers. The builders
// in `@paperwire/core` (events/) produce these shapes; tests validate every builder against them.
import {
  EVENT_TYPES,
  EVENT_VERSION,
  type EventType,
  eventRowSchema,
  REVISION_FIELDS,
  SOURCES,
  WINDOWS,
} from '@paperwire/core';
import { z } from 'zod';

const isoInstant = z.iso.datetime({ offset: true });
const paperId = z.string().min(1).max(600);
const rank = z.number().int().min(1);

const paperIds = z.strictObject({
  arxiv: z.string().optional(),
  doi: z.string().optional(),
  hf: z.string().optional(),
  openreview: z.string().optional(),
  s2: z.string().optional(),
  openalex: z.string().optional(),
});

const eventPaper = z.strictObject({
  paperId,
  title: z.string(),
  ids: paperIds,
  authors: z.array(z.string()),
  primaryCategory: z.string().optional(),
  categories: z.array(z.string()),
  latestVersion: z.number().int().min(1).optional(),
  url: z.string().optional(),
  firstSeenAt: isoInstant,
  publishedAt: z.string().optional(),
});

const signalTotal = z.strictObject({
  source: z.enum(SOURCES),
  name: z.string(),
  value: z.number(),
});

const board = {
  snapshotId: z.string().min(1),
  window: z.enum(WINDOWS),
  category: z.string().min(1),
  asOf: isoInstant,
};

/** The `data` of each event type, version 1. */
export const EVENT_DATA_SCHEMAS = {
  'paper.created': z.strictObject({ paper: eventPaper }),
  'paper.revised': z.strictObject({
    paper: eventPaper,
    changed: z.array(z.enum(REVISION_FIELDS)).min(1),
    previousVersion: z.number().int().min(1).optional(),
    previousTitle: z.string().optional(),
    abstract: z.string().optional(),
  }),
  'paper.merged': z.strictObject({ survivorId: paperId, mergedId: paperId, title: z.string() }),
  'paper.signals': z.strictObject({
    paperId,
    title: z.string(),
    totals: z.array(signalTotal).min(1),
    previous: z.array(signalTotal),
  }),
  'trending.updated': z.strictObject({
    ...board,
    scoreVersion: z.string(),
    size: z.number().int().min(0),
    topN: z.number().int().min(0),
    top: z.array(eventRowSchema),
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
    from: rank.optional(),
    row: eventRowSchema.optional(),
  }),
  'trending.left': z.strictObject({
    ...board,
    topN: z.number().int().min(1),
    paperId,
    title: z.string(),
    rank,
    to: rank.optional(),
  }),
} as const satisfies Record<EventType, z.ZodType>;

function envelope<T extends EventType>(type: T) {
  return z.strictObject({
    /** Derived from the change: `<type>:…` (see README, "Events"). Consumers drop duplicates by it. */
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
export type PublishedEvent = z.infer<typeof paperwireEventSchema>;

/** The JSON Schema (draft 2020-12) of every event, for consumers in other languages. */
export function eventsJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(paperwireEventSchema, { target: 'draft-2020-12' }) as Record<string, unknown>;
}
