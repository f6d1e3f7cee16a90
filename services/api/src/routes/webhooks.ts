// Webhook subscriptions and their dead-letter list, for keys with the `admin` scope. Writes are admin-only
// through the auth hook; GET /webhooks is checked here too, since the hook treats every GET as a read and
// subscriptions (their URLs) are an operator's business. A secret is in the answer to POST only.
import { readerFiltersSchema } from '@paperwire/core';
import { type Database, WEBHOOK_ID, WebhookError, type WebhookRecord } from '@paperwire/db';
import { replayDeadLetters, WebhookReplayError } from '@paperwire/jobs';
import type { Runtime } from '@paperwire/runtime';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireAdminKey } from '../auth.ts';
import { sendError } from '../http-errors.ts';
import {
  adminErrors,
  adminSecurity,
  component,
  described,
  empty,
  error,
  isoInstant,
  json,
} from '../schemas.ts';

export const addWebhookBody = component(
  'AddWebhook',
  z.strictObject({
    url: z.string().min(1).max(2000),
    /** Exact types (`trending.entered`), prefixes (`paper.*`) or `*`. */
    eventTypes: z.array(z.string().min(1).max(200)).min(1).max(50),
    /** Reader filters: only events about a paper matching one of them (trending.entered, paper.created/revised). */
    filters: readerFiltersSchema.optional(),
  }),
  'input',
);

export const replayWebhooksBody = component(
  'ReplayWebhooks',
  z
    .strictObject({
      /** Job ids from the dead-letter list (`wh.<subscriptionId>.<eventId>`); absent: every failed delivery. */
      ids: z.array(z.string().min(1).max(1000)).min(1).max(10_000).optional(),
    })
    .optional(),
  'input',
);

const webhookId = () => z.string().regex(WEBHOOK_ID, 'not a webhook subscription id');
export const webhookIdParams = z.strictObject({ id: webhookId() });

/** A subscription as listed (the answer to its creation adds the secret). */
const webhookShape = {
  id: webhookId(),
  url: z.string(),
  eventTypes: z.array(z.string()).min(1),
  filters: readerFiltersSchema.optional(),
  enabled: z.boolean(),
  createdAt: isoInstant(),
};
const webhook = component('Webhook', z.strictObject(webhookShape));
const webhookCreated = component(
  'WebhookCreated',
  z.strictObject({
    ...webhookShape,
    secret: described(
      z.string().startsWith('whsec_'),
      'signs every delivery (Paperwire-Signature); shown in this answer only, never again',
    ),
  }),
);
const webhookList = component('WebhookList', z.strictObject({ items: z.array(webhook) }));
const webhooksReplayed = component('WebhooksReplayed', z.strictObject({ replayed: z.array(z.string()) }));

const STATUS = {
  'webhook-unknown': 404,
  'webhook-invalid': 400,
  'webhook-dead-letter-unknown': 404,
} as const;

/** Refusals of the repository or the replay become 404/400 with their code and message. */
async function call<T>(reply: FastifyReply, run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch (err) {
    if ((err instanceof WebhookError || err instanceof WebhookReplayError) && err.code in STATUS) {
      await sendError(reply, STATUS[err.code as keyof typeof STATUS], err.code, err.message);
      return undefined;
    }
    throw err;
  }
}

const webhookView = (w: WebhookRecord): z.infer<typeof webhook> => ({
  id: w.id,
  url: w.url,
  eventTypes: w.eventTypes,
  ...(w.filters ? { filters: w.filters } : {}),
  enabled: w.enabled,
  createdAt: w.createdAt,
});

export function webhookRoutes(
  app: FastifyInstance,
  { db, queues }: { db: Pick<Database, 'webhooks'>; queues: Runtime['queues'] },
) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.post(
    '/webhooks',
    {
      schema: {
        summary: 'Subscribe a URL to event types (exact, prefix.* or *); the signing secret is returned once',
        tags: ['webhooks'],
        security: adminSecurity,
        body: addWebhookBody,
        response: {
          201: json('the subscription with its secret; Location set', webhookCreated),
          ...adminErrors,
        },
      },
    },
    async (req, reply) => {
      const created = await call(reply, () => db.webhooks.create(req.body, new Date()));
      if (!created) return reply;
      // The only answer that carries the secret; it is never shown again.
      return reply
        .code(201)
        .header('location', `/webhooks/${created.record.id}`)
        .header('cache-control', 'no-store')
        .send({ ...webhookView(created.record), secret: created.secret });
    },
  );

  api.get(
    '/webhooks',
    {
      preHandler: requireAdminKey,
      schema: {
        summary: 'Webhook subscriptions (admin key; never their secrets)',
        tags: ['webhooks'],
        security: adminSecurity,
        response: { 200: json('every subscription', webhookList), ...adminErrors },
      },
    },
    async () => ({ items: (await db.webhooks.list()).map(webhookView) }),
  );

  api.delete(
    '/webhooks/:id',
    {
      schema: {
        summary: 'Remove a subscription (its queued deliveries are skipped)',
        tags: ['webhooks'],
        security: adminSecurity,
        params: webhookIdParams,
        response: {
          204: empty('removed'),
          404: error('no such subscription (code webhook-unknown)'),
          ...adminErrors,
        },
      },
    },
    async (req, reply) => {
      const removed = await call(reply, () => db.webhooks.remove(req.params.id));
      if (!removed) return reply;
      return reply.code(204).send();
    },
  );

  api.post(
    '/webhooks/replay',
    {
      schema: {
        summary: 'Retry dead-lettered webhook deliveries (the named job ids, or all of them)',
        tags: ['webhooks'],
        security: adminSecurity,
        body: replayWebhooksBody,
        response: {
          202: json('the job ids queued again', webhooksReplayed),
          404: error('an id is not a failed delivery (code webhook-dead-letter-unknown); none replayed'),
          ...adminErrors,
        },
      },
    },
    async (req, reply) => {
      const replayed = await call(reply, () => replayDeadLetters(queues, req.body?.ids));
      if (!replayed) return reply;
      return reply.code(202).send({ replayed });
    },
  );
}
