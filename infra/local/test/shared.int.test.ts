// Several processes on one data dir share one FerretDB and one Redis: real Node child processes, servers
// counted through /proc.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmbeddedServices } from '../src/index.ts';
import { isRunning } from '../src/processes.ts';
import { type EmbeddedRecord, SUPERVISOR_PATH } from '../src/record.ts';
import { pingRedis } from '../src/redis.ts';

const index = fileURLToPath(new URL('../src/index.ts', import.meta.url));
const log = () => {};

let dataDir: string;
const users: ChildProcess[] = [];
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'pw-shared-'));
});
afterEach(async () => {
  for (const user of users.splice(0)) user.kill('SIGKILL');
  // Whatever a failed test left: the supervisor stops the servers once no live lease is left.
  await waitUntil('nothing runs for the dir', async () => total(await serversOf(dataDir)) === 0);
  await rm(dataDir, { recursive: true, force: true });
});

interface User {
  child: ChildProcess;
  services: { mongoUri: string; redisUrl: string; embedded: { mongo: boolean; redis: boolean } };
}

/** A process that starts the services, prints them as JSON, and on `stop` on its stdin stops and exits. */
async function startUser(): Promise<User> {
  const script = `const { startEmbeddedServices } = await import(${JSON.stringify(index)});
    const { createInterface } = await import('node:readline');
    const s = await startEmbeddedServices({ dataDir: ${JSON.stringify(dataDir)}, log: () => {} });
    console.log(JSON.stringify(s));
    for await (const line of createInterface({ input: process.stdin })) {
      if (line === 'stop') { await s.stop(); process.exit(0); }
    }`;
  const child = spawn(
    process.execPath,
    ['--conditions=@paperwire/source', '--import', 'tsx', '--input-type=module', '-e', script],
    {
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  users.push(child);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk));
  const lines = createInterface({ input: child.stdout! });
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`user exited (code ${code}) before it was ready: ${stderr}`);
  });
  const [line] = (await Promise.race([once(lines, 'line'), exited])) as [string];
  return { child, services: JSON.parse(line) };
}

async function stopUser(user: User): Promise<void> {
  const exited = once(user.child, 'exit');
  user.child.stdin!.write('stop\n');
  const [code] = await exited;
  expect(code).toBe(0);
}

/** Pids of the processes whose arguments, working directory and parent pass `match` (zombies have no arguments). */
async function pidsWhere(match: (args: string[], cwd: string, ppid: number) => boolean): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const args = (await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '')).split('\0');
    const cwd = await readlink(`/proc/${entry}/cwd`).catch(() => '');
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (match(args.filter(Boolean), cwd, ppid)) pids.push(Number(entry));
  }
  return pids;
}

/** The supervisor, redis-server and FerretDB launcher processes of `dir`. */
async function serversOf(
  dir: string,
): Promise<{ supervisor: number[]; redis: number[]; ferretdb: number[] }> {
  return {
    supervisor: await pidsWhere((args) => args.includes(SUPERVISOR_PATH) && args.includes(dir)),
    // redis-server rewrites its arguments but chdir()s into its --dir
    redis: await pidsWhere((args, cwd) => !!args[0]?.includes('redis-server') && cwd === join(dir, 'redis')),
    ferretdb: await pidsWhere(
      (args) => !!args[0]?.endsWith('ferretdb-launcher') && args.includes(join(dir, 'ferretdb')),
    ),
  };
}

function total(servers: Record<string, number[]>): number {
  return Object.values(servers).reduce((n, pids) => n + pids.length, 0);
}

async function readRecord(): Promise<EmbeddedRecord> {
  return JSON.parse(await readFile(join(dataDir, 'embedded.json'), 'utf8')) as EmbeddedRecord;
}

async function waitUntil(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(50);
  }
}

async function mongoWorks(uri: string): Promise<boolean> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5_000 });
  try {
    const docs = client.db('shared_test').collection<{ _id: string }>('docs');
    await docs.insertOne({ _id: `d${Date.now()}-${Math.random()}` });
    return (await docs.countDocuments()) > 0;
  } finally {
    await client.close();
  }
}

const portOf = (uri: string) => Number(new URL(uri).port);

describe('processes sharing a data dir', () => {
  it('get one FerretDB and one Redis, which outlive whoever started them and stop with the last', async () => {
    const [a, b] = await Promise.all([startUser(), startUser()]);
    expect(b.services).toEqual(a.services);
    expect(a.services.embedded).toEqual({ mongo: true, redis: true });
    const servers = await serversOf(dataDir);
    expect([servers.supervisor.length, servers.redis.length, servers.ferretdb.length]).toEqual([1, 1, 1]);
    const record = await readRecord();
    expect(record).toMatchObject({
      supervisorPid: servers.supervisor[0],
      mongo: { uri: a.services.mongoUri, pid: servers.ferretdb[0] },
      redis: { url: a.services.redisUrl, pid: servers.redis[0] },
    });
    expect(await readdir(join(dataDir, 'leases'))).toHaveLength(2);

    // The one that started the servers leaves; the other keeps working against the same servers.
    const [owner, other] = record.ownerPid === a.child.pid ? [a, b] : [b, a];
    await stopUser(owner);
    expect(await readdir(join(dataDir, 'leases'))).toEqual([`${other.child.pid}-1`]);
    expect(await pingRedis(portOf(other.services.redisUrl))).toBe(true);
    expect(await mongoWorks(other.services.mongoUri)).toBe(true);
    expect(await serversOf(dataDir)).toEqual(servers);

    // The last one out stops them, and stop() returns only once they are gone.
    await stopUser(other);
    expect(await serversOf(dataDir)).toEqual({ supervisor: [], redis: [], ferretdb: [] });
    expect(await pingRedis(portOf(a.services.redisUrl))).toBe(false);
    expect(await readdir(dataDir)).not.toContain('embedded.json');
    expect(await readdir(join(dataDir, 'leases'))).toEqual([]);
  });

  it('stop the servers once every user was killed with SIGKILL, and the next start is clean', async () => {
    const [a, b] = await Promise.all([startUser(), startUser()]);
    const before = await serversOf(dataDir);
    a.child.kill('SIGKILL');
    b.child.kill('SIGKILL');
    await waitUntil('the supervisor stopped the servers', async () => total(await serversOf(dataDir)) === 0);

    const c = await startUser();
    expect(await pingRedis(portOf(c.services.redisUrl))).toBe(true);
    expect(await mongoWorks(c.services.mongoUri)).toBe(true);
    const after = await serversOf(dataDir);
    expect(after.redis).toHaveLength(1);
    expect(after.redis).not.toEqual(before.redis);
    await stopUser(c);
    expect(total(await serversOf(dataDir))).toBe(0);
  });

  it('reap what a SIGKILLed supervisor left running on the next start', async () => {
    const a = await startUser();
    const record = await readRecord();
    const oldRedis = record.redis!.pid;
    // Kill -9 everything but the servers: Redis's watchdog first (else it would stop Redis), then the
    // supervisor and the user. FerretDB still stops by itself (its stdin closes); Redis is orphaned.
    // (the supervisor's child: a fork of it has the same command line until it execs `cat`)
    const watchdogs = await pidsWhere(
      (args, _cwd, ppid) =>
        ppid === record.supervisorPid && args.join(' ').endsWith(`paperwire-redis-watchdog ${oldRedis}`),
    );
    expect(watchdogs).toHaveLength(1);
    process.kill(watchdogs[0]!, 'SIGKILL');
    process.kill(record.supervisorPid, 'SIGKILL');
    a.child.kill('SIGKILL');
    await waitUntil('the supervisor is gone', async () => !(await isRunning(record.supervisorPid)));
    await waitUntil('FerretDB is gone', async () => !(await isRunning(record.mongo!.pid)));
    expect(await pingRedis(portOf(record.redis!.url))).toBe(true);

    const b = await startUser();
    expect(await isRunning(oldRedis)).toBe(false);
    expect(await pingRedis(portOf(b.services.redisUrl))).toBe(true);
    expect(await mongoWorks(b.services.mongoUri)).toBe(true);
    const servers = await serversOf(dataDir);
    expect([servers.supervisor.length, servers.redis.length, servers.ferretdb.length]).toEqual([1, 1, 1]);
    await stopUser(b);
    expect(total(await serversOf(dataDir))).toBe(0);
  });

  it('refuse a process that needs a server the running set was started without', async () => {
    const mongoOnly = await startEmbeddedServices({ dataDir, redisUrl: 'redis://cache.invalid:6379', log });
    try {
      await expect(startEmbeddedServices({ dataDir, log })).rejects.toThrow(/have no Redis: .*REDIS_URL/);
      expect(await readdir(join(dataDir, 'leases'))).toHaveLength(1); // the refused one left no lease
    } finally {
      await mongoOnly.stop();
    }
    expect(total(await serversOf(dataDir))).toBe(0);
  });
});
