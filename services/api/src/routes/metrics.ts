// GET /metrics: Prometheus text. Queue depths, the oldest waiting job and score lag are read from BullMQ,
// Redis and the ranking pointer on each scrape; counters and histograms are this process's own (with
// `paperwire start` all-in-one, that is every worker's).
import { dirtyPapers, QUEUES, queueStats } from '@paperwire/jobs';
import { enableProcessMetrics, metricsText, onScrape } from '@paperwire/platform';
import type { Runtime } from '@paperwire/runtime';
import type { FastifyInstance } from 'fastify';

/** The board whose age stands for "how far behind is scoring". */
const LAG_WINDOW = '24h';
const LAG_CATEGORY = 'all';

export function metricsRoutes(app: FastifyInstance, rt: Runtime) {
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

  app.get('/metrics', async (_req, reply) => {
    const { contentType, body } = await metricsText();
    return reply.type(contentType).send(body);
  });
}
