// Probes: liveness, and readiness (Redis and the database answer). Always open, never rate-limited.
import type { Database } from '@paperwire/db';
import type { Runtime } from '@paperwire/runtime';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { component, json, openSecurity } from '../schemas.ts';

const health = component('Health', z.strictObject({ status: z.literal('ok') }));
const ready = component(
  'Ready',
  z.strictObject({ status: z.enum(['ready', 'unavailable']), redis: z.boolean(), database: z.boolean() }),
);

export interface HealthDeps {
  redis: Pick<Runtime['redis'], 'ping'>;
  db: Pick<Database, 'ping'>;
}

export function healthRoutes(app: FastifyInstance, { redis, db }: HealthDeps) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get(
    '/health',
    {
      schema: {
        summary: 'Liveness (always open, never rate-limited)',
        tags: ['operations'],
        security: openSecurity,
        response: { 200: json('alive', health) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  api.get(
    '/ready',
    {
      schema: {
        summary: 'Readiness: Redis and the database answer (always open, never rate-limited)',
        tags: ['operations'],
        security: openSecurity,
        response: { 200: json('ready', ready), 503: json('not ready', ready) },
      },
    },
    async (_req, reply) => {
      const [redisUp, database] = await Promise.all([
        redis.ping().then(
          () => true,
          () => false,
        ),
        db.ping(),
      ]);
      const up = redisUp && database;
      return reply
        .code(up ? 200 : 503)
        .send({ status: up ? 'ready' : 'unavailable', redis: redisUp, database });
    },
  );
}
