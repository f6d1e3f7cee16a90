// A process's connections, made once: Redis for producers and workers, the database, the queues, the locks,
// and the shutdown that closes them in order. The servers' addresses come from the config, or from the
// caller: only the local entry point (the `paperwire` CLI on embedded defaults, tests) starts embedded
// servers (`@paperwire/local-infra`) and hands them in, so a production process never loads the launcher.
import { ConfigError, PipelineError } from '@paperwire/core';
import { connectDatabase, type Database } from '@paperwire/db';
import { createQueues, type Queues } from '@paperwire/jobs';
import {
  assertNoEviction,
  type CommonConfig,
  createLocks,
  createRedis,
  createShutdown,
  type Locks,
  type Logger,
  type Shutdown,
  serveMetrics,
  startHeartbeat,
  waitForRedis,
} from '@paperwire/platform';
import type { Redis } from 'ioredis';

export interface Runtime {
  config: CommonConfig;
  log: Logger;
  prefix: string;
  /** For Workers: blocking commands, retries forever. */
  workerRedis: Redis;
  /** For producers, locks and counters: fails fast when Redis is away. */
  redis: Redis;
  db: Database;
  queues: Queues;
  locks: Locks;
  shutdown: Shutdown;
  mongoUri: string;
  redisUrl: string;
}

/** Where the servers are; structurally what `startEmbeddedServices` returns. */
export interface ServerAddresses {
  mongoUri: string;
  redisUrl: string;
  /** Which of the two are embedded servers (logged). */
  embedded?: { mongo: boolean; redis: boolean };
  /** Called last at shutdown (or when the runtime fails to start): releases embedded servers. */
  stop?: () => Promise<void>;
}

export interface RuntimeOptions {
  /** How long shutdown may take in all, ms (default: SHUTDOWN_TIMEOUT_MS). */
  shutdownTimeoutMs?: number;
  /** The servers to use; default: `MONGODB_URI` and `REDIS_URL` from the config, both required then. */
  servers?: ServerAddresses;
}

/** The configured servers, or a ConfigError naming what to set. */
function configuredServers(config: CommonConfig): ServerAddresses {
  const missing = (['MONGODB_URI', 'REDIS_URL'] as const).filter((k) => !config[k]);
  if (missing.length > 0)
    throw new ConfigError(
      `runtime: ${missing.join(' and ')} must be set (e.g. mongodb://db:27017/paperwire, redis://redis:6379); ` +
        'only the `paperwire` CLI starts embedded servers when they are unset',
    );
  return { mongoUri: config.MONGODB_URI!, redisUrl: config.REDIS_URL! };
}

export async function createRuntime(
  config: CommonConfig,
  log: Logger,
  options: RuntimeOptions = {},
): Promise<Runtime> {
  const shutdown = createShutdown(log, options.shutdownTimeoutMs ?? config.SHUTDOWN_TIMEOUT_MS);
  const servers = options.servers ?? configuredServers(config);
  const stopServers = async () => servers.stop?.();
  if (servers.embedded?.mongo || servers.embedded?.redis) {
    log.info({ embedded: servers.embedded }, 'runtime: using embedded servers');
  }
  const redis = createRedis(servers.redisUrl, 'producer', log);
  const workerRedis = createRedis(servers.redisUrl, 'worker', log);
  try {
    await waitForRedis(redis, 15_000);
    await assertNoEviction(redis);
  } catch (err) {
    redis.disconnect();
    workerRedis.disconnect();
    await stopServers();
    throw err;
  }
  let db: Database;
  try {
    db = await connectDatabase(servers.mongoUri, log, { dbName: config.MONGODB_DB });
  } catch (err) {
    redis.disconnect();
    workerRedis.disconnect();
    await stopServers();
    throw err;
  }
  try {
    // Data from an earlier version is brought to the current format before any worker reads it (a point
    // read of the marker once done).
    await db.migrate();
  } catch (err) {
    await db.close();
    redis.disconnect();
    workerRedis.disconnect();
    await stopServers();
    throw err;
  }
  const prefix = config.PAPERWIRE_QUEUE_PREFIX;
  const queues = createQueues(redis, prefix, log);
  shutdown.add({ name: 'queues', phase: 'queues', run: () => queues.close() });
  shutdown.add({
    name: 'redis',
    phase: 'connections',
    run: () => Promise.allSettled([redis.quit(), workerRedis.quit()]),
  });
  shutdown.add({ name: 'database', phase: 'connections', run: () => db.close() });
  shutdown.add({ name: 'embedded servers', phase: 'embedded', run: stopServers });
  if (config.METRICS_PORT > 0) {
    try {
      const served = await serveMetrics(config.METRICS_PORT, config.METRICS_HOST);
      shutdown.add({ name: 'metrics server', phase: 'servers', run: served.close });
      log.info({ url: served.url }, 'runtime: serving metrics');
    } catch (err) {
      await shutdown.run('metrics server failed to start');
      throw new PipelineError(
        `runtime: cannot serve metrics on ${config.METRICS_HOST}:${config.METRICS_PORT} (METRICS_PORT): ${(err as Error).message}`,
        { code: 'metrics-port', retryable: false, cause: err },
      );
    }
  }
  if (config.PAPERWIRE_HEARTBEAT_FILE) {
    const heartbeat = startHeartbeat({
      file: config.PAPERWIRE_HEARTBEAT_FILE,
      intervalMs: config.PAPERWIRE_HEARTBEAT_INTERVAL_MS,
      check: async () => {
        await workerRedis.ping();
        if (!(await db.ping())) throw new Error('runtime: the database does not answer ping');
      },
      log,
    });
    shutdown.add({ name: 'heartbeat', phase: 'schedulers', run: async () => heartbeat.stop() });
  }
  return {
    config,
    log,
    prefix,
    workerRedis,
    redis,
    db,
    queues,
    locks: createLocks(redis, prefix),
    shutdown,
    mongoUri: servers.mongoUri,
    redisUrl: servers.redisUrl,
  };
}
