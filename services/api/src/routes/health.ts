import type { Runtime } from '@paperwire/runtime';
import type { FastifyInstance } from 'fastify';

export function healthRoutes(app: FastifyInstance, rt: Runtime) {
  app.get('/health', async () => ({ status: 'ok' }));

  app.get('/ready', async (_req, reply) => {
    const [redis, database] = await Promise.all([
      rt.redis.ping().then(
        () => true,
        () => false,
      ),
      rt.db.ping(),
    ]);
    const ready = redis && database;
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'unavailable', redis, database });
  });
}
