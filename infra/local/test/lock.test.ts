import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withLock } from '../src/lock.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pw-lock-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The pid of a process that has already exited (and been reaped). */
async function deadPid(): Promise<number> {
  const child = spawn('true');
  await once(child, 'exit');
  return child.pid!;
}

describe('withLock', () => {
  it('runs holders one at a time and releases the lock', async () => {
    const lock = join(dir, 'x.lock');
    const events: string[] = [];
    const holder = (name: string) =>
      withLock(
        lock,
        async () => {
          events.push(`${name}+`);
          await sleep(30);
          events.push(`${name}-`);
        },
        { pollMs: 5 },
      );
    await Promise.all([holder('a'), holder('b'), holder('c')]);
    for (let i = 0; i < events.length; i += 2) {
      expect(events[i]?.[0]).toBe(events[i + 1]?.[0]);
    }
    await withLock(lock, async () => {}, { waitMs: 0 }); // released: taken at once
  });

  it('breaks a lock whose holder died', async () => {
    const lock = join(dir, 'x.lock');
    await mkdir(lock);
    const owner = { pid: await deadPid(), host: hostname(), token: 't', since: Date.now() };
    await writeFile(join(lock, 'owner.json'), JSON.stringify(owner));
    await expect(withLock(lock, async () => 'ran', { waitMs: 1_000 })).resolves.toBe('ran');
  });

  it('breaks a lock older than staleMs', async () => {
    const lock = join(dir, 'x.lock');
    await mkdir(lock);
    const owner = { pid: process.pid, host: hostname(), token: 't', since: Date.now() - 60_000 };
    await writeFile(join(lock, 'owner.json'), JSON.stringify(owner));
    await expect(withLock(lock, async () => 'ran', { staleMs: 30_000, waitMs: 1_000 })).resolves.toBe('ran');
  });

  it('waits for a live holder, then gives up naming it', async () => {
    const lock = join(dir, 'x.lock');
    await mkdir(lock);
    const owner = { pid: process.pid, host: hostname(), token: 't', since: Date.now() };
    await writeFile(join(lock, 'owner.json'), JSON.stringify(owner));
    const waits: string[] = [];
    await expect(
      withLock(lock, async () => 'ran', { waitMs: 200, pollMs: 20, onWait: (o) => waits.push(o) }),
    ).rejects.toThrow(new RegExp(`waiting for lock .*held by pid ${process.pid}`));
    expect(waits).toEqual([`pid ${process.pid} on ${hostname()}`]);
  });
});
