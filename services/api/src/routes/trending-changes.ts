// GET /trending/changes: how the top of a board changed between the snapshot that was current at `since`
// and the current one (entered, left, moved). Both are kept snapshots, so the answer is stable for a pair.
import { DEFAULT_CHANGES_TOP_N, type RankingSnapshot, rankingChanges, WINDOWS } from '@paperwire/core';
import { SNAPSHOTS_KEPT } from '@paperwire/db';
import type { Runtime } from '@paperwire/runtime';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { parseInput, sendError } from '../http-errors.ts';

const query = z
  .object({
    window: z.enum(WINDOWS).default('24h'),
    category: z
      .string()
      .regex(/^[A-Za-z0-9.-]{1,40}$/)
      .default('all'),
    since: z.iso.datetime({ offset: true }),
    top: z.coerce.number().int().min(1).max(200).default(DEFAULT_CHANGES_TOP_N),
  })
  .strict();

const ref = (s: RankingSnapshot | undefined) => (s ? { snapshotId: s._id, asOf: s.asOf } : null);

export function trendingChangesRoutes(app: FastifyInstance, rt: Runtime) {
  app.get('/trending/changes', async (req, reply) => {
    const input = parseInput(query, req.query, reply);
    if (!input.ok) return reply;
    const { window, category, since, top } = input.value;
    const sinceMs = Date.parse(since);
    const current = await rt.db.rankings.current(window, category);
    if (!current) {
      return sendError(
        reply,
        404,
        'no-ranking',
        `no ranking yet for window ${window} and category ${category}`,
      );
    }
    // Newest first: the first snapshot at or before `since` was the current one then.
    const history = await rt.db.rankings.history(window, category);
    const then = history.find((h) => Date.parse(h.asOf) <= sinceMs);
    if (!then && history.length >= SNAPSHOTS_KEPT) {
      return sendError(
        reply,
        410,
        'snapshot-expired',
        `since: the ranking current at ${since} is no longer kept (the oldest kept is ${history.at(-1)?.asOf})`,
      );
    }
    // No snapshot before `since` and nothing pruned: the board did not exist yet, so all of it is new.
    const previous = then ? await rt.db.rankings.get(then._id) : undefined;
    if (then && !previous) {
      return sendError(
        reply,
        410,
        'snapshot-expired',
        `since: the ranking current at ${since} was just pruned`,
      );
    }
    const etag = `"changes.${then?._id ?? 'none'}.${current._id}.${top}"`;
    reply.header('etag', etag).header('cache-control', 'public, max-age=30');
    if (req.headers['if-none-match'] === etag) return reply.code(304).send();
    return {
      window,
      category,
      since,
      from: ref(previous),
      to: ref(current),
      ...rankingChanges(previous?.entries, current.entries, top),
    };
  });
}
