// GET /feeds/trending/<window>.atom and .json: the current ranking snapshot of a board as Atom 1.0 or
// JSON Feed 1.1, for feed readers. Rendering is pure (`@paperwire/core` syndication/) and uses the
// snapshot's rows alone (one read via the pointer, no paper reads); ETag/Cache-Control as /trending.
import {
  ATOM_CONTENT_TYPE,
  JSON_FEED_CONTENT_TYPE,
  renderAtom,
  renderJsonFeed,
  trendingFeed,
  WINDOWS,
} from '@paperwire/core';
import type { Database } from '@paperwire/db';
import type { PublicLinksConfig } from '@paperwire/platform';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sendError } from '../http-errors.ts';
import {
  type ContentResponse,
  described,
  error,
  limitParam,
  notModified,
  readErrors,
  readSecurity,
  text,
} from '../schemas.ts';
import { boardCategoryParam } from './trending.ts';

export const FEED_FORMATS = ['atom', 'json'] as const;
type FeedFormat = (typeof FEED_FORMATS)[number];

const params = z.strictObject({ window: z.enum(WINDOWS) });
const query = z.strictObject({
  category: boardCategoryParam(),
  limit: described(limitParam(200, 50), 'entries at most'),
});

/** The 200 of a feed route: the document as text of its media type. */
export function feedDocument(format: FeedFormat, description: string): ContentResponse {
  return text(description, format === 'atom' ? ATOM_CONTENT_TYPE : JSON_FEED_CONTENT_TYPE);
}

/** The base of absolute links: PUBLIC_BASE_URL, else the scheme and host the request came to. */
function baseUrl(req: FastifyRequest, configured: string | undefined): string {
  return configured ?? `${req.protocol}://${req.host}`;
}

export function syndicationRoutes(
  app: FastifyInstance,
  db: { rankings: Pick<Database['rankings'], 'current'> },
  links: Pick<PublicLinksConfig, 'PUBLIC_BASE_URL'> = {},
) {
  type Req = FastifyRequest<{ Params: z.infer<typeof params>; Querystring: z.infer<typeof query> }>;
  const serve = (format: FeedFormat) => async (req: Req, reply: FastifyReply) => {
    const { window } = req.params;
    const { category, limit } = req.query;

    const snapshot = await db.rankings.current(window, category);
    if (!snapshot)
      return sendError(
        reply,
        404,
        'no-ranking',
        `no ranking yet for window ${window} and category ${category}`,
      );
    const etag = `"${snapshot._id}.${format}.${limit}"`;
    reply.header('etag', etag).header('cache-control', 'public, max-age=30');
    if (req.headers['if-none-match'] === etag) return reply.code(304).send();

    const ranked = {
      ...snapshot,
      entries: [...snapshot.entries].sort((a, b) => a.rank - b.rank).slice(0, limit),
    };
    const base = baseUrl(req, links.PUBLIC_BASE_URL);
    const feed = trendingFeed(ranked, {
      selfUrl: `${base}${req.url}`,
      boardUrl: `${base}/trending?window=${window}&category=${encodeURIComponent(category)}`,
      paperUrl: (id) => `${base}/papers/${encodeURIComponent(id)}`,
    });
    if (format === 'atom') return reply.type(ATOM_CONTENT_TYPE).send(renderAtom(feed));
    return reply.type(JSON_FEED_CONTENT_TYPE).send(JSON.stringify(renderJsonFeed(feed)));
  };
  // Another extension (`24h.rss`) matches no route: the usual 404.
  const schema = (format: FeedFormat) => ({
    summary:
      format === 'atom'
        ? 'The current ranking of a board as an Atom 1.0 feed (entries in rank order)'
        : 'The current ranking of a board as a JSON Feed 1.1 (items in rank order)',
    tags: ['trending'],
    security: readSecurity,
    params,
    querystring: query,
    response: {
      200: feedDocument(format, 'the feed; ETag and Cache-Control set'),
      ...notModified,
      400: error('invalid window or parameters'),
      404: error('no ranking yet for that board'),
      ...readErrors,
    },
  });
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get('/feeds/trending/:window.atom', { schema: schema('atom') }, serve('atom'));
  api.get('/feeds/trending/:window.json', { schema: schema('json') }, serve('json'));
}
