// Dated boards: GET /daily/:date (YYYY-MM-DD), /weekly/:isoWeek (YYYY-Www), /monthly/:month (YYYY-MM), and
// each as Atom and JSON Feed (/feeds/daily/:date.atom …): the papers that first appeared in that UTC period,
// by the signals they gathered. The scorer precomputes each period's board (services/scorer/src/
// dated-boards.ts), so a request is one `_id` point read (none once the board is final: the repository
// keeps final boards in memory). A final board is immutable, and says so in Cache-Control.
import {
  ATOM_CONTENT_TYPE,
  type DatedSnapshot,
  datedFeed,
  JSON_FEED_CONTENT_TYPE,
  type PeriodKind,
  parsePeriod,
  renderAtom,
  renderJsonFeed,
} from '@paperwire/core';
import type { PublicLinksConfig } from '@paperwire/platform';
import type { Runtime } from '@paperwire/runtime';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { parseInput, sendError } from '../http-errors.ts';

/** The URL segment of each kind, and the form of its key. */
export const DATED_ROUTES: Record<PeriodKind, { param: string; form: string }> = {
  daily: { param: 'date', form: 'YYYY-MM-DD' },
  weekly: { param: 'isoWeek', form: 'YYYY-Www' },
  monthly: { param: 'month', form: 'YYYY-MM' },
};

export const datedQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(10_000).default(0),
  })
  .strict();
const feedQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }).strict();

const periodParam = z.object({ key: z.string().min(1).max(20) });

/** The board, or an error sent: 400 for a key naming no period, 404 when the period has no board. */
async function loadBoard(
  rt: Runtime,
  kind: PeriodKind,
  raw: unknown,
  reply: FastifyReply,
): Promise<DatedSnapshot | undefined> {
  const { param, form } = DATED_ROUTES[kind];
  const key = periodParam.safeParse({ key: (raw as Record<string, unknown>)[param] });
  const period = key.success ? parsePeriod(kind, key.data.key) : undefined;
  if (!period) {
    sendError(reply, 400, 'invalid-request', `${param}: not a ${kind} period (${form}, UTC)`);
    return undefined;
  }
  const board = await rt.db.datedBoards.get(kind, period.key);
  if (!board) sendError(reply, 404, 'no-board', `no ${kind} board for ${period.key} (yet)`);
  return board;
}

function cacheHeaders(reply: FastifyReply, board: DatedSnapshot, etag: string): void {
  reply
    .header('etag', etag)
    .header('cache-control', board.final ? 'public, max-age=86400, immutable' : 'public, max-age=60');
}

export function datedRoutes(
  app: FastifyInstance,
  rt: Runtime,
  links: Pick<PublicLinksConfig, 'PUBLIC_BASE_URL'> = {},
) {
  for (const kind of Object.keys(DATED_ROUTES) as PeriodKind[]) {
    const { param } = DATED_ROUTES[kind];
    app.get(`/${kind}/:${param}`, async (req, reply) => {
      const input = parseInput(datedQuery, req.query, reply);
      if (!input.ok) return reply;
      const board = await loadBoard(rt, kind, req.params, reply);
      if (!board) return reply;
      const { limit, offset } = input.value;
      const etag = `"${board._id}.${Date.parse(board.asOf)}.${offset}.${limit}"`;
      cacheHeaders(reply, board, etag);
      if (req.headers['if-none-match'] === etag) return reply.code(304).send();
      const items = board.entries.slice(offset, offset + limit);
      return {
        kind: board.kind,
        period: board.period,
        start: board.start,
        end: board.end,
        asOf: board.asOf,
        final: board.final,
        scoreVersion: board.scoreVersion,
        total: board.entries.length,
        items,
        nextOffset: offset + items.length < board.entries.length ? offset + items.length : null,
      };
    });
    const feed = (format: 'atom' | 'json') => async (req: FastifyRequest, reply: FastifyReply) => {
      const input = parseInput(feedQuery, req.query, reply);
      if (!input.ok) return reply;
      const board = await loadBoard(rt, kind, req.params, reply);
      if (!board) return reply;
      const etag = `"${board._id}.${Date.parse(board.asOf)}.${format}.${input.value.limit}"`;
      cacheHeaders(reply, board, etag);
      if (req.headers['if-none-match'] === etag) return reply.code(304).send();
      const base = links.PUBLIC_BASE_URL ?? `${req.protocol}://${req.host}`;
      const doc = datedFeed(
        { ...board, entries: board.entries.slice(0, input.value.limit) },
        {
          selfUrl: `${base}${req.url}`,
          boardUrl: `${base}/${kind}/${board.period}`,
          paperUrl: (id) => `${base}/papers/${encodeURIComponent(id)}`,
        },
      );
      if (format === 'atom') return reply.type(ATOM_CONTENT_TYPE).send(renderAtom(doc));
      return reply.type(JSON_FEED_CONTENT_TYPE).send(JSON.stringify(renderJsonFeed(doc)));
    };
    app.get(`/feeds/${kind}/:${param}.atom`, feed('atom'));
    app.get(`/feeds/${kind}/:${param}.json`, feed('json'));
  }
}
