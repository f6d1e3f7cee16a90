// Really starts FerretDB and Redis in a temporary dir and stops them again (the cached launcher build is
// reused; `npm run setup` or the first call builds it).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { MongoClient } from 'mongodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmbeddedServices, startRedis } from '../src/index.ts';
import { isAlive } from '../src/lock.ts';
import { freePort, pingRedis, redisArgs } from '../src/redis.ts';
import { ensureRedisServer } from '../src/toolchain.ts';

const log = () => {};
let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'pw-embedded-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

/** Pids of processes whose command line or working directory mentions `dir`. */
async function processesUsing(dir: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8');
      const cwd = await readlink(`/proc/${entry}/cwd`).catch(() => '');
      if (cmdline.includes(dir) || cwd.startsWith(dir)) pids.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return pids;
}

async function waitUntil(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(50);
  }
}

function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('startEmbeddedServices', () => {
  it('starts FerretDB and a BullMQ-ready Redis, and stops both', async () => {
    const services = await startEmbeddedServices({ dataDir, log });
    expect(services.embedded).toEqual({ mongo: true, redis: true });
    expect(services.mongoUri).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+\/$/);
    expect(services.redisUrl).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
    expect(await processesUsing(dataDir)).toHaveLength(3); // the supervisor and its two servers

    const mongo = new MongoClient(services.mongoUri, { serverSelectionTimeoutMS: 10_000 });
    try {
      const admin = mongo.db('admin');
      expect(await admin.command({ ping: 1 })).toMatchObject({ ok: 1 });
      expect(await admin.command({ buildInfo: 1 })).toMatchObject({ ok: 1, version: expect.any(String) });
      const papers = mongo.db('embedded_test').collection<{ _id: string; title: string }>('papers');
      await papers.insertOne({ _id: 'arxiv:2401.01234', title: 't' });
      expect(await papers.findOne({ _id: 'arxiv:2401.01234' })).toEqual({
        _id: 'arxiv:2401.01234',
        title: 't',
      });
    } finally {
      await mongo.close();
    }

    const redis = new Redis(services.redisUrl);
    try {
      expect(await redis.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
      expect(await redis.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
      expect(await redis.config('GET', 'appendfsync')).toEqual(['appendfsync', 'everysec']);
      expect(await redis.config('GET', 'save')).toEqual(['save', '']);
      expect(await redis.config('GET', 'bind')).toEqual(['bind', '127.0.0.1']);
    } finally {
      redis.disconnect();
    }

    await services.stop();
    await services.stop(); // idempotent
    expect(await processesUsing(dataDir)).toEqual([]);
    expect(await refusesConnections(Number(new URL(services.mongoUri).port))).toBe(true);
    expect(await refusesConnections(Number(new URL(services.redisUrl).port))).toBe(true);
  });

  it('starts nothing for URIs it is given', async () => {
    const services = await startEmbeddedServices({
      dataDir,
      mongoUri: 'mongodb://db.invalid:27017/',
      redisUrl: 'redis://cache.invalid:6379',
      log,
    });
    expect(services).toMatchObject({
      mongoUri: 'mongodb://db.invalid:27017/',
      redisUrl: 'redis://cache.invalid:6379',
      embedded: { mongo: false, redis: false },
    });
    expect(await processesUsing(dataDir)).toEqual([]);
    await services.stop();
  });

  it('stops in a process that has nothing else to keep it alive', async () => {
    // The servers are unref'd so a forgotten stop() cannot hang a process; stop() itself must still finish.
    const index = fileURLToPath(new URL('../src/index.ts', import.meta.url));
    const script = `const { startEmbeddedServices } = await import(${JSON.stringify(index)});
      const s = await startEmbeddedServices({ dataDir: ${JSON.stringify(dataDir)}, log: () => {} });
      await s.stop();
      console.log('stopped');`;
    const child = spawn(
      process.execPath,
      ['--conditions=@paperwire/source', '--import', 'tsx', '--input-type=module', '-e', script],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk));
    const [code] = await once(child, 'exit');
    expect({ code, out: out.trim() }).toEqual({ code: 0, out: 'stopped' });
    expect(await readdir(join(dataDir, 'redis'))).not.toContain('paperwire-redis.pid');
    expect(await readdir(dataDir)).not.toContain('embedded.json');
    expect(await readdir(join(dataDir, 'leases'))).toEqual([]);
    expect(await processesUsing(dataDir)).toEqual([]);
  });

  it('leaves nothing running when its parent is killed with SIGKILL', async () => {
    const index = fileURLToPath(new URL('../src/index.ts', import.meta.url));
    const script = `const { startEmbeddedServices } = await import(${JSON.stringify(index)});
      const s = await startEmbeddedServices({ dataDir: ${JSON.stringify(dataDir)}, log: () => {} });
      console.log(JSON.stringify(s));
      setInterval(() => {}, 1000);`;
    const parent = spawn(
      process.execPath,
      ['--conditions=@paperwire/source', '--import', 'tsx', '--input-type=module', '-e', script],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    try {
      const [started] = (await once(createInterface({ input: parent.stdout }), 'line')) as [string];
      expect(JSON.parse(started)).toMatchObject({ embedded: { mongo: true, redis: true } });
      // The parent's own command line names dataDir too (it is in the script).
      const servers = (await processesUsing(dataDir)).filter((pid) => pid !== parent.pid);
      expect(servers).toHaveLength(3); // the supervisor and its two servers

      parent.kill('SIGKILL'); // its lease now names a dead pid: the supervisor stops everything
      await waitUntil('the servers are gone', () => servers.every((pid) => !isAlive(pid)));
    } finally {
      parent.kill('SIGKILL');
    }
    expect(await processesUsing(dataDir)).toEqual([]);
  });
});

describe('startRedis', () => {
  it('stops a redis-server that a crashed run left in the same data dir', async () => {
    const dir = join(dataDir, 'redis');
    await startRedis({ dataDir, log }).then((r) => r.stop()); // creates the dir
    const port = await freePort();
    const leftover = spawn(await ensureRedisServer({ log }), redisArgs(port, dir), { stdio: 'ignore' });
    await waitUntil('the leftover answers', () => pingRedis(port));
    await writeFile(join(dir, 'paperwire-redis.pid'), `${leftover.pid}\n`);

    const redis = await startRedis({ dataDir, log });
    try {
      expect(leftover.exitCode !== null || leftover.signalCode !== null || !isAlive(leftover.pid!)).toBe(
        true,
      );
      expect(await pingRedis(Number(new URL(redis.url).port))).toBe(true);
    } finally {
      await redis.stop();
    }
  });

  it('leaves alone a process named in the pidfile that is not our redis-server', async () => {
    const other = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      await startRedis({ dataDir, log }).then((r) => r.stop());
      await writeFile(join(dataDir, 'redis', 'paperwire-redis.pid'), `${other.pid}\n`);
      const redis = await startRedis({ dataDir, log });
      await redis.stop();
      expect(isAlive(other.pid!)).toBe(true);
    } finally {
      other.kill('SIGKILL');
    }
  });
});
