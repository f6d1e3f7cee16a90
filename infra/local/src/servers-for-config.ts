// The local entry point's servers: the configured MongoDB/Redis where `MONGODB_URI`/`REDIS_URL` are set,
// the data dir's embedded FerretDB/Redis for the others. Hand the result to `createRuntime(…, { servers })`;
// production entry points set both URLs and never import this package.
import { resolve } from 'node:path';
import { type EmbeddedServices, startEmbeddedServices } from './embedded.ts';

export interface ServersConfig {
  PAPERWIRE_DATA_DIR: string;
  MONGODB_URI?: string | undefined;
  REDIS_URL?: string | undefined;
}

export function serversForConfig(
  config: ServersConfig,
  log: { info(obj: object, msg: string): void },
): Promise<EmbeddedServices> {
  return startEmbeddedServices({
    dataDir: resolve(config.PAPERWIRE_DATA_DIR),
    mongoUri: config.MONGODB_URI,
    redisUrl: config.REDIS_URL,
    log: (msg) => log.info({ component: 'local-infra' }, msg),
  });
}
