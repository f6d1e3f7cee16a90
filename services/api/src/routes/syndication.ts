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
import type { PublicLinksConfig } from '@paperwire/platform';
import type { Runtime } from '@paperwire/runtime';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { parseInput, sendError } from '../http-errors.ts';

export const FEED_FORMATS = ['atom', 'json'] as const;
type FeedFormat = (typeof FEED_FORMATS)[number];

const params = z.object({ window: z.enum(WINDOWS) }).strict();
const query = z
  .object({
    category: z
      .string()
      .regex(/^[A-Za-z0-9.-]{1,40}$/)
      .default('all'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

/** The base of absolute links: PUBLIC_BASE_URL, else the scheme and host the request came to. */
function baseUrl(req: FastifyRequest, configured: string | undefined): string {
  return configured ?? `${req.protocol}://${req.host}`;
}

export function syndicationRoutes(
  app: FastifyInstance,
  rt: Runtime,
  links: Pick<PublicLinksConfig, 'PUBLIC_BASE_URL'> = {},
) {
  const serve = (format: FeedFormat) => async (req: FastifyRequest, reply: FastifyReply) => {
    const p = parseInput(params, req.params, reply);
    if (!p.ok) return reply;
    const input = parseInput(query, req.query, reply);
    if (!input.ok) return reply;
    const { window } = p.value;
    const { category, limit } = input.value;

    const snapshot = await rt.db.rankings.current(window, category);
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
  app.get('/feeds/trending/:window.atom', serve('atom'));
  app.get('/feeds/trending/:window.json', serve('json'));
}
