// `paperwire doctor`: checks what the pipeline relies on and says what to fix. It makes its own connections
// (not the runtime's, which refuses to start on the very problems doctor should report).
import { statfs } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { connectDatabase, type Database } from '@paperwire/db';
import { startEmbeddedServices } from '@paperwire/local-infra';
import { createLogger, createRedis, type Logger, waitForRedis } from '@paperwire/platform';
import type { Command } from 'commander';
import type { Redis } from 'ioredis';
import pino from 'pino';
import { type CliConfig, loadCliConfig } from '../config.ts';
import { printJson, printTable } from '../output.ts';

export type CheckStatus = 'ok' | 'warn' | 'fail';
export interface Check {
  check: string;
  status: CheckStatus;
  detail: string;
}

/** Clock skew between this machine and Redis above which scheduling and lock expiry get unreliable. */
const MAX_SKEW_MS = 2_000;
const DISK_WARN_BYTES = 1024 ** 3;
const DISK_FAIL_BYTES = 100 * 1024 ** 2;
const CONNECT_TIMEOUT_MS = 5_000;

const gib = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(1)} GiB`;

async function redisChecks(redis: Redis): Promise<Check[]> {
  try {
    await waitForRedis(redis, CONNECT_TIMEOUT_MS);
  } catch (err) {
    return [{ check: 'redis reachable', status: 'fail', detail: (err as Error).message }];
  }
  const checks: Check[] = [{ check: 'redis reachable', status: 'ok', detail: 'PING answered' }];
  const [, policy] = (await redis.config('GET', 'maxmemory-policy')) as string[];
  checks.push(
    policy === 'noeviction'
      ? { check: 'redis maxmemory-policy', status: 'ok', detail: 'noeviction' }
      : {
          check: 'redis maxmemory-policy',
          status: 'fail',
          detail: `"${policy}": Redis may evict BullMQ keys and lose jobs; set maxmemory-policy noeviction`,
        },
  );
  // Compare with the middle of the round trip, so network latency does not count as skew.
  const before = Date.now();
  const [seconds, micros] = await redis.time();
  const local = (before + Date.now()) / 2;
  const skew = Number(seconds) * 1000 + Number(micros) / 1000 - local;
  checks.push({
    check: 'clock skew',
    status: Math.abs(skew) > MAX_SKEW_MS ? 'warn' : 'ok',
    detail: `this machine is ${Math.abs(Math.round(skew))} ms ${skew > 0 ? 'behind' : 'ahead of'} Redis${
      Math.abs(skew) > MAX_SKEW_MS ? ' (over 2 s: schedules and lock expiry drift; sync the clocks)' : ''
    }`,
  });
  return checks;
}

async function databaseChecks(
  uri: string,
  dbName: string,
  log: Logger,
): Promise<{ checks: Check[]; db?: Database }> {
  let db: Database;
  try {
    db = await connectDatabase(uri, log, { dbName });
  } catch (err) {
    return { checks: [{ check: 'database reachable', status: 'fail', detail: (err as Error).message }] };
  }
  const checks: Check[] = [];
  const ping = await db.ping();
  checks.push({
    check: 'database reachable',
    status: ping ? 'ok' : 'fail',
    detail: ping ? 'ping answered' : 'connected, but ping failed',
  });
  if (!ping) return { checks, db };
  const info = await db.serverInfo();
  checks.push({
    check: 'database server',
    status: 'ok',
    detail: info.ferretdb
      ? `FerretDB (MongoDB ${info.version} compatible): fine for local runs and tests; production uses MongoDB`
      : `MongoDB ${info.version}`,
  });
  const existing = await db.existingIndexes();
  const missing = Object.entries(db.expectedIndexes()).flatMap(([collection, names]) =>
    names.filter((n) => !(existing[collection] ?? []).includes(n)).map((n) => `${collection}.${n}`),
  );
  const expected = Object.values(db.expectedIndexes()).flat().length;
  checks.push(
    missing.length === 0
      ? { check: 'indexes', status: 'ok', detail: `all ${expected} expected indexes exist` }
      : { check: 'indexes', status: 'fail', detail: `missing: ${missing.join(', ')}` },
  );
  return { checks, db };
}

/** Free space where the data dir is (or would be created). */
async function diskCheck(dataDir: string): Promise<Check> {
  let dir = resolve(dataDir);
  for (;;) {
    try {
      const s = await statfs(dir);
      const free = s.bavail * s.bsize;
      const status: CheckStatus = free < DISK_FAIL_BYTES ? 'fail' : free < DISK_WARN_BYTES ? 'warn' : 'ok';
      return { check: 'disk space', status, detail: `${gib(free)} free at ${dir}` };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(dir) === dir)
        return {
          check: 'disk space',
          status: 'warn',
          detail: `cannot stat ${dir}: ${(err as Error).message}`,
        };
      dir = dirname(dir);
    }
  }
}

export async function runDoctor(config: CliConfig, log: Logger): Promise<Check[]> {
  const checks: Check[] = [];
  const dataDir = resolve(config.PAPERWIRE_DATA_DIR);
  let servers: Awaited<ReturnType<typeof startEmbeddedServices>>;
  try {
    servers = await startEmbeddedServices({
      dataDir,
      mongoUri: config.MONGODB_URI,
      redisUrl: config.REDIS_URL,
      log: (msg) => log.info({ component: 'local-infra' }, msg),
    });
  } catch (err) {
    return [{ check: 'servers', status: 'fail', detail: (err as Error).message }];
  }
  const where = (embedded: boolean, setting: string) =>
    embedded ? `embedded (no ${setting}; data in ${dataDir})` : `configured (${setting})`;
  checks.push({
    check: 'servers',
    status: 'ok',
    detail: `database ${where(servers.embedded.mongo, 'MONGODB_URI')}; redis ${where(servers.embedded.redis, 'REDIS_URL')}`,
  });
  const redis = createRedis(servers.redisUrl, 'client', log);
  let db: Database | undefined;
  try {
    checks.push(...(await redisChecks(redis)));
    const database = await databaseChecks(servers.mongoUri, config.MONGODB_DB, log);
    db = database.db;
    checks.push(...database.checks);
    checks.push(await diskCheck(dataDir));
  } finally {
    redis.disconnect();
    await db?.close();
    await servers.stop();
  }
  return checks;
}

export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description('check Redis, the database, indexes, clocks and disk; exit 1 if a check fails')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const env = { ...process.env };
      if (!env.LOG_LEVEL) env.LOG_LEVEL = 'error';
      const config = loadCliConfig(env);
      const log = createLogger({
        service: 'paperwire',
        level: config.LOG_LEVEL,
        pretty: config.LOG_PRETTY,
        destination: pino.destination(2),
      });
      const checks = await runDoctor(config, log);
      const ok = checks.every((c) => c.status !== 'fail');
      if (opts.json) printJson({ ok, checks });
      else {
        printTable(
          ['check', 'status', 'detail'],
          checks.map((c) => [c.check, c.status, c.detail]),
        );
        process.stdout.write(`\n${ok ? 'all checks passed' : 'some checks failed'}\n`);
      }
      if (!ok) process.exitCode = 1;
    });
}
