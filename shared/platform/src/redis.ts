// One factory for every Redis connection. Workers block, so they need `maxRetriesPerRequest: null`;
// producers fail fast (`enableOfflineQueue: false`) instead of queueing commands while Redis is away.
import { PipelineError } from '@paperwire/core';
import { Redis } from 'ioredis';
import type { Logger } from './logger.ts';

export type RedisRole = 'worker' | 'producer' | 'client';

export function createRedis(url: string, role: RedisRole, log: Logger): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: role === 'worker' ? null : 3,
    enableOfflineQueue: role !== 'producer',
    // Reconnect forever with a capped backoff: a Redis restart must not need a process restart.
    retryStrategy: (attempt) => Math.min(200 * 2 ** Math.min(attempt, 5), 5_000),
    lazyConnect: false,
  });
  let lastError = '';
  redis.on('error', (err: Error) => {
    // ioredis repeats the same error on every reconnect attempt: log changes only.
    if (err.message !== lastError) log.warn({ err, role }, 'redis: connection error');
    lastError = err.message;
  });
  redis.on('ready', () => {
    if (lastError) log.info({ role }, 'redis: reconnected');
    lastError = '';
  });
  return redis;
}

/** BullMQ loses jobs if Redis evicts keys: refuse to start unless the policy is `noeviction`. */
export async function assertNoEviction(redis: Redis): Promise<void> {
  const reply = (await redis.config('GET', 'maxmemory-policy')) as string[];
  const policy = reply[1];
  if (policy !== 'noeviction') {
    throw new PipelineError(
      `redis: maxmemory-policy is "${policy}"; BullMQ needs "noeviction" (set it with CONFIG SET maxmemory-policy noeviction or in redis.conf)`,
      { code: 'redis-eviction-policy', retryable: false },
    );
  }
}

/** Resolves once the connection is ready; rejects with a clear error after `timeoutMs`. */
export function waitForRedis(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(
        new PipelineError(`redis: not reachable within ${timeoutMs / 1000}s (check REDIS_URL)`, {
          code: 'redis-unreachable',
          retryable: true,
        }),
      );
    }, timeoutMs);
    const onReady = () => {
      cleanup();
      resolve();
    };
    const cleanup = () => {
      clearTimeout(timer);
      redis.off('ready', onReady);
    };
    redis.on('ready', onReady);
  });
}
