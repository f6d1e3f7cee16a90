import { startFerretDb } from './ferretdb.ts';
import { defaultLog, type Log } from './log.ts';
import { startRedis } from './redis.ts';

export interface EmbeddedServicesOptions {
  /** Holds `ferretdb/` and `redis/`. */
  dataDir: string;
  /** A MongoDB to use instead of starting FerretDB. */
  mongoUri?: string | undefined;
  /** A Redis to use instead of starting one. */
  redisUrl?: string | undefined;
  log?: Log;
}

export interface EmbeddedServices {
  mongoUri: string;
  redisUrl: string;
  /** Which of the two we started (and stop() stops). */
  embedded: { mongo: boolean; redis: boolean };
  stop(): Promise<void>;
}

/**
 * Starts FerretDB and Redis, each only when no URI for it is given. If one fails to start, the other is
 * stopped before the error is thrown. Servers also stop when this process exits (see children.ts).
 */
export async function startEmbeddedServices(opts: EmbeddedServicesOptions): Promise<EmbeddedServices> {
  const log = opts.log ?? defaultLog;
  const [mongo, redis] = await Promise.allSettled([
    opts.mongoUri ? undefined : startFerretDb({ dataDir: opts.dataDir, log }),
    opts.redisUrl ? undefined : startRedis({ dataDir: opts.dataDir, log }),
  ]);
  if (mongo.status === 'rejected' || redis.status === 'rejected') {
    await Promise.allSettled([
      mongo.status === 'fulfilled' ? mongo.value?.stop() : undefined,
      redis.status === 'fulfilled' ? redis.value?.stop() : undefined,
    ]);
    throw mongo.status === 'rejected' ? mongo.reason : (redis as PromiseRejectedResult).reason;
  }
  const ferret = mongo.value;
  const ownRedis = redis.value;
  let stopped: Promise<void> | undefined;
  return {
    mongoUri: ferret?.uri ?? opts.mongoUri!,
    redisUrl: ownRedis?.url ?? opts.redisUrl!,
    embedded: { mongo: ferret !== undefined, redis: ownRedis !== undefined },
    stop() {
      stopped ??= Promise.all([ferret?.stop(), ownRedis?.stop()]).then(() => undefined);
      return stopped;
    },
  };
}
