import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, readFile, readlink, realpath, rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { hasExited, OutputTail, stopChild, track, unrefChild } from './children.ts';
import { isAlive } from './lock.ts';
import { defaultLog, type Log } from './log.ts';
import { ensureRedisServer } from './toolchain.ts';

export interface StartRedisOptions {
  /** Redis keeps its append-only file in `<dataDir>/redis`. */
  dataDir: string;
  log?: Log;
  readyTimeoutMs?: number;
}

export interface RedisHandle {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

const PIDFILE = 'paperwire-redis.pid';
const PORT_ATTEMPTS = 5;

/** The flags that make this Redis fit for BullMQ: durable enough, never evicting a job key. */
export function redisArgs(port: number, dir: string): string[] {
  // biome-ignore format: one flag and its value per line
  return [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--daemonize', 'no',
    '--appendonly', 'yes',
    '--appendfsync', 'everysec',
    '--maxmemory-policy', 'noeviction',
    '--dir', dir,
    '--save', '',
    '--logfile', '',
    '--loglevel', 'warning',
  ];
}

/**
 * Starts a private redis-server on a free loopback port. Redis cannot watch our stdin the way the FerretDB
 * launcher does, so a tiny `sh` watchdog holds a pipe from us and stops Redis when that pipe closes (we
 * died, even by kill -9); and a pidfile lets the next start in the same data dir stop a leftover server.
 */
export async function startRedis(opts: StartRedisOptions): Promise<RedisHandle> {
  const log = opts.log ?? defaultLog;
  const bin = await ensureRedisServer({ log });
  const dir = join(opts.dataDir, 'redis');
  await mkdir(dir, { recursive: true });
  await stopLeftoverRedis(dir, log);

  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const output = new OutputTail();
    // detached: a terminal's Ctrl-C reaches only us, and we stop Redis after our own graceful shutdown.
    const child = spawn(bin, redisArgs(port, dir), { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    track(child);
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
    const ready = await waitForPong(child, port, opts.readyTimeoutMs ?? 15_000);
    if (ready === 'exited' && /address already in use/i.test(output.toString()) && attempt < PORT_ATTEMPTS) {
      continue; // someone took the port between our probe and Redis's bind
    }
    if (ready !== 'ready') {
      await stopChild(child, 2_000);
      throw new Error(
        `local-infra: redis-server ${ready === 'exited' ? 'exited before answering PING' : 'did not answer PING in time'} ` +
          `(port ${port}, dir ${dir}); its output ended with:\n${output}`,
      );
    }

    const pid = child.pid!;
    await writeFile(join(dir, PIDFILE), `${pid}\n`);
    const watchdog = startWatchdog(pid);
    unrefChild(child);
    let stopping = false;
    child.once('exit', (code, signal) => {
      if (!stopping) log(`redis-server (pid ${pid}) exited unexpectedly (code ${code}, signal ${signal})`);
    });
    const url = `redis://127.0.0.1:${port}`;
    log(`Redis ready at ${url} (pid ${pid}, data in ${dir})`);
    return {
      url,
      pid,
      async stop() {
        stopping = true;
        await stopChild(watchdog, 1_000); // first, so it cannot signal a pid that is reused later
        await stopChild(child);
        await rm(join(dir, PIDFILE), { force: true });
      },
    };
  }
}

/** `sh` reads its stdin (a pipe from us) until EOF, then stops Redis: EOF means we are gone. */
function startWatchdog(redisPid: number): ChildProcess {
  const script = 'cat >/dev/null; kill -TERM "$1" 2>/dev/null';
  const watchdog = spawn('sh', ['-c', script, 'paperwire-redis-watchdog', String(redisPid)], {
    stdio: ['pipe', 'ignore', 'ignore'],
    detached: true,
  });
  track(watchdog);
  unrefChild(watchdog);
  return watchdog;
}

/** A redis-server left running in `dir` by a crashed run: stop it, but only if it really is ours. */
async function stopLeftoverRedis(dir: string, log: Log): Promise<void> {
  let pid: number;
  try {
    pid = Number.parseInt(await readFile(join(dir, PIDFILE), 'utf8'), 10);
  } catch {
    return;
  }
  if (Number.isInteger(pid) && pid > 0 && (await isOurRedis(pid, dir))) {
    log(`stopping redis-server pid ${pid} left running in ${dir} by an earlier run`);
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + 10_000;
    while (isAlive(pid) && Date.now() < deadline) await sleep(50);
    if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    while (isAlive(pid)) await sleep(20);
  }
  await rm(join(dir, PIDFILE), { force: true });
}

/**
 * redis-server rewrites its command line to `redis-server 127.0.0.1:PORT`, so the dir is not in cmdline;
 * but it chdir()s into --dir, so its cwd identifies it.
 */
async function isOurRedis(pid: number, dir: string): Promise<boolean> {
  try {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    if (!cmdline.includes('redis-server')) return false;
    return (await readlink(`/proc/${pid}/cwd`)) === (await realpath(dir));
  } catch {
    return false; // gone, not ours to inspect, or no /proc
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPong(
  child: ChildProcess,
  port: number,
  timeoutMs: number,
): Promise<'ready' | 'exited' | 'timeout'> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (hasExited(child)) return 'exited';
    if (await pingRedis(port)) return 'ready';
    await sleep(50);
  }
  return hasExited(child) ? 'exited' : 'timeout';
}

/** One raw RESP round trip: `PING\r\n` → `+PONG`. False on refusal, -LOADING, or no answer within 1 s. */
export function pingRedis(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}
