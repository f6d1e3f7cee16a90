// Politeness budgets per service (arXiv, Hugging Face, Algolia, Reddit; other feeds per host), kept in
// Redis so every fetcher process shares them. Each request reserves the next free slot atomically and
// waits for it: at most one request per `gapMs` per budget, however many workers run.
import type { Source } from '@paperwire/core';
import type { Redis } from 'ioredis';
import type { FetcherConfig } from './config.ts';

const RESERVE = `
local now = tonumber(ARGV[1])
local gap = tonumber(ARGV[2])
local nextFree = tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = math.max(now, nextFree)
redis.call('SET', KEYS[1], tostring(slot + gap), 'PX', math.max(gap * 2, 1000) + (slot - now))
return slot - now`;

/** How late after its reserved slot a request may still go out. */
const LATE_MS = 50;

export interface Politeness {
  /** Waits until this request may go out; returns how long it waited. */
  wait(source: Source, url: string): Promise<number>;
}

export function budgetKey(source: Source, url: string): string {
  if (source !== 'web') return source;
  try {
    return `web.${new URL(url).host}`;
  } catch {
    return 'web.invalid';
  }
}

export function createPoliteness(redis: Redis, prefix: string, config: FetcherConfig): Politeness {
  const gaps: Record<Source, number> = {
    arxiv: config.BUDGET_ARXIV_MS,
    huggingface: config.BUDGET_HUGGINGFACE_MS,
    hackernews: config.BUDGET_HACKERNEWS_MS,
    reddit: config.BUDGET_REDDIT_MS,
    web: config.BUDGET_WEB_HOST_MS,
  };
  return {
    async wait(source, url) {
      const gap = gaps[source];
      if (gap <= 0) return 0;
      const key = `${prefix}:pw:budget:${budgetKey(source, url)}`;
      let waited = 0;
      // A process busy elsewhere can wake well after its slot and send right next to the following slot's
      // request; a slot missed by more than LATE_MS is given up and a new one reserved.
      for (;;) {
        const reservedAt = Date.now();
        const waitMs = Number(await redis.eval(RESERVE, 1, key, String(reservedAt), String(gap)));
        if (waitMs > 0) await new Promise((r) => setTimeout(r, waitMs));
        waited += Date.now() - reservedAt;
        if (Date.now() - (reservedAt + waitMs) <= LATE_MS) return waited;
      }
    },
  };
}
