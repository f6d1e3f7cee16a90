// Politeness per service (arXiv, Hugging Face, Algolia, Reddit; other feeds per host), kept in Redis so
// every fetcher process shares it:
//  - a token bucket per service: `BUDGET_<SERVICE>_MS` refills one token, `BURST_<SERVICE>` tokens at most;
//  - a pause per service: a 429/503 from any of its feeds (Retry-After, or PAUSE_DEFAULT_MS without one)
//    holds every request to that service back until it ends.
// The bucket is GCRA (the token bucket as one timestamp per key) in one Lua script on Redis's own clock, so
// processes with skewed clocks agree. Hand-written on purpose: rate-limiter-flexible counts fixed windows of
// whole seconds (its BurstyRateLimiter approximates a bucket), and a 3 s arXiv gap with burst 1 needs exact
// millisecond spacing and the time until the next token, which it cannot give.
import type { Source } from '@paperwire/core';
import type { Redis } from 'ioredis';
import type { FetcherConfig } from './config.ts';

/**
 * KEYS[1] bucket (theoretical arrival time, ms), KEYS[2] pause. ARGV[1] interval ms, ARGV[2] burst,
 * ARGV[3] 1 to reserve (take the token even when it is in the future). Returns { waitMs, paused }.
 */
const TAKE = `
local pause = redis.call('PTTL', KEYS[2])
if pause > 0 then return { pause, 1 } end
local interval = tonumber(ARGV[1])
if interval <= 0 then return { 0, 0 } end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local tat = math.max(tonumber(redis.call('GET', KEYS[1]) or '0'), now)
local nextTat = tat + interval
local allowAt = nextTat - interval * tonumber(ARGV[2])
local wait = math.max(0, allowAt - now)
if wait > 0 and ARGV[3] ~= '1' then return { wait, 0 } end
redis.call('SET', KEYS[1], tostring(nextTat), 'PX', nextTat - now + 1000)
return { wait, 0 }`;

/** Sets the pause unless one already runs longer. KEYS[1] pause; ARGV[1] ms. */
const PAUSE = `
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
end
return redis.call('PTTL', KEYS[1])`;

export type Take = { ok: true } | { ok: false; waitMs: number; paused: boolean };

export interface Politeness {
  /** Takes a token for one request now, or says how long until one is free (or the pause ends). */
  take(source: Source, url: string): Promise<Take>;
  /**
   * Reserves the next token and waits for it, for a second request inside one fetch (hf-daily re-polls).
   * Returns false, without waiting, while the service is paused.
   */
  waitUnlessPaused(source: Source, url: string): Promise<boolean>;
  /** Waits out any pause, then reserves the next token and waits for it: `paperwire backfill`, outside the queues. */
  wait(source: Source, url: string): Promise<void>;
  /** Pauses every request to this service for `ms` (a longer pause already running is kept). */
  pause(source: Source, url: string, ms: number): Promise<void>;
}

/** The budget a request counts against: the service, or the host for other feeds. */
export function budgetKey(source: Source, url: string): string {
  if (source !== 'web') return source;
  try {
    return `web.${new URL(url).host}`;
  } catch {
    return 'web.invalid';
  }
}

export interface BucketSettings {
  intervalMs: number;
  burst: number;
}

export function bucketSettings(config: FetcherConfig): Record<Source, BucketSettings> {
  return {
    arxiv: { intervalMs: config.BUDGET_ARXIV_MS, burst: config.BURST_ARXIV },
    huggingface: { intervalMs: config.BUDGET_HUGGINGFACE_MS, burst: config.BURST_HUGGINGFACE },
    hackernews: { intervalMs: config.BUDGET_HACKERNEWS_MS, burst: config.BURST_HACKERNEWS },
    reddit: { intervalMs: config.BUDGET_REDDIT_MS, burst: config.BURST_REDDIT },
    web: { intervalMs: config.BUDGET_WEB_HOST_MS, burst: config.BURST_WEB_HOST },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createPoliteness(redis: Redis, prefix: string, config: FetcherConfig): Politeness {
  const buckets = bucketSettings(config);
  const keys = (source: Source, url: string) => {
    const key = budgetKey(source, url);
    return [`${prefix}:pw:bucket:${key}`, `${prefix}:pw:pause:${key}`] as const;
  };
  const run = async (source: Source, url: string, reserve: boolean) => {
    const { intervalMs, burst } = buckets[source];
    const [waitMs, paused] = (await redis.eval(
      TAKE,
      2,
      ...keys(source, url),
      String(intervalMs),
      String(burst),
      reserve ? '1' : '0',
    )) as [number, number];
    return { waitMs, paused: paused === 1 };
  };
  return {
    async take(source, url) {
      const { waitMs, paused } = await run(source, url, false);
      return waitMs > 0 ? { ok: false, waitMs, paused } : { ok: true };
    },
    async waitUnlessPaused(source, url) {
      const { waitMs, paused } = await run(source, url, true);
      if (paused) return false;
      if (waitMs > 0) await sleep(waitMs);
      return true;
    },
    async wait(source, url) {
      for (;;) {
        const { waitMs, paused } = await run(source, url, true);
        if (waitMs > 0) await sleep(waitMs);
        if (!paused) return;
      }
    },
    async pause(source, url, ms) {
      if (ms <= 0) return;
      await redis.eval(PAUSE, 1, keys(source, url)[1], String(Math.ceil(ms)));
    },
  };
}
