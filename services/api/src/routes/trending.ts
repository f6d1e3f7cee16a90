import { type RankingSnapshot, rankedPaperSchema, WINDOWS, type Window } from '@paperwire/core';
import type { Database } from '@paperwire/db';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decodeCursor, encodeCursor, trendingCursor } from '../cursor.ts';
import { sendError } from '../http-errors.ts';
import {
  categoryParam,
  component,
  described,
  error,
  isoInstant,
  json,
  limitParam,
  notModified,
  readErrors,
  readSecurity,
} from '../schemas.ts';
import { ttlCache } from '../ttl-cache.ts';

/** The row contract: the zod schema the scorer's snapshots are typed by. */
export const rankedPaper = component('RankedPaper', rankedPaperSchema);

/** `?window=`: a ranking window, 24h unless given. */
export const windowParam = () => described(z.enum(WINDOWS).default('24h'), 'ranking window');
/** `?category=`: a primary category, or `all`. */
export const boardCategoryParam = () =>
  described(categoryParam().default('all'), 'a primary category, or all (the overall board)');

const query = z.strictObject({
  window: windowParam(),
  category: boardCategoryParam(),
  limit: described(limitParam(200, 20), 'page size'),
  cursor: described(z.string().max(500).optional(), 'nextCursor of the previous page (pins its snapshot)'),
});

const trendingPage = component(
  'Trending',
  z.strictObject({
    window: z.enum(WINDOWS),
    category: z.string(),
    asOf: isoInstant(),
    scoreVersion: z.string(),
    constants: z.record(z.string(), z.number()),
    items: z.array(rankedPaper),
    nextCursor: described(z.string().nullable(), 'opaque; pins the snapshot this page came from'),
  }),
);

/** How long past TRENDING_POINTER_CACHE_MS a board's known pointer still answers while it is read again. */
const POINTER_STALE_MS = 10_000;

export interface TrendingSettings {
  /** TRENDING_POINTER_CACHE_MS: how long a board's current-snapshot id is kept; 0 reads it every time. */
  pointerCacheMs: number;
  now: () => number;
}

export function trendingRoutes(
  app: FastifyInstance,
  db: { rankings: Pick<Database['rankings'], 'currentId' | 'snapshot' | 'get'> },
  settings: TrendingSettings,
) {
  // The hot path's only database read was the pointer (snapshots are cached by the repository, as they
  // never change): keeping it for `pointerCacheMs` makes a cached board's answer a memory read, and a
  // new ranking shows within that time and one read. Once a board's pointer is known, requests never wait
  // for the database: an expired pointer is read again in the background (the snapshot it names read into
  // memory with it) while requests keep getting the one they had, up to POINTER_STALE_MS past its time. At
  // 500 requests/s, the requests that waited for that read each second were the p99. The method is looked
  // up per read, so tests can count the reads.
  const pointers = ttlCache<string | undefined>({
    ttlMs: settings.pointerCacheMs,
    staleMs: POINTER_STALE_MS,
    now: settings.now,
  });
  const readPointer = async (window: Window, category: string) => {
    const id = await db.rankings.currentId(window, category);
    if (id !== undefined) await db.rankings.snapshot(id);
    return id;
  };
  const current = async (window: Window, category: string): Promise<RankingSnapshot | undefined> => {
    const id = await pointers.get(`${window}.${category}`, () => readPointer(window, category));
    return id === undefined ? undefined : db.rankings.snapshot(id);
  };
  const api = app.withTypeProvider<ZodTypeProvider>();
  const schema = {
    summary: 'A page of the current ranking of a board, with each paper’s score breakdown',
    tags: ['trending'],
    security: readSecurity,
    querystring: query,
    response: {
      200: json('the page; ETag and Cache-Control set', trendingPage),
      ...notModified,
      400: error('invalid parameters or cursor'),
      404: error('no ranking yet for that board'),
      410: error('the cursor’s snapshot is no longer kept'),
      ...readErrors,
    },
  };
  api.get('/trending', { schema }, async (req, reply) => {
    const { window, category, limit, cursor } = req.query;
    const position = cursor ? decodeCursor(trendingCursor, cursor) : undefined;
    if (cursor && !position)
      return sendError(reply, 400, 'invalid-cursor', 'cursor: not a cursor from this API');
    // A cursor pins the snapshot it started on, so pages never shift while scores change.
    const snapshot = position ? await db.rankings.get(position.s) : await current(window, category);
    if (!snapshot) {
      if (position)
        return sendError(reply, 410, 'snapshot-expired', 'cursor: that ranking snapshot is no longer kept');
      return sendError(
        reply,
        404,
        'no-ranking',
        `no ranking yet for window ${window} and category ${category}`,
      );
    }
    const offset = position?.o ?? 0;
    const items = snapshot.entries.slice(offset, offset + limit);
    const nextOffset = offset + items.length;
    const etag = `"${snapshot._id}.${offset}.${limit}"`;
    reply.header('etag', etag).header('cache-control', 'public, max-age=30');
    if (req.headers['if-none-match'] === etag) return reply.code(304).send();
    return {
      window: snapshot.window,
      category: snapshot.category,
      asOf: snapshot.asOf,
      scoreVersion: snapshot.scoreVersion,
      constants: snapshot.constants,
      items,
      nextCursor:
        nextOffset < snapshot.entries.length ? encodeCursor({ s: snapshot._id, o: nextOffset }) : null,
    };
  });
}
