// Digest subscriptions for keys with the `admin` scope (GET is checked here too: the auth hook treats
// every GET as a read, and subscribers' addresses are an operator's business), and the unsubscribe link
// of every digest e-mail: GET /digests/unsubscribe?token=… — the HMAC token is the credential.
import { DIGEST_CADENCES, verifyUnsubscribeToken, WINDOWS } from '@paperwire/core';
import { DigestError, type DigestSubscription } from '@paperwire/db';
import type { PublicLinksConfig } from '@paperwire/platform';
import type { Runtime } from '@paperwire/runtime';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { parseInput, sendError } from '../http-errors.ts';

export const subscribeDigestBody = z
  .object({
    email: z.string().min(3).max(254),
    windows: z.array(z.enum(WINDOWS)).min(1).max(3),
    /** Primary categories such as cs.LG, or `all` (the default). */
    categories: z
      .array(z.string().regex(/^[A-Za-z0-9.-]{1,40}$/))
      .min(1)
      .max(20)
      .optional(),
    cadence: z.enum(DIGEST_CADENCES).default('daily'),
  })
  .strict();

export const digestIdParams = z
  .object({ id: z.string().regex(/^ds_[0-9a-f]{16}$/, 'not a digest subscription id') })
  .strict();

const unsubscribeQuery = z.object({ token: z.string().min(1).max(200) }).strict();

const STATUS = { 'digest-unknown': 404, 'digest-invalid': 400 } as const;

async function call<T>(reply: FastifyReply, run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof DigestError && err.code in STATUS) {
      await sendError(reply, STATUS[err.code as keyof typeof STATUS], err.code, err.message);
      return undefined;
    }
    throw err;
  }
}

export const digestSubscriptionView = (s: DigestSubscription) => ({
  id: s.id,
  email: s.email,
  windows: s.windows,
  categories: s.categories,
  cadence: s.cadence,
  createdAt: s.createdAt,
  updatedAt: s.updatedAt,
  unsubscribedAt: s.unsubscribedAt,
});

async function requireAdmin(req: FastifyRequest, reply: FastifyReply) {
  if (!req.apiKey)
    return sendError(
      reply.header('www-authenticate', 'Bearer realm="paperwire"'),
      401,
      'unauthorized',
      'this route needs an API key (x-api-key or Bearer)',
    );
  if (!req.apiKey.scopes.includes('admin'))
    return sendError(reply, 403, 'forbidden', 'this route needs an API key with the admin scope');
  return undefined;
}

const page = (title: string, text: string) =>
  `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>` +
  `<body style="font-family: sans-serif"><h1>${title}</h1><p>${text}</p></body></html>\n`;

export function digestRoutes(
  app: FastifyInstance,
  rt: Runtime,
  links: Pick<PublicLinksConfig, 'DIGEST_SECRET'> = {},
) {
  app.get('/digests/subscriptions', { preHandler: requireAdmin }, async () => {
    return { items: (await rt.db.digests.list()).map(digestSubscriptionView) };
  });

  app.post('/digests/subscriptions', async (req, reply) => {
    const input = parseInput(subscribeDigestBody, req.body, reply);
    if (!input.ok) return reply;
    const done = await call(reply, () => rt.db.digests.subscribe(input.value, new Date()));
    if (!done) return reply;
    return reply
      .code(done.created ? 201 : 200)
      .header('location', `/digests/subscriptions/${done.subscription.id}`)
      .send(digestSubscriptionView(done.subscription));
  });

  app.delete('/digests/subscriptions/:id', async (req, reply) => {
    const params = parseInput(digestIdParams, req.params, reply);
    if (!params.ok) return reply;
    const done = await call(reply, () => rt.db.digests.unsubscribe(params.value.id, new Date()));
    if (!done) return reply;
    return reply.code(204).send();
  });

  // A GET because it is a link in an e-mail; it only ever unsubscribes (idempotent), never subscribes.
  app.get('/digests/unsubscribe', async (req, reply) => {
    const input = parseInput(unsubscribeQuery, req.query, reply);
    if (!input.ok) return reply;
    if (!links.DIGEST_SECRET)
      return sendError(reply, 404, 'digests-disabled', 'digests are not configured on this server');
    const id = verifyUnsubscribeToken(links.DIGEST_SECRET, input.value.token);
    if (!id) return sendError(reply, 400, 'invalid-token', 'token: not an unsubscribe link from this server');
    const done = await call(reply, () => rt.db.digests.unsubscribe(id, new Date()));
    if (!done) return reply;
    return reply
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(page('Unsubscribed', 'You will not get Paperwire digests any more.'));
  });
}
