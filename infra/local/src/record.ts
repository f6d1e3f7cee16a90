// What a data dir says about its embedded servers: the record (embedded.json), the users' leases, the lock
// that orders changes to both, and how to tell whether the servers a record names are still ours and up.
// The protocol that uses them is described in embedded.ts.
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LockOptions } from './lock.ts';
import type { Log } from './log.ts';
import { acceptsConnections, commandLine, isRunning, terminate } from './processes.ts';
import { pingRedis } from './redis.ts';

export interface EmbeddedRecord {
  /** The process that started the servers; it may have exited while others still use them. */
  ownerPid: number;
  /** The detached process that runs the servers and stops them when no lease is left. */
  supervisorPid: number;
  startedAt: string;
  mongo?: { uri: string; pid: number } | undefined;
  redis?: { url: string; pid: number } | undefined;
}

/** What the supervisor tells the process that started it, over their IPC channel, until it is ready. */
export type SupervisorMessage =
  | { type: 'log'; msg: string }
  | { type: 'ready'; record: EmbeddedRecord }
  | { type: 'failed'; message: string };

/** Whether this module runs from the TypeScript sources (tests, tsx) rather than the compiled dist/. */
export const RUNS_FROM_SOURCE = import.meta.url.endsWith('.ts');

/** The supervisor's entry point beside this module; its command line names it, which is how we recognise one. */
export const SUPERVISOR_PATH = fileURLToPath(
  new URL(RUNS_FROM_SOURCE ? './supervisor.ts' : './supervisor.js', import.meta.url),
);
const PACKAGE_ROOT = fileURLToPath(new URL('../', import.meta.url));
/** Both builds' entry points: the compiled CLI recognises a supervisor the sources started, and vice versa. */
const SUPERVISOR_ENTRIES = [
  join(PACKAGE_ROOT, 'src/supervisor.ts'),
  join(PACKAGE_ROOT, 'dist/supervisor.js'),
];

export function statePaths(dataDir: string) {
  return {
    record: join(dataDir, 'embedded.json'),
    lock: join(dataDir, 'embedded.lock'),
    leases: join(dataDir, 'leases'),
    /** The supervisor's own output (the servers' output is in its error messages). */
    log: join(dataDir, 'embedded.log'),
  };
}

export function lockOptions(dataDir: string, log: Log): LockOptions {
  return { onWait: (owner) => log(`waiting for ${owner} to start or stop the servers of ${dataDir}…`) };
}

export async function readRecord(dataDir: string): Promise<EmbeddedRecord | undefined> {
  try {
    return JSON.parse(await readFile(statePaths(dataDir).record, 'utf8')) as EmbeddedRecord;
  } catch {
    return undefined; // none, or torn by a crash mid-write (not possible with rename, but harmless)
  }
}

/** Written to a temporary file and renamed, so a reader sees the old record or the new, never half. */
export async function writeRecord(dataDir: string, record: EmbeddedRecord): Promise<void> {
  const path = statePaths(dataDir).record;
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(record, null, 2)}\n`);
  await rename(tmp, path);
}

/** Removes the record only if it still names this supervisor (a newer one may have replaced it). */
export async function removeRecord(dataDir: string, supervisorPid: number): Promise<void> {
  if ((await readRecord(dataDir))?.supervisorPid === supervisorPid) {
    await rm(statePaths(dataDir).record, { force: true });
  }
}

/** Pids holding a lease. Leases of dead processes (crashed, or exited without stop()) are deleted. */
export async function liveLeases(dataDir: string): Promise<number[]> {
  const dir = statePaths(dataDir).leases;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return []; // no leases dir: nobody ever attached, or the data dir is gone
  }
  const live: number[] = [];
  for (const name of names) {
    const pid = Number.parseInt(name, 10); // `<pid>-<n>`
    if (pid > 0 && (await isRunning(pid))) live.push(pid);
    else await rm(join(dir, name), { force: true });
  }
  return live;
}

/**
 * A record is live when its supervisor and servers run and the servers answer (Redis PING, a TCP connect
 * to FerretDB). Running but silent servers get a few seconds: Redis answers -LOADING while it reads a big
 * append-only file.
 */
export async function isLive(
  dataDir: string,
  record: EmbeddedRecord,
  answerWithinMs = 10_000,
): Promise<boolean> {
  if (!(await isSupervisor(record.supervisorPid, dataDir))) return false;
  for (const server of [record.mongo, record.redis]) {
    if (server && !(await isRunning(server.pid))) return false;
  }
  const deadline = Date.now() + answerWithinMs;
  for (;;) {
    const [mongoOk, redisOk] = await Promise.all([
      !record.mongo || acceptsConnections(portOf(record.mongo.uri)),
      !record.redis || pingRedis(portOf(record.redis.url)),
    ]);
    if (mongoOk && redisOk) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Stops what a record names that still runs and is recognisably ours (a pid may have been reused), then
 * drops the record. The supervisor goes first: on SIGTERM it stops its servers gracefully itself.
 */
export async function reap(dataDir: string, record: EmbeddedRecord, log: Log): Promise<void> {
  if (await isSupervisor(record.supervisorPid, dataDir)) {
    await terminate(record.supervisorPid, 25_000);
  }
  if (record.redis && (await isRecordedRedis(record.redis.pid, portOf(record.redis.url)))) {
    log(`stopping redis-server pid ${record.redis.pid} left running in ${dataDir}`);
    await terminate(record.redis.pid, 10_000);
  }
  if (record.mongo && (await isRecordedFerretDb(record.mongo.pid, dataDir))) {
    log(`stopping FerretDB pid ${record.mongo.pid} left running in ${dataDir}`);
    await terminate(record.mongo.pid, 10_000);
  }
  await rm(statePaths(dataDir).record, { force: true });
}

export async function isSupervisor(pid: number, dataDir: string): Promise<boolean> {
  const args = await commandLine(pid);
  return (
    args.some((a) => SUPERVISOR_ENTRIES.some((entry) => a.includes(entry))) &&
    args.some((a) => a.includes(dataDir))
  );
}

/** redis-server rewrites its command line to `redis-server 127.0.0.1:PORT`. */
async function isRecordedRedis(pid: number, port: number): Promise<boolean> {
  const cmd = (await commandLine(pid)).join(' ');
  return cmd.includes('redis-server') && cmd.includes(`127.0.0.1:${port}`);
}

async function isRecordedFerretDb(pid: number, dataDir: string): Promise<boolean> {
  const args = await commandLine(pid);
  return (
    args.some((a) => a.includes('ferretdb-launcher')) &&
    args.some((a) => a.includes(join(dataDir, 'ferretdb')))
  );
}

function portOf(uri: string): number {
  return Number(new URL(uri).port);
}
