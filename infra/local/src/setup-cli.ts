// `npm run setup`: makes sure the local servers can start — redis-server is installed and the FerretDB
// launcher is built and cached. Idempotent; a second run only checks and prints where things are.
import { cacheRoot } from './paths.ts';
import { ensureFerretDbBinary, ensureRedisServer } from './toolchain.ts';

const log = (msg: string) => console.log(`setup: ${msg}`);

async function main(): Promise<void> {
  if (process.env.REDIS_URL) {
    log('REDIS_URL is set: not checking for a local redis-server');
  } else {
    log(`redis-server: ${await ensureRedisServer({ log })}`);
  }
  if (process.env.MONGODB_URI) {
    log('MONGODB_URI is set: not building the embedded FerretDB');
  } else {
    log(`FerretDB launcher: ${await ensureFerretDbBinary({ log })}`);
  }
  log(`ready (cache: ${cacheRoot()})`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
