import { SOURCES } from '@paperwire/core';
import { findPaper } from '@paperwire/db';
import type { Runtime } from '@paperwire/runtime';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { decodeCursor, encodeCursor, papersCursor } from '../cursor.ts';
import { parseInput, sendError } from '../http-errors.ts';

const isoDate = z.string().refine((s) => Number.isFinite(Date.parse(s)), 'must be an ISO-8601 date');

const listQuery = z
  .object({
    category: z
      .string()
      .regex(/^[A-Za-z0-9.-]{1,40}$/)
      .optional(),
    source: z.enum(SOURCES).optional(),
    since: isoDate.optional(),
    until: isoDate.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(1000).optional(),
  })
  .strict();

const idParams = z.object({ id: z.string().min(1).max(500) }).strict();

export function paperRoutes(app: FastifyInstance, rt: Runtime) {
  app.get('/papers/:id', async (req, reply) => {
    const input = parseInput(idParams, req.params, reply);
    if (!input.ok) return reply;
    const found = await findPaper(rt.db, input.value.id);
    if (found.kind === 'redirect') return reply.redirect(`/papers/${encodeURIComponent(found.to)}`, 301);
    if (found.kind === 'missing')
      return sendError(reply, 404, 'not-found', `no paper known as ${input.value.id}`);
    return found.paper;
  });

  app.get('/papers', async (req, reply) => {
    const input = parseInput(listQuery, req.query, reply);
    if (!input.ok) return reply;
    const { cursor, limit, ...filters } = input.value;
    const after = cursor ? decodeCursor(papersCursor, cursor) : undefined;
    if (cursor && !after)
      return sendError(reply, 400, 'invalid-cursor', 'cursor: not a cursor from this API');
    const items = await rt.db.papers.list({
      ...filters,
      limit,
      ...(after ? { after: { firstSeenAt: after.f, id: after.i } } : {}),
    });
    const last = items[items.length - 1];
    return {
      items,
      nextCursor: last && items.length === limit ? encodeCursor({ f: last.firstSeenAt, i: last._id }) : null,
    };
  });
}
