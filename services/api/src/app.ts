// The Fastify app: routes over the runtime's repositories. Built separately from listening so tests can
// start it on a free port.
import type { PublicLinksConfig } from '@paperwire/platform';
import type { Runtime } from '@paperwire/runtime';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { type AuthSettings, DEFAULT_AUTH_SETTINGS, installAuth } from './auth.ts';
import { type ApiConfig, DEFAULT_TRENDING_POINTER_CACHE_MS } from './config.ts';
import { sendError } from './http-errors.ts';
import { adminRoutes } from './routes/admin.ts';
import { bullBoardRoutes } from './routes/bull-board.ts';
import { dashboardRoutes } from './routes/dashboard.ts';
import { datedRoutes } from './routes/dated.ts';
import { digestRoutes } from './routes/digests.ts';
import { feedRoutes } from './routes/feeds.ts';
import { healthRoutes } from './routes/health.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { paperRoutes } from './routes/papers.ts';
import { signalRoutes } from './routes/signals.ts';
import { syndicationRoutes } from './routes/syndication.ts';
import { trendingRoutes } from './routes/trending.ts';
import { trendingChangesRoutes } from './routes/trending-changes.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { InvalidInput, installOpenApi, openApiRoute } from './swagger.ts';

/** What `buildApp` reads of the API's settings; any left out take their defaults. */
export type AppSettings = Partial<AuthSettings> &
  PublicLinksConfig &
  Partial<Pick<ApiConfig, 'TRENDING_POINTER_CACHE_MS'>>;

export interface AppOptions {
  /** The clock of in-process caches (tests move it by hand). */
  now?: () => number;
  /**
   * Check every JSON answer against its route's zod response schema (a mismatch is a 500, logged). Off in
   * production (the routes build their answers from typed views); the OpenAPI test turns it on.
   */
  validateResponses?: boolean;
}

/**
 * `settings`: auth, the public-link settings (PUBLIC_BASE_URL, DIGEST_SECRET) of feeds and digests, and
 * TRENDING_POINTER_CACHE_MS.
 */
export function buildApp(
  rt: Runtime,
  settings: AppSettings = {},
  { now = Date.now, validateResponses = false }: AppOptions = {},
): FastifyInstance {
  const app: FastifyInstance = Fastify({
    loggerInstance: rt.log.child({ component: 'api' }) as FastifyBaseLogger,
    // Refusals by the router itself (a malformed URL, a parameter longer than maxParamLength: 414) get
    // the one error body too.
    frameworkErrors: (err, _req, reply) =>
      void sendError(reply, err.statusCode ?? 400, 'bad-request', err.message),
  });
  app.setErrorHandler((err: Error & { statusCode?: number }, _req, reply) => {
    if (err instanceof InvalidInput) return sendError(reply, 400, 'invalid-request', err.message);
    // @fastify/rate-limit's refusal (auth.ts builds it).
    if (err.statusCode === 429) return sendError(reply, 429, 'rate-limited', err.message);
    const status = err.statusCode ?? 500;
    if (status >= 500) rt.log.error({ err }, 'api: request failed');
    return sendError(
      reply,
      status,
      status >= 500 ? 'internal' : 'bad-request',
      status >= 500 ? 'internal error' : err.message,
    );
  });
  app.setNotFoundHandler((req, reply) =>
    sendError(reply, 404, 'not-found', `no route ${req.method} ${req.url.split('?')[0]}`),
  );
  // Before any route: the auth hook covers them all; the compilers, @fastify/swagger and the route list of
  // the OpenAPI test must see every route, so the routes are added in a plugin that loads after them.
  installAuth(app, rt, { ...DEFAULT_AUTH_SETTINGS, ...settings });
  installOpenApi(app, { validateResponses });
  app.register(async (api) => {
    openApiRoute(api);
    healthRoutes(api, rt);
    trendingRoutes(api, rt.db, {
      pointerCacheMs: settings.TRENDING_POINTER_CACHE_MS ?? DEFAULT_TRENDING_POINTER_CACHE_MS,
      now,
    });
    trendingChangesRoutes(api, rt.db);
    paperRoutes(api, rt.db);
    signalRoutes(api, rt.db);
    feedRoutes(api, rt.db);
    adminRoutes(api, rt);
    webhookRoutes(api, rt);
    syndicationRoutes(api, rt.db, settings);
    datedRoutes(api, rt.db, settings);
    digestRoutes(api, rt.db, settings);
    metricsRoutes(api, rt);
    dashboardRoutes(api);
    bullBoardRoutes(api, rt.queues);
  });
  return app;
}
