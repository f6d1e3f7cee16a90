import { type Paper, paperRowSchema, SOURCES } from '@paperwire/core';
import { type Database, findPaper } from '@paperwire/db';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decodeCursor, encodeCursor, papersCursor } from '../cursor.ts';
import { sendError } from '../http-errors.ts';
import {
  categoryParam,
  component,
  described,
  empty,
  error,
  isoInstant,
  json,
  limitParam,
  readErrors,
  readSecurity,
} from '../schemas.ts';

const isoDate = z.string().refine((s) => Number.isFinite(Date.parse(s)), 'must be an ISO-8601 date');

const listQuery = z.strictObject({
  category: described(categoryParam().optional(), 'primary category'),
  source: described(z.enum(SOURCES).optional(), 'seen by this source'),
  since: described(isoDate.optional(), 'first seen at or after (ISO-8601)'),
  until: described(isoDate.optional(), 'first seen before (ISO-8601)'),
  limit: described(limitParam(200, 50), 'page size'),
  cursor: described(z.string().max(1000).optional(), 'nextCursor of the previous page'),
});

/** Any of a paper's ids: arXiv id, DOI, identity key, … */
export const paperIdParams = z.strictObject({ id: z.string().min(1).max(500) });

// The stored paper (core's `Paper`, an interface: the check below keeps this schema accepting it). Its
// ids, authors and links are the ranked row's schemas (a paper's links have no `hf`: that is the row's own).
const { ids: paperIds, authors: rowAuthors, links: rowLinks } = paperRowSchema.shape;
export const paperIdsSchema = component('PaperIds', paperIds);
export const authorSchema = component('Author', rowAuthors.element);
const sighting = component(
  'Sighting',
  z.strictObject({
    feedId: z.string(),
    source: z.enum(SOURCES),
    entryKey: z.string(),
    firstSeenAt: isoInstant(),
    lastSeenAt: isoInstant(),
    signals: z.record(z.string(), z.number()),
  }),
);
const paperFields = z.strictObject({
  _id: described(z.string(), 'strongest identity key, e.g. arxiv:2401.01234'),
  ids: paperIdsSchema,
  latestVersion: z.number().int().optional(),
  versions: z.array(z.strictObject({ version: z.number().int(), seenAt: isoInstant() })),
  title: z.string(),
  abstract: z.string().optional(),
  authors: z.array(authorSchema),
  organization: z.string().optional(),
  primaryCategory: z.string().optional(),
  categories: z.array(z.string()),
  firstSeenAt: isoInstant(),
  publishedAt: z.string().optional(),
  updatedAt: z.string().optional(),
  links: rowLinks.omit({ hf: true }),
  sightings: z.array(sighting),
  textSource: z.strictObject({ rank: z.number(), version: z.number(), at: z.string() }).optional(),
});
const _acceptsEveryPaper: z.input<typeof paperFields> = {} as Paper;
void _acceptsEveryPaper;
const paperSchema = component('Paper', paperFields.loose(), 'output', {
  description: 'The canonical paper record (stored fields may grow; the listed ones are always there).',
});
const paperPage = component(
  'PaperPage',
  z.strictObject({ items: z.array(paperSchema), nextCursor: z.string().nullable() }),
);

export function paperRoutes(app: FastifyInstance, db: Pick<Database, 'papers'>) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get(
    '/papers/:id',
    {
      schema: {
        summary: 'One paper by any of its ids (arXiv id, DOI, identity key, …)',
        tags: ['papers'],
        security: readSecurity,
        params: paperIdParams,
        response: {
          200: json('the paper', paperSchema),
          301: empty('a merged-away id: Location names the surviving paper'),
          400: error('invalid id'),
          404: error('no paper known by that id'),
          ...readErrors,
        },
      },
    },
    async (req, reply) => {
      const found = await findPaper(db, req.params.id);
      if (found.kind === 'redirect') return reply.redirect(`/papers/${encodeURIComponent(found.to)}`, 301);
      if (found.kind === 'missing')
        return sendError(reply, 404, 'not-found', `no paper known as ${req.params.id}`);
      return found.paper;
    },
  );

  api.get(
    '/papers',
    {
      schema: {
        summary: 'Papers newest first (by first sighting), filtered',
        tags: ['papers'],
        security: readSecurity,
        querystring: listQuery,
        response: {
          200: json('a page of papers', paperPage),
          400: error('invalid parameters or cursor'),
          ...readErrors,
        },
      },
    },
    async (req, reply) => {
      const { cursor, limit, ...filters } = req.query;
      const after = cursor ? decodeCursor(papersCursor, cursor) : undefined;
      if (cursor && !after)
        return sendError(reply, 400, 'invalid-cursor', 'cursor: not a cursor from this API');
      const items = await db.papers.list({
        ...filters,
        limit,
        ...(after ? { after: { firstSeenAt: after.f, id: after.i } } : {}),
      });
      const last = items[items.length - 1];
      return {
        items,
        nextCursor:
          last && items.length === limit ? encodeCursor({ f: last.firstSeenAt, i: last._id }) : null,
      };
    },
  );
}
