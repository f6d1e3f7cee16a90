// Who may call what, and how often. One `onRequest` hook decides from the route and the method, so a new
// route is covered without opting in: GET/HEAD routes are reads (public unless API_READ_REQUIRES_KEY),
// every other method is a write that wants a key with the `admin` scope. Probes and /openapi.json are open.
//
// A key comes in `x-api-key: <key>` or `Authorization: Bearer <key>`; it is checked by hashing it and
// point-reading `apikeys` (see shared/db api-keys.ts for why no constant-time compare is needed) on every
// request, so a revocation holds from the next request. Keys are never logged: pino redacts both headers.
//
// Rate limits: a fixed one-minute window per key (`<prefix>:pw:rate:<sha256 of the key>`) and per client IP
// for requests without a valid key (`<prefix>:pw:rate:ip.<ip>`), counted in Redis so every API process
// shares them. Over the limit: 429 with Retry-After. If Redis is unreachable the limit is skipped (logged),
// so an outage of the limiter does not take the read API down with it.
import { type ApiKeyRecord, hashApiKey } from '@paperwire/db';
import type { Runtime } from '@paperwire/runtime';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiConfig } from './config.ts';
import { sendError } from './http-errors.ts';

export type AuthSettings = Pick<ApiConfig, 'API_READ_REQUIRES_KEY' | 'API_RATE_LIMIT_PER_MINUTE'>;
export const DEFAULT_AUTH_SETTINGS: AuthSettings = {
  API_READ_REQUIRES_KEY: false,
  API_RATE_LIMIT_PER_MINUTE: 600,
};

export type Access = 'open' | 'read' | 'admin';

/** Always open: liveness/readiness probes and the API's own description. */
const OPEN_ROUTES = new Set(['/health', '/ready', '/openapi.json']);
/** Never rate-limited: an orchestrator's probes must not be turned away. */
const UNLIMITED_ROUTES = new Set(['/health', '/ready']);
const WINDOW_MS = 60_000;

/** What a route needs; `routeUrl` undefined means no route matched (the 404 answers, unauthenticated). */
export function accessFor(method: string, routeUrl: string | undefined): Access {
  if (routeUrl === undefined || OPEN_ROUTES.has(routeUrl)) return 'open';
  return method === 'GET' || method === 'HEAD' ? 'read' : 'admin';
}

/** The key a request presents, if any: `x-api-key` first, then `Authorization: Bearer`. */
export function presentedKey(headers: FastifyRequest['headers']): string | undefined {
  const header = headers['x-api-key'];
  if (typeof header === 'string' && header.length > 0) return header.trim();
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
  return match?.[1];
}

// INCR and set the window's expiry on its first hit, atomically; returns [count, ms left in the window].
const RATE_SCRIPT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {n, ttl}`;

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified API key of this request, when one was presented. */
    apiKey?: ApiKeyRecord;
  }
}

const unauthorized = (reply: FastifyReply, message: string) =>
  sendError(reply.header('www-authenticate', 'Bearer realm="paperwire"'), 401, 'unauthorized', message);

export function installAuth(app: FastifyInstance, rt: Runtime, settings: AuthSettings): void {
  const limit = settings.API_RATE_LIMIT_PER_MINUTE;

  /** Counts one request in `bucket`; undefined when it may go ahead, else seconds until it may. */
  async function overLimit(bucket: string, reply: FastifyReply): Promise<number | undefined> {
    let count: number;
    let ttlMs: number;
    try {
      const res = (await rt.redis.eval(RATE_SCRIPT, 1, `${rt.prefix}:pw:rate:${bucket}`, WINDOW_MS)) as [
        number,
        number,
      ];
      [count, ttlMs] = res;
    } catch (err) {
      rt.log.warn({ err }, 'api: rate limiter unavailable; request let through');
      return undefined;
    }
    const resetSeconds = Math.max(1, Math.ceil(ttlMs / 1000));
    reply.header('x-ratelimit-limit', limit);
    reply.header('x-ratelimit-remaining', Math.max(0, limit - count));
    reply.header('x-ratelimit-reset', resetSeconds);
    return count > limit ? resetSeconds : undefined;
  }

  app.addHook('onRequest', async (req, reply) => {
    const routeUrl = req.routeOptions.url;
    const access = accessFor(req.method, routeUrl);
    // Open routes ignore keys: a probe with a stale key still gets its answer.
    const key = access === 'open' ? undefined : presentedKey(req.headers);
    const record = key === undefined ? undefined : await rt.db.apiKeys.verify(key);
    if (record) req.apiKey = record;

    // A wrong key counts against the caller's IP, so guessing keys is rate-limited too.
    if (routeUrl === undefined || !UNLIMITED_ROUTES.has(routeUrl)) {
      const bucket = record && key ? hashApiKey(key) : `ip.${req.ip}`;
      const retryAfter = await overLimit(bucket, reply);
      if (retryAfter !== undefined) {
        reply.header('retry-after', retryAfter);
        return sendError(reply, 429, 'rate-limited', `rate limit of ${limit} requests per minute reached`);
      }
    }

    if (key !== undefined && !record) return unauthorized(reply, 'the API key is not valid or was revoked');
    if (access === 'admin') {
      if (!record) return unauthorized(reply, 'this route needs an API key (x-api-key or Bearer)');
      if (!record.scopes.includes('admin'))
        return sendError(reply, 403, 'forbidden', 'this route needs an API key with the admin scope');
    }
    // Any valid key may read: `read` and `admin` both include it.
    if (access === 'read' && settings.API_READ_REQUIRES_KEY && !record)
      return unauthorized(reply, 'this API needs an API key to read (x-api-key or Bearer)');
    return undefined;
  });
}
