// Write routes (the auth hook lets only keys with the `admin` scope through): manage feeds through the
// feed registry, so each change moves its BullMQ job scheduler at once, and queue a re-score. Bodies are
// strict: unknown keys, `$where` and operator-shaped values are a 400 and never reach the registry.
import { FEED_KINDS, WINDOWS } from '@paperwire/core';
import { JOBS } from '@paperwire/jobs';
import { FeedRegistryError, feedRegistry, guessKind, isFileUrl, type Runtime } from '@paperwire/runtime';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sendError } from '../http-errors.ts';
import { adminErrors, adminSecurity, component, empty, error, json } from '../schemas.ts';
import { feedSchema, feedView } from './feeds.ts';

/** Between 1 minute and 7 days, like `paperwire feeds add --every`. */
const intervalMinutes = z
  .number()
  .int()
  .min(1)
  .max(7 * 1440);

export const addFeedBody = component(
  'AddFeed',
  z.strictObject({
    url: z.string().min(1).max(2000),
    kind: z.enum(FEED_KINDS).optional(),
    intervalMinutes: intervalMinutes.optional(),
  }),
  'input',
);

export const patchFeedBody = component(
  'PatchFeed',
  z
    .strictObject({ enabled: z.boolean().optional(), intervalMinutes: intervalMinutes.optional() })
    .refine((b) => b.enabled !== undefined || b.intervalMinutes !== undefined, {
      message: 'set enabled, intervalMinutes or both',
    }),
  'input',
  { minProperties: 1 },
);

/** The score-rankings job's own choice of boards (the job catalogue's schema), at most every window once. */
const scorePayload = JOBS['score-rankings'].payload.shape;
export const rescoreBody = component(
  'Rescore',
  z
    .strictObject({
      windows: scorePayload.windows.unwrap().max(WINDOWS.length).optional(),
      categories: scorePayload.categories,
    })
    .optional(),
  'input',
);

/** A feed id, as the job catalogue's fetch-feed payload has it. */
export const feedIdParams = z.strictObject({ id: JOBS['fetch-feed'].payload.shape.feedId });

const queued = component('Queued', z.strictObject({ jobId: z.string() }));

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

const feedUnknown = { 404: error('no such feed (code feed-unknown)') } as const;

export function adminRoutes(app: FastifyInstance, rt: Pick<Runtime, 'db' | 'queues'>) {
  const registry = feedRegistry(rt.db, rt.queues);
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(
    '/feeds',
    {
      schema: {
        summary: 'Register a feed (its job scheduler starts at once); the kind is guessed when omitted',
        tags: ['feeds'],
        security: adminSecurity,
        body: addFeedBody,
        response: {
          201: json('the new feed; Location set', feedSchema),
          409: error('that URL is already registered (code feed-exists)'),
          ...adminErrors,
        },
      },
    },
    async (req, reply) => {
      const { url, kind, intervalMinutes } = req.body;
      // An API key is not a shell account: local files are the operator's, added from the CLI (the
      // registry below refuses them too, since this process gives it no file-feed root).
      if (isFileUrl(url)) return sendError(reply, 400, 'feed-invalid', FILE_URL_REFUSED);
      const feed = await registryCall(reply, () =>
        registry.add(
          {
            url,
            kind: kind ?? guessKind(url),
            intervalMinutes: intervalMinutes ?? DEFAULT_INTERVAL_MINUTES,
          },
          new Date(),
        ),
      );
      if (!feed) return reply;
      return reply.code(201).header('location', `/feeds/${feed._id}`).send(feedView(feed));
    },
  );

  api.patch(
    '/feeds/:id',
    {
      schema: {
        summary: 'Pause/resume a feed or change its interval (its scheduler follows at once)',
        tags: ['feeds'],
        security: adminSecurity,
        params: feedIdParams,
        body: patchFeedBody,
        response: { 200: json('the feed as changed', feedSchema), ...feedUnknown, ...adminErrors },
      },
    },
    async (req, reply) => {
      const { id } = req.params;
      const { enabled, intervalMinutes } = req.body;
      const feed = await registryCall(reply, async () => {
        // enabled first: resuming a file feed is refused here (400) before anything else changes.
        let updated = enabled === undefined ? undefined : await registry.setEnabled(id, enabled);
        if (intervalMinutes !== undefined) updated = await registry.setInterval(id, intervalMinutes);
        return updated;
      });
      if (!feed) return reply;
      return feedView(feed);
    },
  );

  api.delete(
    '/feeds/:id',
    {
      schema: {
        summary: 'Remove a feed and its scheduler (stored papers stay)',
        tags: ['feeds'],
        security: adminSecurity,
        params: feedIdParams,
        response: { 204: empty('removed'), ...feedUnknown, ...adminErrors },
      },
    },
    async (req, reply) => {
      const removed = await registryCall(reply, async () => {
        await registry.remove(req.params.id);
        return true;
      });
      if (!removed) return reply;
      return reply.code(204).send();
    },
  );

  api.post(
    '/feeds/:id/fetch',
    {
      schema: {
        summary: 'Queue a fetch of one feed now (deduplicated while one is waiting)',
        tags: ['feeds'],
        security: adminSecurity,
        params: feedIdParams,
        // No body is expected; anything sent must at least be an empty object.
        body: z.strictObject({}).optional(),
        response: { 202: json('queued', queued), ...feedUnknown, ...adminErrors },
      },
    },
    async (req, reply) => {
      const jobId = await registryCall(reply, () => registry.fetchNow(req.params.id, 'manual', new Date()));
      if (jobId === undefined) return reply;
      return reply.code(202).send({ jobId });
    },
  );

  api.post(
    '/rescore',
    {
      schema: {
        summary: 'Queue a manual re-score (score-rankings job)',
        tags: ['trending'],
        security: adminSecurity,
        body: rescoreBody,
        response: { 202: json('queued', queued), ...adminErrors },
      },
    },
    async (req, reply) => {
      const { windows, categories } = req.body ?? {};
      const jobId = await rt.queues.enqueue('score-rankings', {
        reason: 'manual',
        ...(windows ? { windows } : {}),
        ...(categories ? { categories } : {}),
      });
      return reply.code(202).send({ jobId });
    },
  );
}
