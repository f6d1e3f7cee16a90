// The Fastify app: routes over the runtime's repositories. Built separately from listening so tests can
// start it on a free port.
import type { Runtime } from '@paperwire/runtime';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { sendError } from './http-errors.ts';
import { feedRoutes } from './routes/feeds.ts';
import { healthRoutes } from './routes/health.ts';
import { paperRoutes } from './routes/papers.ts';
import { trendingRoutes } from './routes/trending.ts';

export function buildApp(rt: Runtime): FastifyInstance {
  const app: FastifyInstance = Fastify({
    loggerInstance: rt.log.child({ component: 'api' }) as FastifyBaseLogger,
  });
  app.setErrorHandler((err: Error & { statusCode?: number }, _req, reply) => {
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
  healthRoutes(app, rt);
  trendingRoutes(app, rt);
  paperRoutes(app, rt);
  feedRoutes(app, rt);
  return app;
}
