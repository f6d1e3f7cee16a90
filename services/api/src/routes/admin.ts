// Write routes (the auth hook lets only keys with the `admin` scope through): manage feeds through the
// feed registry, so each change moves its BullMQ job scheduler at once, and queue a re-score. Bodies are
// strict: unknown keys, `$where` and operator-shaped values are a 400 and never reach the registry.
import { FEED_KINDS, WINDOWS } from '@paperwire/core';
import { FeedRegistryError, feedRegistry, guessKind, isFileUrl, type Runtime } from '@paperwire/runtime';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { parseInput, sendError } from '../http-errors.ts';
import { feedView } from './feeds.ts';

/** Between 1 minute and 7 days, like `paperwire feeds add --every`. */
const intervalMinutes = z
  .number()
  .int()
  .min(1)
  .max(7 * 1440);

export const addFeedBody = z
  .object({
    url: z.string().min(1).max(2000),
    kind: z.enum(FEED_KINDS).optional(),
    intervalMinutes: intervalMinutes.optional(),
  })
  .strict();

export const patchFeedBody = z
  .object({ enabled: z.boolean().optional(), intervalMinutes: intervalMinutes.optional() })
  .strict()
  .refine((b) => b.enabled !== undefined || b.intervalMinutes !== undefined, {
    message: 'set enabled, intervalMinutes or both',
  });

export const rescoreBody = z
  .object({
    windows: z.array(z.enum(WINDOWS)).min(1).max(WINDOWS.length).optional(),
    /** Boards to publish (`all` is the overall board); absent: every board. */
    categories: z
      .array(z.string().regex(/^[A-Za-z0-9.-]{1,40}$/))
      .min(1)
      .max(100)
      .optional(),
  })
  .strict();

export const feedIdParams = z
  .object({ id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,80}$/, 'not a feed id') })
  .strict();

const DEFAULT_INTERVAL_MINUTES = 30;

export const FILE_URL_REFUSED =
  'feeds: the HTTP API does not accept file: URLs; local file feeds are added by the operator with `paperwire feeds add file://…` on the server, under PAPERWIRE_FILE_FEEDS_ROOT (see docs/security.md)';

const REGISTRY_STATUS = { 'feed-exists': 409, 'feed-unknown': 404, 'feed-invalid': 400 } as const;

/** Runs a registry call; its refusals become 409/404/400 with the registry's code and message. */
async function registryCall<T>(reply: FastifyReply, call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof FeedRegistryError && err.code in REGISTRY_STATUS) {
      await sendError(
        reply,
        REGISTRY_STATUS[err.code as keyof typeof REGISTRY_STATUS],
        err.code,
        err.message,
      );
      return undefined;
    }
    throw err;
  }
}

export function adminRoutes(app: FastifyInstance, rt: Runtime) {
  const registry = feedRegistry(rt.db, rt.queues);

  app.post('/feeds', async (req, reply) => {
    const input = parseInput(addFeedBody, req.body, reply);
    if (!input.ok) return reply;
    const { url, kind, intervalMinutes } = input.value;
    // An API key is not a shell account: local files are the operator's, added from the CLI (the registry
    // below refuses them too, since this process gives it no file-feed root).
    if (isFileUrl(url)) return sendError(reply, 400, 'feed-invalid', FILE_URL_REFUSED);
    const feed = await registryCall(reply, () =>
      registry.add(
        { url, kind: kind ?? guessKind(url), intervalMinutes: intervalMinutes ?? DEFAULT_INTERVAL_MINUTES },
        new Date(),
      ),
    );
    if (!feed) return reply;
    return reply.code(201).header('location', `/feeds/${feed._id}`).send(feedView(feed));
  });

  app.patch('/feeds/:id', async (req, reply) => {
    const params = parseInput(feedIdParams, req.params, reply);
    if (!params.ok) return reply;
    const body = parseInput(patchFeedBody, req.body, reply);
    if (!body.ok) return reply;
    const { id } = params.value;
    const { enabled, intervalMinutes } = body.value;
    const feed = await registryCall(reply, async () => {
      // enabled first: resuming a file feed is refused here (400) before anything else changes.
      let updated = enabled === undefined ? undefined : await registry.setEnabled(id, enabled);
      if (intervalMinutes !== undefined) updated = await registry.setInterval(id, intervalMinutes);
      return updated;
    });
    if (!feed) return reply;
    return feedView(feed);
  });

  app.delete('/feeds/:id', async (req, reply) => {
    const params = parseInput(feedIdParams, req.params, reply);
    if (!params.ok) return reply;
    const { id } = params.value;
    const removed = await registryCall(reply, async () => {
      await registry.remove(id);
      return true;
    });
    if (!removed) return reply;
    return reply.code(204).send();
  });

  app.post('/feeds/:id/fetch', async (req, reply) => {
    const params = parseInput(feedIdParams, req.params, reply);
    if (!params.ok) return reply;
    // No body is expected; anything sent must at least be an empty object.
    const body = parseInput(z.object({}).strict(), req.body, reply);
    if (!body.ok) return reply;
    const { id } = params.value;
    const jobId = await registryCall(reply, () => registry.fetchNow(id, 'manual', new Date()));
    if (jobId === undefined) return reply;
    return reply.code(202).send({ jobId });
  });

  app.post('/rescore', async (req, reply) => {
    const input = parseInput(rescoreBody, req.body, reply);
    if (!input.ok) return reply;
    const { windows, categories } = input.value;
    const jobId = await rt.queues.enqueue('score-rankings', {
      reason: 'manual',
      ...(windows ? { windows } : {}),
      ...(categories ? { categories } : {}),
    });
    return reply.code(202).send({ jobId });
  });
}
