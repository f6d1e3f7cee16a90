// GET /trending/changes: how the top of a board changed between the snapshot that was current at `since`
// and the current one (entered, left, moved). Both are kept snapshots, so the answer is stable for a pair.
import {
  DEFAULT_CHANGES_TOP_N,
  type RankEntered,
  type RankingChanges,
  type RankingSnapshot,
  type RankLeft,
  type RankMoved,
  rankingChanges,
  WINDOWS,
} from '@paperwire/core';
import { type Database, SNAPSHOTS_KEPT } from '@paperwire/db';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sendError } from '../http-errors.ts';
import {
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
import { boardCategoryParam, windowParam } from './trending.ts';

const query = z.strictObject({
  window: windowParam(),
  category: boardCategoryParam(),
  since: described(z.iso.datetime({ offset: true }), 'compare with the snapshot current at this instant'),
  top: described(limitParam(200, DEFAULT_CHANGES_TOP_N), 'board depth compared'),
});

const rank = () => z.number().int();
/** core's `RankingChanges` (an interface: the checks below keep the two the same). */
const entered = z.strictObject({
  paperId: z.string(),
  title: z.string(),
  rank: rank(),
  from: rank().optional(),
});
const left = z.strictObject({ paperId: z.string(), title: z.string(), rank: rank(), to: rank().optional() });
const moved = z.strictObject({ paperId: z.string(), from: rank(), to: rank() });
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _sameChanges: Same<z.infer<typeof entered>, RankEntered> &
  Same<z.infer<typeof left>, RankLeft> &
  Same<z.infer<typeof moved>, RankMoved> = true;
void _sameChanges;

const snapshotRef = component('SnapshotRef', z.strictObject({ snapshotId: z.string(), asOf: isoInstant() }));
const trendingChanges = component(
  'TrendingChanges',
  z.strictObject({
    window: z.enum(WINDOWS),
    category: z.string(),
    since: z.string(),
    from: snapshotRef.nullable(),
    to: snapshotRef.nullable(),
    topN: z.number().int().min(0),
    entered: z.array(entered),
    left: z.array(left),
    moved: z.array(moved),
  } satisfies Record<keyof RankingChanges, z.ZodType> & Record<string, z.ZodType>),
);

const ref = (s: RankingSnapshot | undefined) => (s ? { snapshotId: s._id, asOf: s.asOf } : null);

export function trendingChangesRoutes(
  app: FastifyInstance,
  db: { rankings: Pick<Database['rankings'], 'current' | 'history' | 'get'> },
) {
  const schema = {
    summary: 'How the top of a board changed since an instant: entered, left, moved',
    tags: ['trending'],
    security: readSecurity,
    querystring: query,
    response: {
      200: json('the changes; ETag set', trendingChanges),
      ...notModified,
      400: error('invalid parameters'),
      404: error('no ranking yet for that board'),
      410: error('the snapshot current at `since` is no longer kept'),
      ...readErrors,
    },
  };
  app.withTypeProvider<ZodTypeProvider>().get('/trending/changes', { schema }, async (req, reply) => {
    const { window, category, since, top } = req.query;
    const sinceMs = Date.parse(since);
    const current = await db.rankings.current(window, category);
    if (!current) {
      return sendError(
        reply,
        404,
        'no-ranking',
        `no ranking yet for window ${window} and category ${category}`,
      );
    }
    // Newest first: the first snapshot at or before `since` was the current one then.
    const history = await db.rankings.history(window, category);
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
    const previous = then ? await db.rankings.get(then._id) : undefined;
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
