// Runtimes for integration tests: each on the run's Redis and FerretDB, with its own database and queue
// prefix unless told to share them; all shut down by `closeAll()` (call it in afterAll).
import { commonEnvSchema, createLogger } from '@paperwire/platform';
import { createRuntime, type Runtime } from '@paperwire/runtime';
import { testMongoUri, testRedisUrl, uniquePrefix } from './services.ts';

export function testRuntimes() {
  const log = createLogger({ service: 'test', level: 'warn' });
  const made: Runtime[] = [];
  return {
    log,
    /** A runtime named `name` (fresh database and prefix), or on a given database/prefix to share them. */
    async runtime(name: string, share: { mongoUri?: string; prefix?: string } = {}): Promise<Runtime> {
      const config = commonEnvSchema.parse({
        MONGODB_URI: share.mongoUri ?? testMongoUri(name),
        REDIS_URL: testRedisUrl(),
        PAPERWIRE_QUEUE_PREFIX: share.prefix ?? uniquePrefix(name),
      });
      const rt = await createRuntime(config, log);
      made.push(rt);
      return rt;
    },
    async closeAll(): Promise<void> {
      for (const rt of made.splice(0)) await rt.shutdown.run('test done');
    },
  };
}
