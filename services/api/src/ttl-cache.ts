// A small in-process cache of reads that may be a little stale: each key's value is read at most once per
// `ttlMs` (counted from when the read started, so a value is never older than that), concurrent misses
// share the one read in flight, and a failed read is not kept (the next call tries again). `ttlMs` 0
// turns it off: every call reads. Values that resolve to `undefined` are kept like any other.
export interface TtlCacheOptions {
  ttlMs: number;
  /** Milliseconds; injected so tests move time by hand. */
  now: () => number;
  /** Keys kept at most (callers may build keys from request input); the oldest go first. */
  maxKeys?: number;
}

export interface TtlCache<V> {
  /** The value of `key`: kept, being read, or read now by `load`. */
  get(key: string, load: () => Promise<V>): Promise<V>;
}

export function ttlCache<V>({ ttlMs, now, maxKeys = 1_000 }: TtlCacheOptions): TtlCache<V> {
  // Insertion order is start order, so with one TTL the entries that expire first come first.
  const entries = new Map<string, { value: Promise<V>; expiresAt: number }>();
  return {
    get(key, load) {
      if (ttlMs <= 0) return load();
      const at = now();
      const kept = entries.get(key);
      if (kept && at < kept.expiresAt) return kept.value;
      entries.delete(key);
      for (const [k, e] of entries) {
        if (at < e.expiresAt && entries.size < maxKeys) break;
        entries.delete(k);
      }
      // async: a load that throws at once fails like one that rejects.
      const entry = { value: (async () => load())(), expiresAt: at + ttlMs };
      entries.set(key, entry);
      entry.value.catch(() => {
        if (entries.get(key) === entry) entries.delete(key);
      });
      return entry.value;
    },
  };
}
