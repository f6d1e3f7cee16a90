// Keys live under `<prefix>:pw:` so they never meet BullMQ's `<prefix>:<queue>:` keys.
// Short-lived Redis locks over a set of names, taken all-or-nothing. FerretDB runs an update as
// read-modify-write with no lock, so every rewrite of a paper happens while its names are held here.
import { randomUUID } from 'node:crypto';
import { PipelineError } from '@paperwire/core';
import type { Redis } from 'ioredis';

const RELEASE = `
for i, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[1] then redis.call('DEL', key) end
end
return 1`;

const RENEW = `
for i, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[1] then redis.call('PEXPIRE', key, ARGV[2]) end
end
return 1`;

const ACQUIRE = `
for i, key in ipairs(KEYS) do
  if redis.call('EXISTS', key) == 1 then return 0 end
end
for i, key in ipairs(KEYS) do
  redis.call('SET', key, ARGV[1], 'PX', ARGV[2])
end
return 1`;

export interface LockOptions {
  ttlMs?: number;
  /** How long to keep trying before giving up with a retryable error. */
  waitMs?: number;
  /** How long `extend` keeps trying before it answers false. */
  extendWaitMs?: number;
  /**
   * Renew the locks' TTL every ttlMs/3 while `fn` runs: for work of unknown length (an index rebuild), so a
   * short TTL frees the locks soon after a holder dies instead of after the longest the work could take.
   */
  renew?: boolean;
}

export interface Locks {
  /**
   * Runs `fn` while holding every name; names are de-duplicated. `fn` may take more names (`extend`) and
   * give some up before it returns (`release`); the rest are released when it returns or throws.
   */
  withLocks<T>(
    names: readonly string[],
    fn: (
      extend: (more: readonly string[]) => Promise<boolean>,
      release: (names: readonly string[]) => Promise<void>,
    ) => Promise<T>,
    options?: LockOptions,
  ): Promise<T>;
}

export function createLocks(redis: Redis, prefix: string): Locks {
  const keyOf = (name: string) => `${prefix}:pw:lock:${name}`;
  // Waiters of this process are woken as soon as this process releases locks (the workers of one process
  // mostly wait for each other), not at their next poll: a poll backs off to 200 ms, which idled the
  // workers between batches that share names. Locks held by other processes are still polled for.
  const wakers = new Set<() => void>();
  const released = () => {
    for (const wake of [...wakers]) wake();
  };
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      wakers.add(wake);
    });

  return {
    async withLocks(names, fn, options = {}) {
      const ttlMs = options.ttlMs ?? 30_000;
      const deadline = Date.now() + (options.waitMs ?? 20_000);
      const token = randomUUID();
      const held = new Set<string>();

      const tryAcquire = async (wanted: readonly string[]): Promise<boolean> => {
        const keys = [...new Set(wanted.map(keyOf))].filter((k) => !held.has(k));
        if (keys.length === 0) return true;
        const ok = (await redis.eval(ACQUIRE, keys.length, ...keys, token, String(ttlMs))) === 1;
        if (ok) for (const k of keys) held.add(k);
        return ok;
      };

      let attempt = 0;
      while (!(await tryAcquire(names))) {
        if (Date.now() > deadline) {
          throw new PipelineError(`locks: could not lock ${names.join(', ')} in time`, {
            code: 'lock-timeout',
            retryable: true,
          });
        }
        await sleep(Math.min(5 * 2 ** attempt++, 200) * (0.5 + Math.random()));
      }
      try {
        // `extend` adds names discovered while holding the lock, retrying briefly; false means someone
        // else still holds one, and the caller should give up this attempt (all its locks are released,
        // so two holders waiting on each other cannot deadlock) and retry from the start.
        const extend = async (more: readonly string[]) => {
          const until = Date.now() + (options.extendWaitMs ?? 250);
          for (let i = 0; ; i++) {
            if (await tryAcquire(more)) return true;
            if (Date.now() > until) return false;
            await sleep(Math.min(2 * 2 ** i, 50) * (0.5 + Math.random()));
          }
        };
        // `release` gives up names the caller no longer needs, so others can take them while it finishes.
        const release = async (names: readonly string[]) => {
          const keys = [...new Set(names.map(keyOf))].filter((k) => held.has(k));
          if (keys.length === 0) return;
          await redis.eval(RELEASE, keys.length, ...keys, token);
          for (const k of keys) held.delete(k);
          released();
        };
        const renewal = options.renew
          ? setInterval(() => {
              if (held.size === 0) return;
              redis.eval(RENEW, held.size, ...held, token, String(ttlMs)).catch(() => {
                // A missed renewal is retried at the next tick; the TTL covers two of them.
              });
            }, ttlMs / 3)
          : undefined;
        try {
          return await fn(extend, release);
        } finally {
          clearInterval(renewal);
        }
      } finally {
        if (held.size > 0) {
          await redis.eval(RELEASE, held.size, ...held, token);
          released();
        }
      }
    },
  };
}
