// Locks against the real Redis: all-or-nothing, names given up early (`release`) are free for others while
// the holder keeps the rest, and a waiter gets a name once its holder lets it go.
/// <reference path="../../../test/setup/global-setup.ts" />
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { testRedisUrl, uniquePrefix } from '../../../test/support/services.ts';
import { createLocks } from '../src/locks.ts';

const redis = new Redis(testRedisUrl());
afterAll(() => redis.quit());

const timeout = (err: unknown) => (err as { code?: string }).code;

describe('locks', () => {
  it('a holder can give up some names: others take them while it keeps the rest', async () => {
    const prefix = uniquePrefix('locks-release');
    const locks = createLocks(redis, prefix);
    const other = createLocks(redis, prefix);
    const result = await locks.withLocks(['band', 'paper'], async (_extend, release) => {
      // Held: another holder cannot take either name.
      await expect(other.withLocks(['band'], async () => 'taken', { waitMs: 0 })).rejects.toSatisfy(
        (err) => timeout(err) === 'lock-timeout',
      );
      await release(['band']);
      expect(await redis.exists(`${prefix}:pw:lock:band`)).toBe(0);
      expect(await other.withLocks(['band'], async () => 'taken', { waitMs: 0 })).toBe('taken');
      await expect(other.withLocks(['paper'], async () => 'taken', { waitMs: 0 })).rejects.toSatisfy(
        (err) => timeout(err) === 'lock-timeout',
      );
      return 'done';
    });
    expect(result).toBe('done');
    expect(await redis.exists(`${prefix}:pw:lock:band`, `${prefix}:pw:lock:paper`)).toBe(0);
  });

  it('a released name is not released again on return: the next holder keeps it', async () => {
    const prefix = uniquePrefix('locks-next-holder');
    const locks = createLocks(redis, prefix);
    let next: Promise<string> | undefined;
    let nextHolds!: () => void;
    const holding = new Promise<void>((r) => {
      nextHolds = r;
    });
    let finish!: () => void;
    const finished = new Promise<void>((r) => {
      finish = r;
    });
    await locks.withLocks(['band', 'paper'], async (_extend, release) => {
      // A waiter of this process: it gets the name as soon as it is given up.
      next = locks.withLocks(['band'], async () => {
        nextHolds();
        await finished;
        return 'next';
      });
      await release(['band']);
      await holding;
    });
    // The first holder returned; the waiter still holds the name it was given.
    expect(await redis.exists(`${prefix}:pw:lock:band`)).toBe(1);
    finish();
    expect(await next).toBe('next');
    expect(await redis.exists(`${prefix}:pw:lock:band`)).toBe(0);
  });
});
