// The API as a component: listen, and close on shutdown.
import type { Runtime } from '@paperwire/runtime';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import type { ApiConfig } from './config.ts';

export async function startApi(
  rt: Runtime,
  config: Pick<ApiConfig, 'PORT' | 'HOST'>,
): Promise<{ app: FastifyInstance; url: string }> {
  const app = buildApp(rt);
  const url = await app.listen({ port: config.PORT, host: config.HOST });
  rt.shutdown.add({ name: 'api', phase: 'servers', run: () => app.close() });
  return { app, url };
}
