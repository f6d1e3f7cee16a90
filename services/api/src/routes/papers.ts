import { lookupKeys, type Paper, SOURCES } from '@paperwire/core';
import { isRedirect, type PaperRedirect } from '@paperwire/db';
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

export type PaperLookup =
  | { kind: 'found'; paper: Paper }
  | { kind: 'redirect'; to: string }
  | { kind: 'missing' };

/** Redirect hops followed before answering: merges chain (A into B, later B into C), rarely deeply. */
const MAX_REDIRECT_HOPS = 16;

/**
 * Finds a paper by any id; a merged-away id answers with its survivor's id. An identity key may still name
 * a paper that was merged away (the resolver repoints such keys when it next meets them), and survivors can
 * merge again, so redirects are followed to the current survivor: one 301, never a chain.
 */
export async function findPaper(rt: Runtime, query: string): Promise<PaperLookup> {
  const keys = lookupKeys(query);
  const direct = query.includes(':') ? [query] : [];
  for (const key of [...new Set([...direct, ...keys])]) {
    const doc = await rt.db.papers.getStored(key);
    if (doc) return isRedirect(doc) ? redirectTo(rt, doc) : { kind: 'found', paper: doc };
  }
  const owners = await rt.db.papers.lookupAliases(keys);
  for (const key of keys) {
    const owner = owners.get(key);
    if (!owner) continue;
    const doc = await rt.db.papers.getStored(owner);
    if (!doc) continue;
    return isRedirect(doc) ? redirectTo(rt, doc) : { kind: 'found', paper: doc };
  }
  return { kind: 'missing' };
}

/** The survivor at the end of a redirect chain (or the last id reached, for a broken or looping chain). */
async function redirectTo(rt: Runtime, first: PaperRedirect): Promise<PaperLookup> {
  let to = first.mergedInto;
  const seen = new Set([first._id]);
  for (let hop = 1; hop < MAX_REDIRECT_HOPS && !seen.has(to); hop++) {
    seen.add(to);
    const next = await rt.db.papers.getStored(to);
    if (!next || !isRedirect(next)) break;
    to = next.mergedInto;
  }
  return { kind: 'redirect', to };
}

export function paperRoutes(app: FastifyInstance, rt: Runtime) {
  app.get('/papers/:id', async (req, reply) => {
    const input = parseInput(idParams, req.params, reply);
    if (!input.ok) return reply;
    const found = await findPaper(rt, input.value.id);
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
