// Digest subscriptions for keys with the `admin` scope (GET is checked here too: the auth hook treats
// every GET as a read, and subscribers' addresses are an operator's business), and the unsubscribe link
// of every digest e-mail: GET /digests/unsubscribe?token=… shows a confirmation page, POST to the same URL
// unsubscribes (the page's button, or a mail provider's RFC 8058 one-click). The HMAC token is the
// credential; auth.ts leaves both methods open (OPEN_ROUTES is by URL).
import {
  DIGEST_CADENCES,
  DIGEST_SUBSCRIBER_ID,
  escapeHtml,
  readerFiltersSchema,
  verifyUnsubscribeToken,
  WINDOWS,
} from '@paperwire/core';
import { type Database, DigestError, type DigestSubscription } from '@paperwire/db';
import type { PublicLinksConfig } from '@paperwire/platform';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireAdminKey } from '../auth.ts';
import { sendError } from '../http-errors.ts';
import {
  adminErrors,
  adminSecurity,
  type ContentResponse,
  component,
  described,
  empty,
  error,
  errorSchema,
  isoInstant,
  json,
  openSecurity,
} from '../schemas.ts';

const category = () => z.string().regex(/^[A-Za-z0-9.-]{1,40}$/);

export const subscribeDigestBody = component(
  'SubscribeDigest',
  z.strictObject({
    email: z.string().min(3).max(254),
    windows: z.array(z.enum(WINDOWS)).min(1).max(3),
    /** Primary categories such as cs.LG, or `all` (the default). */
    categories: z.array(category()).min(1).max(20).optional(),
    cadence: z.enum(DIGEST_CADENCES).default('daily'),
    /** Reader filters: only papers matching any of them are sent. */
    filters: readerFiltersSchema.optional(),
  }),
  'input',
);

const digestId = () => z.string().regex(DIGEST_SUBSCRIBER_ID, 'not a digest subscription id');
export const digestIdParams = z.strictObject({ id: digestId() });

const digestSubscription = component(
  'DigestSubscription',
  z.strictObject({
    id: digestId(),
    email: z.string(),
    windows: z.array(z.enum(WINDOWS)).min(1),
    categories: z.array(z.string()).min(1),
    cadence: z.enum(DIGEST_CADENCES),
    filters: readerFiltersSchema.optional(),
    createdAt: isoInstant(),
    updatedAt: isoInstant(),
    unsubscribedAt: isoInstant().nullable(),
  }),
);
const digestSubscriptionList = component(
  'DigestSubscriptionList',
  z.strictObject({ items: z.array(digestSubscription) }),
);
const unsubscribeStateSchema = component(
  'DigestUnsubscribeState',
  z.strictObject({ id: digestId(), unsubscribedAt: isoInstant().nullable() }),
);

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

export const digestSubscriptionView = (s: DigestSubscription): z.infer<typeof digestSubscription> => ({
  id: s.id,
  email: s.email,
  windows: s.windows,
  categories: s.categories,
  cadence: s.cadence,
  ...(s.filters ? { filters: s.filters } : {}),
  createdAt: s.createdAt,
  updatedAt: s.updatedAt,
  unsubscribedAt: s.unsubscribedAt,
});

// --- The unsubscribe link (RFC 2369 List-Unsubscribe, RFC 8058 one-click) -------------------------------
// GET never changes anything: mail scanners and link previews fetch links nobody clicked. It answers a page
// whose button POSTs the token back. POST unsubscribes, idempotently: from that button, or from a mail
// provider's one-click button (body `List-Unsubscribe=One-Click`, the token in the URL's query).
//
// Every answer of both routes, errors included, is a small HTML page, unless the request's Accept prefers
// application/json to text/html: then it is JSON (`{id, unsubscribedAt}`, errors as `{error: {code,
// message}}`). `Cache-Control: no-store` on all of them: a token's page must not sit in a shared cache.

const token = () => z.string().min(1).max(200);
const unsubscribeQuery = z.strictObject({ token: described(token(), 'from the e-mail') });
const oneClickQuery = z.strictObject({
  token: described(token().optional(), 'from the e-mail; or in the body (the same token if in both)'),
});
/** The page's button sends `token`; a mail provider's one-click button sends `List-Unsubscribe=One-Click`. */
const oneClickBody = z
  .strictObject({ token: token().optional(), 'List-Unsubscribe': z.literal('One-Click').optional() })
  .optional();

/** The unsubscribe routes answer HTML, or JSON when Accept prefers it. */
const unsubscribeAnswer = (description: string): ContentResponse => ({
  description,
  content: { 'text/html': { schema: z.string() }, 'application/json': { schema: unsubscribeStateSchema } },
});
const unsubscribeError = (description: string): ContentResponse => ({
  description,
  content: { 'text/html': { schema: z.string() }, 'application/json': { schema: errorSchema } },
});
const notConfiguredOrGone = unsubscribeError(
  'digests are not configured here (digests-disabled), or the subscription is gone (digest-unknown)',
);

/** Bodies of the unsubscribe POST are a field or two: anything larger is refused (413). */
const FORM_BODY_LIMIT = 4_096;

/** No scripts, styles, images or frames; the one form may post to this origin only. */
export const UNSUBSCRIBE_CSP = [
  "default-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** `a=1&b=2` as an object; a repeated field becomes an array (which the route's schema refuses). */
export function parseFormBody(body: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null);
  for (const [key, value] of new URLSearchParams(body)) {
    const had = out[key];
    out[key] = had === undefined ? value : [...(Array.isArray(had) ? had : [had]), value];
  }
  return out;
}

/** The q of the most specific range of `accept` that matches `mediaType` (0 when none does). */
function qualityOf(ranges: readonly { range: string; q: number }[], mediaType: string): number {
  const family = `${mediaType.slice(0, mediaType.indexOf('/'))}/*`;
  let specificity = -1;
  let q = 0;
  for (const r of ranges) {
    const s = r.range === mediaType ? 2 : r.range === family ? 1 : r.range === '*/*' ? 0 : -1;
    if (s > specificity) [specificity, q] = [s, r.q];
  }
  return q;
}

/** True when `Accept` ranks application/json above text/html (no Accept, or a tie: HTML). */
export function prefersJson(accept: string | undefined): boolean {
  if (!accept) return false;
  const ranges = accept.split(',').map((part) => {
    const [range = '', ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    const q = Number(params.find((p) => p.startsWith('q='))?.slice(2) ?? '1');
    return { range, q: Number.isFinite(q) ? q : 0 };
  });
  return qualityOf(ranges, 'application/json') > qualityOf(ranges, 'text/html');
}

type Answer = 'html' | 'json';

/** A complete page; `body` is HTML already escaped by the caller. */
const page = (title: string, body: string) =>
  `<!doctype html>\n<html lang="en"><head><meta charset="utf-8">` +
  `<meta name="viewport" content="width=device-width, initial-scale=1">` +
  `<meta name="robots" content="noindex, nofollow"><title>${escapeHtml(title)}</title></head>\n` +
  `<body><h1>${escapeHtml(title)}</h1>\n${body}\n</body></html>\n`;

function sendPage(reply: FastifyReply, status: number, title: string, body: string) {
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', UNSUBSCRIBE_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .send(page(title, body));
}

const ERROR_TITLES: Record<number, string> = {
  400: 'This unsubscribe link is not valid',
  404: 'Nothing to unsubscribe',
};

function refuse(reply: FastifyReply, answer: Answer, status: number, code: string, message: string) {
  if (answer === 'json') return sendError(reply, status, code, message);
  return sendPage(
    reply,
    status,
    ERROR_TITLES[status] ?? 'Something went wrong',
    `<p>${escapeHtml(message)}</p>\n<p>Copy the whole link from the e-mail, or ask the sender to unsubscribe you.</p>`,
  );
}

const unsubscribeState = (s: DigestSubscription) => ({ id: s.id, unsubscribedAt: s.unsubscribedAt });
const unknownSubscription = 'the subscription this link was made for does not exist (any more)';

export function digestRoutes(
  app: FastifyInstance,
  db: Pick<Database, 'digests'>,
  links: Pick<PublicLinksConfig, 'DIGEST_SECRET'> = {},
) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['digests'];
  api.get(
    '/digests/subscriptions',
    {
      preHandler: requireAdminKey,
      schema: {
        summary: 'Digest subscriptions, unsubscribed ones too (admin key)',
        tags,
        security: adminSecurity,
        response: { 200: json('every subscription', digestSubscriptionList), ...adminErrors },
      },
    },
    async () => ({ items: (await db.digests.list()).map(digestSubscriptionView) }),
  );

  api.post(
    '/digests/subscriptions',
    {
      schema: {
        summary: 'Subscribe an address to e-mail digests, or change (and resume) its subscription',
        tags,
        security: adminSecurity,
        body: subscribeDigestBody,
        response: {
          200: json('the address was subscribed already: its settings changed', digestSubscription),
          201: json('subscribed; Location set', digestSubscription),
          ...adminErrors,
        },
      },
    },
    async (req, reply) => {
      const done = await call(reply, () => db.digests.subscribe(req.body, new Date()));
      if (!done) return reply;
      return reply
        .code(done.created ? 201 : 200)
        .header('location', `/digests/subscriptions/${done.subscription.id}`)
        .send(digestSubscriptionView(done.subscription));
    },
  );

  api.delete(
    '/digests/subscriptions/:id',
    {
      schema: {
        summary: 'Unsubscribe (the subscription and the papers it was sent are kept)',
        tags,
        security: adminSecurity,
        params: digestIdParams,
        response: {
          204: empty('unsubscribed'),
          404: error('no such subscription (code digest-unknown)'),
          ...adminErrors,
        },
      },
    },
    async (req, reply) => {
      const done = await call(reply, () => db.digests.unsubscribe(req.params.id, new Date()));
      if (!done) return reply;
      return reply.code(204).send();
    },
  );

  // The unsubscribe routes in a scope of their own, so the form-body parsers below apply to them only:
  // every other route parses bodies exactly as before (Fastify's JSON and text/plain; a form is a 415).
  // Their input is checked by their schemas with `attachValidation`: a refusal is a page, like every answer.
  api.register(async (plain) => {
    const scope = plain.withTypeProvider<ZodTypeProvider>();
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT },
      (_req, body, done) => done(null, parseFormBody(String(body))),
    );
    // RFC 8058 lets the one-click POST come as multipart/form-data. Its only field is
    // `List-Unsubscribe=One-Click` and the token is in the URL, so the body is read (bounded) and ignored.
    scope.addContentTypeParser(
      'multipart/form-data',
      { parseAs: 'buffer', bodyLimit: FORM_BODY_LIMIT },
      (_req, _body, done) => done(null, {}),
    );

    /** The subscription a token names, or undefined once the refusal has been sent. */
    function verified(reply: FastifyReply, answer: Answer, given: string): string | undefined {
      if (!links.DIGEST_SECRET) {
        void refuse(reply, answer, 404, 'digests-disabled', 'digests are not configured on this server');
        return undefined;
      }
      const id = verifyUnsubscribeToken(links.DIGEST_SECRET, given);
      if (!id)
        void refuse(reply, answer, 400, 'invalid-token', 'token: not an unsubscribe link from this server');
      return id;
    }

    const start = (req: FastifyRequest, reply: FastifyReply): Answer => {
      reply.header('cache-control', 'no-store').header('vary', 'accept');
      return prefersJson(req.headers.accept) ? 'json' : 'html';
    };

    // The link in the e-mail: reads only, so a prefetch by a scanner or a link preview changes nothing.
    const getSchema = {
      summary:
        'The unsubscribe link of a digest e-mail: a confirmation page whose button POSTs the token back. ' +
        'Changes nothing (mail scanners and link previews fetch it). Always open: the signed token is the ' +
        'credential. Pages and errors are HTML unless Accept prefers application/json; never cached',
      tags,
      security: openSecurity,
      querystring: unsubscribeQuery,
      response: {
        200: unsubscribeAnswer(
          'the confirmation page (a form posting the token), or "already unsubscribed"; JSON: the state',
        ),
        400: unsubscribeError('missing or invalid token (codes invalid-request, invalid-token)'),
        404: notConfiguredOrGone,
        429: error('rate limit reached; see Retry-After'),
      },
    };
    scope.get('/digests/unsubscribe', { schema: getSchema, attachValidation: true }, async (req, reply) => {
      const answer = start(req, reply);
      if (req.validationError)
        return refuse(reply, answer, 400, 'invalid-request', req.validationError.message);
      const { token: given } = req.query;
      const id = verified(reply, answer, given);
      if (!id) return reply;
      const sub = await db.digests.get(id);
      if (!sub) return refuse(reply, answer, 404, 'digest-unknown', unknownSubscription);
      if (answer === 'json') return reply.send(unsubscribeState(sub));
      if (sub.unsubscribedAt)
        return sendPage(reply, 200, 'Already unsubscribed', '<p>This address gets no Paperwire digests.</p>');
      return sendPage(
        reply,
        200,
        'Unsubscribe from Paperwire digests?',
        `<p>This address gets the ${escapeHtml(sub.cadence)} Paperwire digest. ` +
          'Nothing changes until you press the button.</p>\n' +
          '<form method="post">' +
          `<input type="hidden" name="token" value="${escapeHtml(given)}">` +
          '<button type="submit">Unsubscribe</button></form>',
      );
    });

    // The page's button, and a mail provider's one-click unsubscribe (RFC 8058): unsubscribes, idempotently.
    const postSchema = {
      summary:
        "Unsubscribe (idempotent): the confirmation page's button, or a mail provider's one-click " +
        'unsubscribe (RFC 8058: body List-Unsubscribe=One-Click, token in the query string). Always open. ' +
        'Answers are HTML unless Accept prefers application/json; never cached. A multipart/form-data ' +
        'body is read and ignored (the token must then be in the query string)',
      tags,
      security: openSecurity,
      querystring: oneClickQuery,
      body: oneClickBody,
      consumes: ['application/x-www-form-urlencoded', 'multipart/form-data', 'application/json'],
      response: {
        200: unsubscribeAnswer('unsubscribed, now or before: a page saying so; JSON: the state'),
        400: unsubscribeError(
          'no token, an invalid token, different tokens in URL and body, or unknown fields ' +
            '(codes invalid-request, invalid-token)',
        ),
        404: notConfiguredOrGone,
        413: error('a body over 4 KiB'),
        415: error('a body of another type than these (or text/plain, which is a 400)'),
        429: error('rate limit reached; see Retry-After'),
      },
    };
    scope.post('/digests/unsubscribe', { schema: postSchema, attachValidation: true }, async (req, reply) => {
      const answer = start(req, reply);
      if (req.validationError)
        return refuse(reply, answer, 400, 'invalid-request', req.validationError.message);
      const [inUrl, inBody] = [req.query.token, req.body?.token];
      if (inUrl !== undefined && inBody !== undefined && inUrl !== inBody)
        return refuse(
          reply,
          answer,
          400,
          'invalid-request',
          'token: the URL and the body name different tokens',
        );
      const given = inBody ?? inUrl;
      if (given === undefined)
        return refuse(
          reply,
          answer,
          400,
          'invalid-request',
          'token: required, in the query string or the form body',
        );
      const id = verified(reply, answer, given);
      if (!id) return reply;
      let sub: DigestSubscription;
      try {
        sub = await db.digests.unsubscribe(id, new Date());
      } catch (err) {
        if (err instanceof DigestError && err.code === 'digest-unknown')
          return refuse(reply, answer, 404, 'digest-unknown', unknownSubscription);
        throw err;
      }
      if (answer === 'json') return reply.send(unsubscribeState(sub));
      return sendPage(reply, 200, 'Unsubscribed', '<p>You will not get Paperwire digests any more.</p>');
    });
  });
}
