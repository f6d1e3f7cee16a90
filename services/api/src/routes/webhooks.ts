// Webhook subscriptions and their dead-letter list, for keys with the `admin` scope. Writes are admin-only
// through the auth hook; GET /webhooks is checked here too, since the hook treats every GET as a read and
// subscriptions (their URLs) are an operator's business. A secret is in the answer to POST only.
import { readerFiltersSchema } from '@paperwire/core';
import { WebhookError, type WebhookRecord } from '@paperwire/db';
import { replayDeadLetters, WebhookReplayError } from '@paperwire/jobs';
import type { Runtime } from '@paperwire/runtime';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { requireAdminKey } from '../auth.ts';
import { parseInput, sendError } from '../http-errors.ts';

export const addWebhookBody = z
  .object({
    url: z.string().min(1).max(2000),
    /** Exact types (`trending.entered`), prefixes (`paper.*`) or `*`. */
    eventTypes: z.array(z.string().min(1).max(200)).min(1).max(50),
    /** Reader filters: only events about a paper matching one of them (trending.entered, paper.created/revised). */
    filters: readerFiltersSchema.optional(),
  })
  .strict();

export const replayWebhooksBody = z
  .object({
    /** Job ids from the dead-letter list (`wh.<subscriptionId>.<eventId>`); absent: every failed delivery. */
    ids: z.array(z.string().min(1).max(1000)).min(1).max(10_000).optional(),
  })
  .strict();

export const webhookIdParams = z
  .object({ id: z.string().regex(/^wh_[0-9a-f]{16}$/, 'not a webhook subscription id') })
  .strict();

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

const webhookView = (w: WebhookRecord) => ({
  id: w.id,
  url: w.url,
  eventTypes: w.eventTypes,
  ...(w.filters ? { filters: w.filters } : {}),
  enabled: w.enabled,
  createdAt: w.createdAt,
});

export function webhookRoutes(app: FastifyInstance, rt: Runtime) {
  app.post('/webhooks', async (req, reply) => {
    const input = parseInput(addWebhookBody, req.body, reply);
    if (!input.ok) return reply;
    const created = await call(reply, () => rt.db.webhooks.create(input.value, new Date()));
    if (!created) return reply;
    // The only answer that carries the secret; it is never shown again.
    return reply
      .code(201)
      .header('location', `/webhooks/${created.record.id}`)
      .header('cache-control', 'no-store')
      .send({ ...webhookView(created.record), secret: created.secret });
  });

  app.get('/webhooks', { preHandler: requireAdminKey }, async () => {
    return { items: (await rt.db.webhooks.list()).map(webhookView) };
  });

  app.delete('/webhooks/:id', async (req, reply) => {
    const params = parseInput(webhookIdParams, req.params, reply);
    if (!params.ok) return reply;
    const removed = await call(reply, () => rt.db.webhooks.remove(params.value.id));
    if (!removed) return reply;
    return reply.code(204).send();
  });

  app.post('/webhooks/replay', async (req, reply) => {
    const input = parseInput(replayWebhooksBody, req.body, reply);
    if (!input.ok) return reply;
    const replayed = await call(reply, () => replayDeadLetters(rt.queues, input.value.ids));
    if (!replayed) return reply;
    return reply.code(202).send({ replayed });
  });
}
