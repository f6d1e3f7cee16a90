import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

interface LockOwner {
  pid: number;
  host: string;
  token: string;
  since: number;
}

export interface LockOptions {
  /** A lock older than this is taken to be left by a dead holder on another host, or a hung one. */
  staleMs?: number;
  /** Give up waiting for the holder after this long. */
  waitMs?: number;
  pollMs?: number;
  /** Called once when the lock is held by someone else and we start waiting. */
  onWait?: (owner: string) => void;
}

/**
 * Runs `fn` while holding a lock directory (mkdir is atomic on every local filesystem). A lock whose holder
 * is gone (same host, pid not alive), or that is older than `staleMs`, is broken.
 */
export async function withLock<T>(lockDir: string, fn: () => Promise<T>, opts: LockOptions = {}): Promise<T> {
  const token = await acquire(lockDir, opts);
  try {
    return await fn();
  } finally {
    await release(lockDir, token);
  }
}

async function acquire(lockDir: string, opts: LockOptions): Promise<string> {
  const { staleMs = 15 * 60_000, waitMs = 20 * 60_000, pollMs = 250 } = opts;
  const token = randomBytes(8).toString('hex');
  const deadline = Date.now() + waitMs;
  let announced = false;
  /** When this waiter first saw the lock without an owner (its own monotonic clock). */
  let ownerlessSince: number | undefined;
  for (;;) {
    try {
      await mkdir(lockDir);
      const owner: LockOwner = { pid: process.pid, host: hostname(), token, since: Date.now() };
      await writeFile(join(lockDir, 'owner.json'), JSON.stringify(owner));
      return token;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const state = await inspect(lockDir, staleMs);
    if (state.ownerless) ownerlessSince ??= performance.now();
    else ownerlessSince = undefined;
    // A directory without owner.json is a holder between mkdir and writing it, or one that died there:
    // stale once it has stayed so for 30 s by this waiter's own clock (a file's mtime is another clock).
    if (state.stale || (ownerlessSince !== undefined && performance.now() - ownerlessSince > 30_000)) {
      // Move it aside first: of several waiters that saw the same stale lock, only one rename succeeds.
      const aside = `${lockDir}.stale-${process.pid}-${token}`;
      try {
        await rename(lockDir, aside);
        await rm(aside, { recursive: true, force: true });
      } catch {
        // someone else broke it first
      }
      continue;
    }
    if (!announced) {
      opts.onWait?.(state.describe);
      announced = true;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `local-infra: timed out after ${Math.round(waitMs / 1000)} s waiting for lock ${lockDir} ` +
          `(held by ${state.describe}); remove that directory if no such process is running`,
      );
    }
    await sleep(pollMs);
  }
}

async function inspect(
  lockDir: string,
  staleMs: number,
): Promise<{ stale: boolean; ownerless?: boolean; describe: string }> {
  let owner: LockOwner | undefined;
  try {
    owner = JSON.parse(await readFile(join(lockDir, 'owner.json'), 'utf8')) as LockOwner;
  } catch {
    // Between mkdir and writing owner.json, or the holder died there (the caller times it).
    try {
      await stat(lockDir);
      return { stale: false, ownerless: true, describe: 'a process that is just starting' };
    } catch {
      return { stale: false, describe: 'nobody (released)' };
    }
  }
  const describe = `pid ${owner.pid} on ${owner.host}`;
  if (Date.now() - owner.since > staleMs) return { stale: true, describe };
  if (owner.host === hostname() && !isAlive(owner.pid)) return { stale: true, describe };
  return { stale: false, describe };
}

async function release(lockDir: string, token: string): Promise<void> {
  try {
    const owner = JSON.parse(await readFile(join(lockDir, 'owner.json'), 'utf8')) as LockOwner;
    if (owner.token !== token) return; // ours was broken as stale and someone else holds it now
  } catch {
    return;
  }
  await rm(lockDir, { recursive: true, force: true });
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
