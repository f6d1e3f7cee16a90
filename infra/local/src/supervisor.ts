// The detached process that runs one data dir's embedded servers for every process using that dir, and
// stops them when the last lease is gone. Started by startEmbeddedServices (embedded.ts describes the
// protocol) as `node [--import tsx] supervisor.{js,ts} <dataDir> <mongo,redis> [<ferretdb launcher>]`, with an IPC
// channel for its progress and outcome, and its stdout/stderr in <dataDir>/embedded.log.
//
// The servers are its children and die with it however it ends (FerretDB's --parent-watch, Redis's
// watchdog, children.ts's exit hook), so killing it is enough to take everything down.
import { setTimeout as sleep } from 'node:timers/promises';
import { type FerretDbHandle, startFerretDb } from './ferretdb.ts';
import { withLock } from './lock.ts';
import { isRunning } from './processes.ts';
import {
  type EmbeddedRecord,
  liveLeases,
  removeRecord,
  type SupervisorMessage,
  statePaths,
  writeRecord,
} from './record.ts';
import { type RedisHandle, startRedis } from './redis.ts';

const POLL_MS = 1_000;

const [dataDir = '', services = '', ferretBinary] = process.argv.slice(2);
const paths = statePaths(dataDir);
let ferret: FerretDbHandle | undefined;
let redis: RedisHandle | undefined;
let stopping: Promise<void> | undefined;

/** Resolves once the message is handed over, or at once when the starting process is gone already. */
function send(message: SupervisorMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.connected || !process.send) resolve();
    else process.send(message, undefined, undefined, () => resolve());
  });
}

function log(msg: string): void {
  process.stderr.write(`${new Date().toISOString()} [supervisor ${process.pid}] ${msg}\n`);
  void send({ type: 'log', msg });
}

/** Stops both servers (in parallel, each gracefully) and forgets the record; runs once. */
function stopServers(why: string): Promise<void> {
  stopping ??= (async () => {
    log(`stopping the servers of ${dataDir}: ${why}`);
    await Promise.allSettled([ferret?.stop(), redis?.stop()]);
    await removeRecord(dataDir, process.pid);
  })();
  return stopping;
}

async function exit(why: string, code: number): Promise<never> {
  await stopServers(why);
  process.exit(code);
}

async function start(): Promise<EmbeddedRecord> {
  const want = services.split(',');
  const [mongo, ownRedis] = await Promise.allSettled([
    want.includes('mongo') ? startFerretDb({ dataDir, log, binary: ferretBinary || undefined }) : undefined,
    want.includes('redis') ? startRedis({ dataDir, log }) : undefined,
  ]);
  ferret = mongo.status === 'fulfilled' ? mongo.value : undefined;
  redis = ownRedis.status === 'fulfilled' ? ownRedis.value : undefined;
  if (mongo.status === 'rejected' || ownRedis.status === 'rejected') {
    await stopServers('the other one failed to start');
    throw mongo.status === 'rejected' ? mongo.reason : (ownRedis as PromiseRejectedResult).reason;
  }
  const record: EmbeddedRecord = {
    ownerPid: process.ppid,
    supervisorPid: process.pid,
    startedAt: new Date().toISOString(),
    mongo: ferret && { uri: ferret.uri, pid: ferret.pid },
    redis: redis && { url: redis.url, pid: redis.pid },
  };
  await writeRecord(dataDir, record);
  return record;
}

/** Every POLL_MS: a dead server ends everything; no live lease (checked again under the lock) too. */
async function watch(): Promise<never> {
  for (;;) {
    await sleep(POLL_MS);
    for (const [name, server] of [['FerretDB', ferret] as const, ['redis-server', redis] as const]) {
      if (server && !(await isRunning(server.pid))) await exit(`${name} (pid ${server.pid}) exited`, 1);
    }
    if ((await liveLeases(dataDir)).length > 0) continue;
    // Under the lock, so nobody attaches to servers on their way down, nor starts a second Redis on this
    // dir's append-only file before this one has stopped.
    await withLock(paths.lock, async () => {
      if ((await liveLeases(dataDir)).length === 0) await stopServers('no process holds a lease any more');
    });
    if (stopping) await exit('done', 0);
  }
}

// Whoever sends SIGTERM (the last user's stop(), or a start that reaps us) holds the lock already.
for (const sig of ['SIGTERM', 'SIGINT'] as const) process.on(sig, () => void exit(`got ${sig}`, 0));
process.on('SIGHUP', () => {}); // no terminal to lose: we run in our own session

try {
  const record = await start();
  await send({ type: 'ready', record });
  if (process.connected) process.disconnect?.();
} catch (err) {
  const message = err instanceof Error ? err.message : String(err);
  log(message);
  await send({ type: 'failed', message });
  process.exit(1);
}
await watch().catch(async (err: unknown) => {
  log(`supervisor failed: ${err instanceof Error ? err.stack : String(err)}`);
  await exit('the supervisor failed', 1);
});
