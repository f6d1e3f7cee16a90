export { type EmbeddedServices, type EmbeddedServicesOptions, startEmbeddedServices } from './embedded.ts';
export { type FerretDbHandle, type StartFerretDbOptions, startFerretDb } from './ferretdb.ts';
export type { Log } from './log.ts';
export { cacheRoot, FERRETDB_VERSION, launcherPath } from './paths.ts';
export { pingRedis, type RedisHandle, type StartRedisOptions, startRedis } from './redis.ts';
export { type ServersConfig, serversForConfig } from './servers-for-config.ts';
export { type EnsureOptions, ensureFerretDbBinary, ensureRedisServer, findGo } from './toolchain.ts';
