// One FerretDB and one Redis per data dir, shared by every process that uses the dir: a long-running
// `paperwire start` and a `paperwire feeds add` in another terminal, or three `start --only fetcher`.
//
// In <dataDir>:
//   embedded.lock/    a lock (lock.ts) held while anyone reads-then-changes the two below
//   embedded.json     the record: URIs and pids of the servers, the supervisor's pid, who started them, when
//   leases/<pid>-<n>  one file per startEmbeddedServices() call that has not been stop()ped yet
//   embedded.log      the supervisor's output
//
// startEmbeddedServices, under the lock: writes its lease; if the record is live (supervisor and servers
// running and recognisably ours, Redis answers PING, FerretDB accepts a connection) it uses those URIs;
// otherwise it reaps whatever a stale record still names and spawns a supervisor (supervisor.ts), a
// detached process in its own session that starts the servers as its children, writes the record and runs
// until no process holds a lease. So the servers belong to no user process: whoever started them can exit
// (or be Ctrl-C'd) while others keep using them, and nobody can stop them under someone else's feet.
//
// Who stops them — the last one out:
//   - stop() removes this process's lease; if no live lease is left it stops the supervisor (SIGTERM; the
//     supervisor stops its servers gracefully) and waits until they have all exited, still under the lock.
//   - a user that dies without stop() (kill -9, a crash) leaves a lease whose pid is dead; leases of dead
//     pids count for nothing. The supervisor checks every second and, when no live lease is left, stops
//     the servers itself, under the lock.
//   - if the supervisor itself is killed, its servers die with it (FerretDB watches its stdin, Redis has a
//     watchdog); anything still left running is reaped by the next start, which finds the stale record
//     (and Redis's pidfile) and stops what it names before starting afresh.
//   - if a server dies, the supervisor stops the other and exits; the next start begins afresh.
// Starting and stopping both happen under the lock, so two Redis processes never share one append-only
// file, and nobody attaches to servers on their way down.
//
// The services come as a set: the first process starts those it has no URI for. A later process that
// needs one the running set lacks (it had MONGODB_URI set, this one has not) gets an error saying so.
// One host only: leases and pids mean nothing to another machine sharing the dir.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, open, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { withLock } from './lock.ts';
import { defaultLog, type Log } from './log.ts';
import { terminate } from './processes.ts';
import {
  type EmbeddedRecord,
  isLive,
  liveLeases,
  lockOptions,
  RUNS_FROM_SOURCE,
  readRecord,
  reap,
  SUPERVISOR_PATH,
  type SupervisorMessage,
  statePaths,
} from './record.ts';
import { ensureFerretDbBinary, ensureRedisServer } from './toolchain.ts';

export interface EmbeddedServicesOptions {
  /** Holds `ferretdb/`, `redis/` and the files above. */
  dataDir: string;
  /** A MongoDB to use instead of the embedded FerretDB. */
  mongoUri?: string | undefined;
  /** A Redis to use instead of the embedded one. */
  redisUrl?: string | undefined;
  log?: Log;
}

export interface EmbeddedServices {
  mongoUri: string;
  redisUrl: string;
  /** Which of the two are the data dir's embedded servers (rather than URIs we were given). */
  embedded: { mongo: boolean; redis: boolean };
  /** Releases this process's lease; the last user of the data dir stops the servers. Idempotent. */
  stop(): Promise<void>;
}

const SUPERVISOR_READY_MS = 120_000;
let leaseCount = 0;

/**
 * Uses the data dir's running FerretDB and Redis, or starts them (each only when no URI for it is given);
 * see the top of this file for how they are shared and when they stop.
 */
export async function startEmbeddedServices(opts: EmbeddedServicesOptions): Promise<EmbeddedServices> {
  const log = opts.log ?? defaultLog;
  const want = { mongo: !opts.mongoUri, redis: !opts.redisUrl };
  if (!want.mongo && !want.redis) {
    return { mongoUri: opts.mongoUri!, redisUrl: opts.redisUrl!, embedded: want, stop: async () => {} };
  }
  const dataDir = resolve(opts.dataDir);
  const paths = statePaths(dataDir);
  await mkdir(paths.leases, { recursive: true });
  const lease = join(paths.leases, `${process.pid}-${++leaseCount}`);

  const record = await withLock(
    paths.lock,
    async () => {
      // First: from here on a supervisor that looks for live leases sees ours.
      await writeFile(lease, `${JSON.stringify({ pid: process.pid, since: new Date().toISOString() })}\n`);
      try {
        return await useOrStart(dataDir, want, log);
      } catch (err) {
        await rm(lease, { force: true });
        throw err;
      }
    },
    lockOptions(dataDir, log),
  );

  let stopped: Promise<void> | undefined;
  return {
    mongoUri: want.mongo ? record.mongo!.uri : opts.mongoUri!,
    redisUrl: want.redis ? record.redis!.url : opts.redisUrl!,
    embedded: want,
    stop() {
      stopped ??= release(dataDir, lease, record.supervisorPid, log);
      return stopped;
    },
  };
}

async function useOrStart(
  dataDir: string,
  want: { mongo: boolean; redis: boolean },
  log: Log,
): Promise<EmbeddedRecord> {
  const current = await readRecord(dataDir);
  if (current && (await isLive(dataDir, current))) {
    const missing = [want.mongo && !current.mongo && 'FerretDB', want.redis && !current.redis && 'Redis'];
    if (missing.some(Boolean)) {
      throw new Error(
        `local-infra: the embedded servers of ${dataDir} (started by pid ${current.ownerPid}) have no ` +
          `${missing.filter(Boolean).join(' and ')}: that process was given MONGODB_URI/REDIS_URL. Set the same ` +
          'here, or stop the processes using that data dir first.',
      );
    }
    log(
      `using the servers of ${dataDir} started by pid ${current.ownerPid} (supervisor ${current.supervisorPid})`,
    );
    return current;
  }
  if (current) {
    log(`cleaning up servers of ${dataDir} left by an earlier run (pid ${current.ownerPid})`);
    await reap(dataDir, current, log);
  }
  return startSupervisor(dataDir, want, log);
}

/** Spawns the supervisor and waits for its servers; it outlives us (its own session, no pipes to us). */
async function startSupervisor(
  dataDir: string,
  want: { mongo: boolean; redis: boolean },
  log: Log,
): Promise<EmbeddedRecord> {
  // Here rather than in the supervisor, so a first build or an apt-get install reports to our user.
  const ferretBinary = want.mongo ? await ensureFerretDbBinary({ log }) : '';
  if (want.redis) await ensureRedisServer({ log });
  const services = [want.mongo && 'mongo', want.redis && 'redis'].filter(Boolean).join(',');
  const paths = statePaths(dataDir);
  // Compiled, the supervisor is plain JavaScript; from the sources it runs through the repo's tsx (a dev
  // dependency), whatever loader runs this process, resolving workspaces to their sources too.
  const loader = RUNS_FROM_SOURCE
    ? [
        '--conditions=@paperwire/source',
        '--import',
        pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href,
      ]
    : [];
  const output = await open(paths.log, 'w');
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, [...loader, SUPERVISOR_PATH, dataDir, services, ferretBinary], {
      cwd: '/',
      detached: true,
      stdio: ['ignore', output.fd, output.fd, 'ipc'],
    });
  } finally {
    await output.close();
  }

  try {
    return await waitForSupervisor(child, dataDir, log);
  } catch (err) {
    if (child.pid) await terminate(child.pid, 20_000);
    throw err;
  } finally {
    if (child.connected) child.disconnect();
    child.unref();
  }
}

function waitForSupervisor(child: ChildProcess, dataDir: string, log: Log): Promise<EmbeddedRecord> {
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      cleanup();
      reject(new Error(`local-infra: the supervisor of ${dataDir} ${why}; see ${statePaths(dataDir).log}`));
    };
    const timer = setTimeout(
      () => fail(`was not ready within ${SUPERVISOR_READY_MS / 1000} s`),
      SUPERVISOR_READY_MS,
    );
    const onMessage = (message: SupervisorMessage) => {
      if (message.type === 'log') return log(message.msg);
      cleanup();
      if (message.type === 'ready') resolve(message.record);
      else reject(new Error(message.message));
    };
    const onExit = (code: number | null, signal: string | null) =>
      fail(`exited (code ${code}, signal ${signal}) before its servers were ready`);
    const onError = (err: Error) => fail(`could not be started: ${err.message}`);
    const cleanup = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      child.off('error', onError);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

/** Drops our lease; when it was the last live one, stops the supervisor and waits until all is down. */
async function release(dataDir: string, lease: string, supervisorPid: number, log: Log): Promise<void> {
  const paths = statePaths(dataDir);
  await withLock(
    paths.lock,
    async () => {
      await rm(lease, { force: true });
      if ((await liveLeases(dataDir)).length > 0) return;
      const record = await readRecord(dataDir);
      if (record?.supervisorPid !== supervisorPid) return; // stopped (and maybe replaced) already
      log(`stopping the servers of ${dataDir} (no other process uses them)`);
      await reap(dataDir, record, log);
    },
    lockOptions(dataDir, log),
  );
}
