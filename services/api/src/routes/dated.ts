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
  PERIOD_KINDS,
  type PeriodKind,
  parsePeriod,
  renderAtom,
  renderJsonFeed,
} from '@paperwire/core';
import type { Database } from '@paperwire/db';
import type { PublicLinksConfig } from '@paperwire/platform';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
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
import { feedDocument } from './syndication.ts';
import { rankedPaper } from './trending.ts';

/** The URL segment of each kind, the form of its key, and the pattern the URL must have. */
export const DATED_ROUTES: Record<
  PeriodKind,
  { param: string; form: string; pattern: RegExp; unit: string }
> = {
  daily: { param: 'date', form: 'YYYY-MM-DD', pattern: /^\d{4}-\d{2}-\d{2}$/, unit: 'day' },
  weekly: { param: 'isoWeek', form: 'YYYY-Www', pattern: /^\d{4}-W\d{2}$/, unit: 'ISO week' },
  monthly: { param: 'month', form: 'YYYY-MM', pattern: /^\d{4}-\d{2}$/, unit: 'month' },
};

export const datedQuery = z.strictObject({
  limit: described(limitParam(200, 50), 'page size'),
  offset: described(z.coerce.number().int().min(0).max(10_000).default(0), 'rows to skip'),
});
const feedQuery = z.strictObject({ limit: described(limitParam(200, 50), 'entries at most') });

const datedBoard = component(
  'DatedBoard',
  z.strictObject({
    kind: z.enum(PERIOD_KINDS),
    period: z.string(),
    start: isoInstant(),
    end: isoInstant(),
    asOf: isoInstant(),
    final: described(z.boolean(), 'the period is over plus a grace day: this board never changes'),
    scoreVersion: z.string(),
    total: z.number().int().min(0),
    items: z.array(rankedPaper),
    nextOffset: z.number().int().min(0).nullable(),
  }),
);

const datedErrors = {
  ...notModified,
  400: error('not a period of that kind (e.g. 2026-02-30, 2026-W54), or invalid parameters'),
  404: error('no board for that period (nothing appeared in it, or it has not begun)'),
  ...readErrors,
} as const;

type Boards = { datedBoards: Pick<Database['datedBoards'], 'get'> };
type PeriodRequest = FastifyRequest<{ Params: Record<string, string> }>;

/** The board, or an error sent: 400 for a key naming no period, 404 when the period has no board. */
async function loadBoard(
  db: Boards,
  kind: PeriodKind,
  req: PeriodRequest,
  reply: FastifyReply,
): Promise<DatedSnapshot | undefined> {
  const { param, form } = DATED_ROUTES[kind];
  const period = parsePeriod(kind, req.params[param] ?? '');
  if (!period) {
    sendError(reply, 400, 'invalid-request', `${param}: not a ${kind} period (${form}, UTC)`);
    return undefined;
  }
  const board = await db.datedBoards.get(kind, period.key);
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
  db: Boards,
  links: Pick<PublicLinksConfig, 'PUBLIC_BASE_URL'> = {},
) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  for (const kind of PERIOD_KINDS) {
    const { param, form, pattern, unit } = DATED_ROUTES[kind];
    const params = z.strictObject({
      [param]: described(z.string().regex(pattern, `not a ${kind} period (${form}, UTC)`), `${form}, UTC`),
    });
    const boardSchema = {
      summary: `The papers that first appeared in that UTC ${unit}, by the signals they gathered (immutable once final)`,
      tags: ['boards'],
      security: readSecurity,
      params,
      querystring: datedQuery,
      response: { 200: json('the board; ETag and Cache-Control set', datedBoard), ...datedErrors },
    };
    api.get(`/${kind}/:${param}`, { schema: boardSchema }, async (req, reply) => {
      const board = await loadBoard(db, kind, req as PeriodRequest, reply);
      if (!board) return reply;
      const { limit, offset } = req.query;
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
    type FeedRequest = FastifyRequest<{
      Params: Record<string, string>;
      Querystring: z.infer<typeof feedQuery>;
    }>;
    const feed = (format: 'atom' | 'json') => async (req: FeedRequest, reply: FastifyReply) => {
      const { limit } = req.query;
      const board = await loadBoard(db, kind, req, reply);
      if (!board) return reply;
      const etag = `"${board._id}.${Date.parse(board.asOf)}.${format}.${limit}"`;
      cacheHeaders(reply, board, etag);
      if (req.headers['if-none-match'] === etag) return reply.code(304).send();
      const base = links.PUBLIC_BASE_URL ?? `${req.protocol}://${req.host}`;
      const doc = datedFeed(
        { ...board, entries: board.entries.slice(0, limit) },
        {
          selfUrl: `${base}${req.url}`,
          boardUrl: `${base}/${kind}/${board.period}`,
          paperUrl: (id) => `${base}/papers/${encodeURIComponent(id)}`,
        },
      );
      if (format === 'atom') return reply.type(ATOM_CONTENT_TYPE).send(renderAtom(doc));
      return reply.type(JSON_FEED_CONTENT_TYPE).send(JSON.stringify(renderJsonFeed(doc)));
    };
    const feedSchema = (format: 'atom' | 'json') => ({
      summary: `The ${kind} board as ${format === 'atom' ? 'an Atom 1.0 feed' : 'a JSON Feed 1.1'}`,
      tags: ['boards'],
      security: readSecurity,
      params,
      querystring: feedQuery,
      response: {
        200: feedDocument(format, 'the feed; ETag and Cache-Control (immutable once final) set'),
        ...datedErrors,
      },
    });
    api.get(`/feeds/${kind}/:${param}.atom`, { schema: feedSchema('atom') }, feed('atom'));
    api.get(`/feeds/${kind}/:${param}.json`, { schema: feedSchema('json') }, feed('json'));
  }
}
