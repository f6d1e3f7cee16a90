// GET /metrics: Prometheus text. Queue depths, the oldest waiting job and score lag are read from BullMQ,
// Redis and the ranking pointer on each scrape; counters and histograms are this process's own (with
// `paperwire start` all-in-one, that is every worker's).
// On the API port this wants a key with the admin scope (a Prometheus scrape config sends it as
// `authorization: Bearer <key>`): queue depths and process figures are the operator's, not an anonymous
// caller's. A worker-only process serves the same text on METRICS_PORT, bound to 127.0.0.1 by default.
// Labels are bounded enums (queue, job, source, outcome, error class): no feed URL, host, key or address.
import { dirtyPapers, QUEUES, queueStats } from '@paperwire/jobs';
import { enableProcessMetrics, metricsText, onScrape } from '@paperwire/platform';
import type { Runtime } from '@paperwire/runtime';
import type { FastifyInstance } from 'fastify';
import { requireAdminKey } from '../auth.ts';
import { adminErrors, adminSecurity, text } from '../schemas.ts';

/** The board whose age stands for "how far behind is scoring". */
const LAG_WINDOW = '24h';
const LAG_CATEGORY = 'all';

export function metricsRoutes(app: FastifyInstance, rt: Pick<Runtime, 'redis' | 'prefix' | 'queues' | 'db'>) {
  enableProcessMetrics();
  const dirty = dirtyPapers(rt.redis, rt.prefix);
  const unregister = onScrape(async () => {
    const now = new Date();
    const [queues, snapshot, pending] = await Promise.all([
      Promise.all(QUEUES.map((q) => queueStats(rt.queues.byName[q], now))),
      rt.db.rankings.current(LAG_WINDOW, LAG_CATEGORY),
      dirty.pending(),
    ]);
    return {
      queues,
      dirtyPapers: pending,
      ...(snapshot ? { scoreLagSeconds: (now.getTime() - Date.parse(snapshot.asOf)) / 1000 } : {}),
    };
  });
  app.addHook('onClose', async () => {
    unregister();
  });

  const schema = {
    summary:
      'Prometheus metrics: queue depths, oldest waiting job, score lag, process counters (admin key; or ' +
      'METRICS_PORT, loopback by default)',
    tags: ['operations'],
    security: adminSecurity,
    response: { 200: text('Prometheus text format', 'text/plain'), ...adminErrors },
  };
  app.get('/metrics', { preHandler: requireAdminKey, schema }, async (_req, reply) => {
    const { contentType, body } = await metricsText();
    return reply.type(contentType).send(body);
  });
}
