import { describe, expect, it } from 'vitest';
import { ttlCache } from './ttl-cache.ts';

/** A cache on a hand-moved clock, and a loader that counts its reads and answers `read <n>`. */
function setup(ttlMs: number, maxKeys?: number) {
  let clock = 1_000;
  let reads = 0;
  const cache = ttlCache<string>({ ttlMs, now: () => clock, ...(maxKeys ? { maxKeys } : {}) });
  return {
    cache,
    load: async () => `read ${++reads}`,
    reads: () => reads,
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

/** A read that stays in flight until `settle` is called. */
function pending<V>() {
  let settle!: { resolve: (v: V) => void; reject: (e: Error) => void };
  const value = new Promise<V>((resolve, reject) => {
    settle = { resolve, reject };
  });
  return { value, settle };
}

describe('ttlCache', () => {
  it('reads a key once per TTL, counted from the read', async () => {
    const { cache, load, reads, advance } = setup(1_000);
    expect(await cache.get('k', load)).toBe('read 1');
    advance(999);
    expect(await cache.get('k', load)).toBe('read 1');
    expect(reads()).toBe(1);
    advance(1);
    expect(await cache.get('k', load)).toBe('read 2');
    expect(await cache.get('k', load)).toBe('read 2');
    expect(reads()).toBe(2);
  });

  it('keeps each key apart', async () => {
    const { cache, load, reads } = setup(1_000);
    expect(await cache.get('a', load)).toBe('read 1');
    expect(await cache.get('b', load)).toBe('read 2');
    expect(await cache.get('a', load)).toBe('read 1');
    expect(reads()).toBe(2);
  });

  it('expires on a clock that starts at 0 like on any other', async () => {
    let clock = 0;
    let reads = 0;
    const cache = ttlCache<number>({ ttlMs: 1_000, now: () => clock });
    const load = async () => ++reads;
    expect(await cache.get('k', load)).toBe(1);
    clock = 999;
    expect(await cache.get('k', load)).toBe(1);
    clock = 1_000;
    expect(await cache.get('k', load)).toBe(2);
  });

  it('keeps an undefined value like any other', async () => {
    const cache = ttlCache<string | undefined>({ ttlMs: 1_000, now: () => 0 });
    let reads = 0;
    const load = async () => {
      reads++;
      return undefined;
    };
    expect(await cache.get('k', load)).toBeUndefined();
    expect(await cache.get('k', load)).toBeUndefined();
    expect(reads).toBe(1);
  });

  it('lets concurrent misses share the read in flight', async () => {
    const { cache } = setup(1_000);
    const read = pending<string>();
    let reads = 0;
    const load = () => {
      reads++;
      return read.value;
    };
    const waiting = [cache.get('k', load), cache.get('k', load), cache.get('k', load)];
    expect(reads).toBe(1);
    read.settle.resolve('shared');
    expect(await Promise.all(waiting)).toEqual(['shared', 'shared', 'shared']);
    expect(await cache.get('k', load)).toBe('shared');
    expect(reads).toBe(1);
  });

  it('does not keep a failed read: its waiters get the error, the next call reads again', async () => {
    const { cache, load, reads } = setup(1_000);
    const read = pending<string>();
    const first = cache.get('k', () => read.value);
    const second = cache.get('k', () => read.value);
    read.settle.reject(new Error('db: down'));
    await expect(first).rejects.toThrow('db: down');
    await expect(second).rejects.toThrow('db: down');
    expect(await cache.get('k', load)).toBe('read 1');
    expect(reads()).toBe(1);
  });

  it('treats a load that throws at once as a failed read', async () => {
    const { cache, load } = setup(1_000);
    await expect(
      cache.get('k', () => {
        throw new Error('bad');
      }),
    ).rejects.toThrow('bad');
    expect(await cache.get('k', load)).toBe('read 1');
  });

  it('a failed read that expired does not drop the read that replaced it', async () => {
    const { cache, load, reads, advance } = setup(1_000);
    const slow = pending<string>();
    const failing = cache.get('k', () => slow.value);
    advance(1_000);
    expect(await cache.get('k', load)).toBe('read 1');
    slow.settle.reject(new Error('late'));
    await expect(failing).rejects.toThrow('late');
    expect(await cache.get('k', load)).toBe('read 1');
    expect(reads()).toBe(1);
  });

  it('reads every time with a TTL of 0, sharing nothing', async () => {
    const { cache, load, reads } = setup(0);
    expect(await cache.get('k', load)).toBe('read 1');
    expect(await cache.get('k', load)).toBe('read 2');
    const both = await Promise.all([cache.get('k', load), cache.get('k', load)]);
    expect(both).toEqual(['read 3', 'read 4']);
    expect(reads()).toBe(4);
  });

  it('keeps at most maxKeys keys, dropping the least recently used', async () => {
    const { cache, load, reads } = setup(60_000, 2);
    await cache.get('a', load);
    await cache.get('b', load);
    await cache.get('c', load);
    expect(await cache.get('b', load)).toBe('read 2');
    expect(await cache.get('c', load)).toBe('read 3');
    expect(reads()).toBe(3);
    expect(await cache.get('a', load)).toBe('read 4');
  });

  it('keeps a key read recently over one read longer ago', async () => {
    const { cache, load, reads } = setup(60_000, 2);
    await cache.get('a', load);
    await cache.get('b', load);
    expect(await cache.get('a', load)).toBe('read 1');
    await cache.get('c', load);
    expect(await cache.get('a', load)).toBe('read 1');
    expect(await cache.get('b', load)).toBe('read 4');
    expect(reads()).toBe(4);
  });
});

/** Every promise callback queued so far has run (setImmediate comes after the microtask queue drains). */
const settled = () => new Promise((r) => setImmediate(r));

describe('ttlCache with staleMs', () => {
  function staleSetup() {
    let clock = 1_000;
    const cache = ttlCache<string>({ ttlMs: 1_000, staleMs: 5_000, now: () => clock });
    return {
      cache,
      advance: (ms: number) => {
        clock += ms;
      },
    };
  }

  it('answers with the previous value while the next read is in flight, then with the new one', async () => {
    const { cache, advance } = staleSetup();
    expect(await cache.get('k', async () => 'old')).toBe('old');
    advance(1_000);
    const next = pending<string>();
    let reads = 0;
    const load = () => {
      reads++;
      return next.value;
    };
    // Expired: one read starts; every caller meanwhile gets the previous value without waiting for it.
    expect(await cache.get('k', load)).toBe('old');
    expect(await cache.get('k', load)).toBe('old');
    expect(reads).toBe(1);
    next.settle.resolve('new');
    await settled();
    expect(await cache.get('k', load)).toBe('new');
    expect(reads).toBe(1);
  });

  it('waits for the read once the previous value is older than ttlMs + staleMs, and when there is none', async () => {
    const { cache, advance } = staleSetup();
    const first = pending<string>();
    const waiting = cache.get('k', () => first.value);
    first.settle.resolve('first');
    expect(await waiting).toBe('first');
    advance(6_000);
    const next = pending<string>();
    let answered: string | undefined;
    const late = cache
      .get('k', () => next.value)
      .then((v) => {
        answered = v;
      });
    await Promise.resolve();
    expect(answered).toBeUndefined();
    next.settle.resolve('second');
    await late;
    expect(answered).toBe('second');
  });

  it('keeps the previous value standing in after a failed refresh, and reads again on the next call', async () => {
    const { cache, advance } = staleSetup();
    expect(await cache.get('k', async () => 'old')).toBe('old');
    advance(1_000);
    const failing = pending<string>();
    expect(await cache.get('k', () => failing.value)).toBe('old');
    failing.settle.reject(new Error('db: down'));
    await settled();
    let reads = 0;
    const load = async () => {
      reads++;
      return 'recovered';
    };
    // The next call reads again (still answered by the previous value), and its read's value follows.
    expect(await cache.get('k', load)).toBe('old');
    expect(reads).toBe(1);
    await settled();
    expect(await cache.get('k', load)).toBe('recovered');
    expect(reads).toBe(1);
  });
});
