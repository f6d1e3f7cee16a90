// Who may call what, and how often. One `onRequest` hook decides from the route and the method, so a new
// route is covered without opting in: GET/HEAD routes are reads (public unless API_READ_REQUIRES_KEY),
// every other method is a write that wants a key with the `admin` scope. Probes and /openapi.json are open.
//
// A key comes in `x-api-key: <key>` or `Authorization: Bearer <key>`; it is checked by hashing it and
// point-reading `apikeys` (see shared/db api-keys.ts for why no constant-time compare is needed) on every
// request, so a revocation holds from the next request. Keys are never logged: pino redacts both headers.
//
// Bull Board (/admin/queues and everything under it) is an HTML UI for operators: `admin` for every method,
// and since a browser cannot send x-api-key to a page, the key is also taken as the password of HTTP Basic
// auth there (any user name); its 401 challenges with Basic so the browser prompts. A write there from
// another origin (a page riding on the browser's cached Basic credentials) is refused.
//
// Rate limits (@fastify/rate-limit on the runtime's Redis, so every API process shares them): a fixed
// one-minute window per key (`<prefix>:pw:rate:<sha256 of the key>`) and per client IP for requests without
// a valid key (`<prefix>:pw:rate:ip.<ip>`). Over the limit: 429 with Retry-After. If Redis is unreachable
// the limit is skipped, so an outage of the limiter does not take the read API down with it.
//
// One `onRequest` hook does it in order: verify the key, count the request in its bucket (the plugin's
// limiter, called here rather than on every route, so it can name the key's bucket), then refuse (401/403):
// a wrong key is counted against the caller's IP before its 401.
import rateLimit from '@fastify/rate-limit';
import { type ApiKeyRecord, hashApiKey } from '@paperwire/db';
import type { Runtime } from '@paperwire/runtime';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiConfig } from './config.ts';
import { sendError } from './http-errors.ts';
import { BULL_BOARD_PATH } from './routes/bull-board.ts';

export type AuthSettings = Pick<ApiConfig, 'API_READ_REQUIRES_KEY' | 'API_RATE_LIMIT_PER_MINUTE'>;
export const DEFAULT_AUTH_SETTINGS: AuthSettings = {
  API_READ_REQUIRES_KEY: false,
  API_RATE_LIMIT_PER_MINUTE: 600,
};

export type Access = 'open' | 'read' | 'admin';

/**
 * Always open: liveness/readiness probes, the API's own description, and the dashboard's static shell (no
 * data in it; the page reads the API with a key of its own when reads need one).
 */
const OPEN_ROUTES = new Set([
  '/health',
  '/ready',
  '/openapi.json',
  '/dashboard',
  '/dashboard/app.js',
  '/dashboard/style.css',
  // A digest e-mail's unsubscribe link, every method (GET: the confirmation page; POST: unsubscribe, also
  // RFC 8058 one-click from a mail provider, which sends no key): its HMAC token is the credential.
  '/digests/unsubscribe',
]);
/** Never rate-limited: an orchestrator's probes must not be turned away. */
const UNLIMITED_ROUTES = new Set(['/health', '/ready']);
const WINDOW_MS = 60_000;

/** What a route needs; `routeUrl` undefined means no route matched (the 404 answers, unauthenticated). */
export function accessFor(method: string, routeUrl: string | undefined): Access {
  if (routeUrl === undefined || OPEN_ROUTES.has(routeUrl)) return 'open';
  if (isAdminUi(routeUrl)) return 'admin';
  return method === 'GET' || method === 'HEAD' ? 'read' : 'admin';
}

/** The key a request presents, if any: `x-api-key` first, then `Authorization: Bearer`. */
export function presentedKey(headers: FastifyRequest['headers']): string | undefined {
  const header = headers['x-api-key'];
  if (typeof header === 'string' && header.length > 0) return header.trim();
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
  return match?.[1];
}

/** Bull Board's page and every route under it. */
export function isAdminUi(routeUrl: string | undefined): boolean {
  return routeUrl === BULL_BOARD_PATH || routeUrl?.startsWith(`${BULL_BOARD_PATH}/`) === true;
}

/** The password of `Authorization: Basic base64(user:password)`, if that is what was sent. */
export function basicPassword(headers: FastifyRequest['headers']): string | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(headers.authorization ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const password = colon < 0 ? '' : decoded.slice(colon + 1);
  return password.length > 0 ? password : undefined;
}

/** A write whose Origin names another site than the one it was sent to. */
function crossOrigin(req: FastifyRequest): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  try {
    return new URL(origin).host !== req.headers.host;
  } catch {
    return true;
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified API key of this request, when one was presented. */
    apiKey?: ApiKeyRecord;
    /** The limiter's bucket: the key's hash, or `ip.<ip>` without a valid key. */
    rateBucket?: string;
  }
}

const unauthorized = (reply: FastifyReply, message: string, basic = false) =>
  sendError(
    reply.header('www-authenticate', basic ? 'Basic realm="paperwire admin"' : 'Bearer realm="paperwire"'),
    401,
    'unauthorized',
    message,
  );

export function installAuth(app: FastifyInstance, rt: Runtime, settings: AuthSettings): void {
  app.register(rateLimit, {
    global: false, // called by the hook below, after the key is known
    max: settings.API_RATE_LIMIT_PER_MINUTE,
    timeWindow: WINDOW_MS,
    redis: rt.redis,
    nameSpace: `${rt.prefix}:pw:rate:`,
    keyGenerator: (req) => req.rateBucket ?? `ip.${req.ip}`,
    skipOnError: true,
    errorResponseBuilder: (_req, context) =>
      Object.assign(new Error(`rate limit of ${context.max} requests per minute reached`), {
        statusCode: 429,
      }),
  });
  let limiter: ReturnType<FastifyInstance['rateLimit']> | undefined;

  app.addHook('onRequest', async (req, reply) => {
    const routeUrl = req.routeOptions.url;
    const access = accessFor(req.method, routeUrl);
    const adminUi = isAdminUi(routeUrl);
    // Open routes ignore keys: a probe with a stale key still gets its answer.
    const key =
      access === 'open'
        ? undefined
        : (presentedKey(req.headers) ?? (adminUi ? basicPassword(req.headers) : undefined));
    const record = key === undefined ? undefined : await rt.db.apiKeys.verify(key);
    if (record) req.apiKey = record;

    // A wrong key counts against the caller's IP, so guessing keys is rate-limited too. Over the limit the
    // limiter throws its 429 (with Retry-After), answered by the app's error handler.
    if (routeUrl === undefined || !UNLIMITED_ROUTES.has(routeUrl)) {
      req.rateBucket = record && key ? hashApiKey(key) : `ip.${req.ip}`;
      limiter ??= app.rateLimit();
      await limiter.call(app, req, reply);
    }

    if (key !== undefined && !record)
      return unauthorized(reply, 'the API key is not valid or was revoked', adminUi);
    if (access === 'admin') {
      if (!record)
        return adminUi
          ? unauthorized(
              reply,
              'this page needs an admin API key (Basic auth: any user, the key as password)',
              true,
            )
          : unauthorized(reply, 'this route needs an API key (x-api-key or Bearer)');
      if (!record.scopes.includes('admin'))
        return sendError(reply, 403, 'forbidden', 'this route needs an API key with the admin scope');
      if (adminUi && req.method !== 'GET' && req.method !== 'HEAD' && crossOrigin(req))
        return sendError(reply, 403, 'forbidden', 'queue changes are accepted from this origin only');
    }
    // Any valid key may read: `read` and `admin` both include it.
    if (access === 'read' && settings.API_READ_REQUIRES_KEY && !record)
      return unauthorized(reply, 'this API needs an API key to read (x-api-key or Bearer)');
    return undefined;
  });
}

/**
 * A preHandler for GET routes that list secrets-adjacent data (webhook and digest subscriptions): the auth
 * hook treats GET as a read, these still want a key with the admin scope.
 */
export async function requireAdminKey(req: FastifyRequest, reply: FastifyReply) {
  if (!req.apiKey) return unauthorized(reply, 'this route needs an API key (x-api-key or Bearer)');
  if (!req.apiKey.scopes.includes('admin'))
    return sendError(reply, 403, 'forbidden', 'this route needs an API key with the admin scope');
  return undefined;
}
