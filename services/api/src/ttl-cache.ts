// A small in-process cache of reads that may be a little stale: each key's value is read at most once per
// `ttlMs` (counted from when the read started), concurrent misses share the one read in flight, and a failed
// read is not kept (the next call tries again). `ttlMs` 0 turns it off: every call reads. Values that
// resolve to `undefined` are kept like any other.
//
// With `staleMs`, a key whose value expired is read again in the background: while that read is in flight,
// callers get the previous value at once (if it was read less than `ttlMs + staleMs` ago) instead of waiting
// for it. A hot key's callers then never wait for the database, whose reply can take tens of milliseconds
// under load, only for its first read; a failed refresh keeps the previous value standing in until the
// bound and is retried by the next call.
//
// lru-cache bounds the keys (least recently used dropped first); the ages are ours, on the injected clock.
import { LRUCache } from 'lru-cache';

export interface TtlCacheOptions {
  ttlMs: number;
  /** How long past its TTL a value may answer while its next read is in flight (0: callers wait). */
  staleMs?: number;
  /** Milliseconds; injected so tests move time by hand. */
  now: () => number;
  /** Keys kept at most (callers may build keys from request input); the least recently used go first. */
  maxKeys?: number;
}

export interface TtlCache<V> {
  /** The value of `key`: kept, being read, or read now by `load`. */
  get(key: string, load: () => Promise<V>): Promise<V>;
}

interface Entry<V> {
  /** When the latest read started (−∞ once it failed: the next call reads again). */
  startedAt: number;
  read: Promise<V>;
  settled: boolean;
  /** The newest value a read returned, and when that read started. */
  good?: { value: V; startedAt: number };
}

export function ttlCache<V>({ ttlMs, staleMs = 0, now, maxKeys = 1_000 }: TtlCacheOptions): TtlCache<V> {
  if (ttlMs <= 0) return { get: (_key, load) => load() };
  const entries = new LRUCache<string, Entry<V>>({ max: maxKeys });
  const startRead = (key: string, load: () => Promise<V>, t: number, previous?: Entry<V>): Entry<V> => {
    // async: a load that throws at once fails like one that rejects.
    const read = (async () => load())();
    const entry: Entry<V> = { startedAt: t, read, settled: false, good: previous?.good };
    entries.set(key, entry);
    read.then(
      (value) => {
        entry.settled = true;
        entry.good = { value, startedAt: t };
      },
      () => {
        entry.settled = true;
        if (entries.peek(key) !== entry) return;
        if (entry.good) entry.startedAt = Number.NEGATIVE_INFINITY;
        else entries.delete(key);
      },
    );
    return entry;
  };
  return {
    get(key, load) {
      const t = now();
      const kept = entries.get(key);
      // At exactly `ttlMs` a value is read again.
      const entry = kept && t - kept.startedAt < ttlMs ? kept : startRead(key, load, t, kept);
      const stand = entry.good;
      if (!entry.settled && stand && t - stand.startedAt < ttlMs + staleMs)
        return Promise.resolve(stand.value);
      return entry.read;
    },
  };
}
