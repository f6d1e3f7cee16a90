import { FEED_ERROR_CLASSES, FEED_KINDS, type Feed, SOURCES } from '@paperwire/core';
import type { Database } from '@paperwire/db';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { component, isoInstant, json, readErrors, readSecurity } from '../schemas.ts';

const count = () => z.number().int().min(0);
const feedHealth = component(
  'FeedHealth',
  z.strictObject({
    status: z.enum(['new', 'ok', 'empty', 'failing']),
    consecutiveFailures: count(),
    lastError: z
      .strictObject({ errorClass: z.enum(FEED_ERROR_CLASSES), message: z.string(), at: isoInstant() })
      .optional(),
    lastEntryCount: count().optional(),
    lastSkippedCount: count().optional(),
    lastNewEntriesAt: isoInstant().optional(),
    typicalGapMs: z.number().int().min(1).optional(),
    quiet: z.boolean(),
  }),
);

/** A feed as the API shows it (GET /feeds items, and the write routes' answers). */
export const feedSchema = component(
  'Feed',
  z.strictObject({
    id: z.string(),
    url: z.string(),
    kind: z.enum(FEED_KINDS),
    source: z.enum(SOURCES),
    title: z.string().nullable(),
    enabled: z.boolean(),
    intervalMinutes: z.number().int().min(1),
    health: feedHealth,
    lastSuccessAt: isoInstant().nullable(),
    nextCheckAt: isoInstant().nullable(),
  }),
);
const feedList = component('FeedList', z.strictObject({ items: z.array(feedSchema) }));

export function feedView(f: Feed): z.infer<typeof feedSchema> {
  return {
    id: f._id,
    url: f.url,
    kind: f.kind,
    source: f.source,
    title: f.title ?? null,
    enabled: f.enabled,
    intervalMinutes: f.intervalMinutes,
    // `quiet` always shown: a feed stored before cadence tracking (or never fetched) is not quiet.
    health: { ...f.health, quiet: f.health.quiet ?? false },
    lastSuccessAt: f.state.lastSuccessAt ?? null,
    nextCheckAt: f.state.nextCheckAt ?? null,
  };
}

export function feedRoutes(app: FastifyInstance, db: { feeds: Pick<Database['feeds'], 'list'> }) {
  const schema = {
    summary: 'Registered feeds with their health',
    tags: ['feeds'],
    security: readSecurity,
    response: { 200: json('every feed', feedList), ...readErrors },
  };
  app.withTypeProvider<ZodTypeProvider>().get('/feeds', { schema }, async () => {
    const feeds = await db.feeds.list();
    return { items: feeds.map(feedView) };
  });
}
