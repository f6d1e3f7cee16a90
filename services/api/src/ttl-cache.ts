// A small in-process cache of reads that may be a little stale: each key's value is read at most once per
// `ttlMs` (counted from when the read started, so a value is never older than that), concurrent misses
// share the one read in flight, and a failed read is not kept (the next call tries again). `ttlMs` 0
// turns it off: every call reads. Values that resolve to `undefined` are kept like any other.
//
// lru-cache keeps the entries (bounded, least recently used dropped first) and their ages on our clock. It
// holds the read's promise, not its value, so the age counts from the start of the read and an `undefined`
// value is kept; that is also why its `fetch()` (which starts the age when the value arrives and drops an
// `undefined`) is not used.
import { LRUCache } from 'lru-cache';

export interface TtlCacheOptions {
  ttlMs: number;
  /** Milliseconds; injected so tests move time by hand. */
  now: () => number;
  /** Keys kept at most (callers may build keys from request input); the least recently used go first. */
  maxKeys?: number;
}

export interface TtlCache<V> {
  /** The value of `key`: kept, being read, or read now by `load`. */
  get(key: string, load: () => Promise<V>): Promise<V>;
}

export function ttlCache<V>({ ttlMs, now, maxKeys = 1_000 }: TtlCacheOptions): TtlCache<V> {
  if (ttlMs <= 0) return { get: (_key, load) => load() };
  // ttlResolution 0: read the clock on every check (the default caches it for 1 ms with a timer). lru-cache
  // takes an entry stored at time 0 for one without a TTL, so it sees our clock one millisecond later (tests
  // start their clocks at 0; only differences count).
  const entries = new LRUCache<string, Promise<V>>({
    max: maxKeys,
    ttl: ttlMs,
    ttlResolution: 0,
    perf: { now: () => now() + 1 },
  });
  return {
    get(key, load) {
      // lru-cache counts an entry stale once it is older than its TTL; at exactly `ttlMs` it is read again.
      const kept = entries.get(key);
      if (kept && entries.getRemainingTTL(key) > 0) return kept;
      // async: a load that throws at once fails like one that rejects.
      const value = (async () => load())();
      entries.set(key, value);
      value.catch(() => {
        if (entries.peek(key, { allowStale: true }) === value) entries.delete(key);
      });
      return value;
    },
  };
}
