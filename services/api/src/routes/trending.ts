import { type RankingSnapshot, WINDOWS, type Window } from '@paperwire/core';
import type { Runtime } from '@paperwire/runtime';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { decodeCursor, encodeCursor, trendingCursor } from '../cursor.ts';
import { parseInput, sendError } from '../http-errors.ts';
import { ttlCache } from '../ttl-cache.ts';

const query = z
  .object({
    window: z.enum(WINDOWS).default('24h'),
    category: z
      .string()
      .regex(/^[A-Za-z0-9.-]{1,40}$/)
      .default('all'),
    limit: z.coerce.number().int().min(1).max(200).default(20),
    cursor: z.string().max(500).optional(),
  })
  .strict();

export interface TrendingSettings {
  /** TRENDING_POINTER_CACHE_MS: how long a board's current-snapshot id is kept; 0 reads it every time. */
  pointerCacheMs: number;
  now: () => number;
}

export function trendingRoutes(app: FastifyInstance, rt: Runtime, settings: TrendingSettings) {
  // The hot path's only database read was the pointer (snapshots are cached by the repository, as they
  // never change): keeping it for `pointerCacheMs` makes a cached board's answer a memory read, and a
  // new ranking shows within that time. The method is looked up per read, so tests can count the reads.
  const pointers = ttlCache<string | undefined>({ ttlMs: settings.pointerCacheMs, now: settings.now });
  const current = async (window: Window, category: string): Promise<RankingSnapshot | undefined> => {
    const id = await pointers.get(`${window}.${category}`, () => rt.db.rankings.currentId(window, category));
    return id === undefined ? undefined : rt.db.rankings.snapshot(id);
  };
  app.get('/trending', async (req, reply) => {
    const input = parseInput(query, req.query, reply);
    if (!input.ok) return reply;
    const { window, category, limit, cursor } = input.value;
    const position = cursor ? decodeCursor(trendingCursor, cursor) : undefined;
    if (cursor && !position)
      return sendError(reply, 400, 'invalid-cursor', 'cursor: not a cursor from this API');
    // A cursor pins the snapshot it started on, so pages never shift while scores change.
    const snapshot = position ? await rt.db.rankings.get(position.s) : await current(window, category);
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
