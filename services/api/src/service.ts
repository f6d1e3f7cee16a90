// The API as a component: listen, and close on shutdown.
import type { Runtime } from '@paperwire/runtime';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import type { ApiConfig } from './config.ts';

export async function startApi(
  rt: Runtime,
  config: Pick<
    ApiConfig,
    | 'PORT'
    | 'HOST'
    | 'API_READ_REQUIRES_KEY'
    | 'API_RATE_LIMIT_PER_MINUTE'
    | 'PUBLIC_BASE_URL'
    | 'DIGEST_SECRET'
  > &
    Partial<Pick<ApiConfig, 'TRENDING_POINTER_CACHE_MS'>>,
): Promise<{ app: FastifyInstance; url: string }> {
  const app = buildApp(rt, config);
  const url = await app.listen({ port: config.PORT, host: config.HOST });
  rt.shutdown.add({ name: 'api', phase: 'servers', run: () => app.close() });
  return { app, url };
}
