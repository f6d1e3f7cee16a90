// The Redis near-duplicate index against real Redis and FerretDB: appends are idempotent and capped, the
// generation check tells a flushed or foreign Redis from a current one, and a rebuild from `papers` answers
// the band reads the resolver makes (redirects left out, awkward ids and titles intact).
/// <reference path="../../../test/setup/global-setup.ts" />
import {
  candidateOfNearEntry,
  dedupBandKeys,
  MAX_BAND_PAPERS,
  MAX_NEAR_VARIANTS,
  type NearEntry,
  type Paper,
} from '@paperwire/core';
import { connectDatabase, type Database } from '@paperwire/db';
import { createLocks, createLogger } from '@paperwire/platform';
import { Redis } from 'ioredis';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMongoUri, testRedisUrl, uniquePrefix } from '../../../test/support/services.ts';
import { NearIndexLost, nearIndex } from '../src/near-index.ts';

const log = createLogger({ service: 'test', level: 'warn' });
const uri = testMongoUri('near-index');
let db: Database;
let redis: Redis;

beforeAll(async () => {
  db = await connectDatabase(uri, log);
  redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
});
afterAll(async () => {
  await db?.close();
  const client = await MongoClient.connect(uri);
  await client.db().dropDatabase();
  await client.close();
  redis?.disconnect();
});

const open = (prefix: string) => nearIndex(redis, prefix, db.nearDuplicates, createLocks(redis, prefix), log);

const entry = (paperId: string, title: string): NearEntry => ({
  paperId,
  title,
  authorKeys: ['lovelace'],
  ids: {},
});
const bandsOf = (title: string) => dedupBandKeys(candidateOfNearEntry(entry('x', title)));

function paper(id: string, title: string): Paper {
  const at = new Date(Date.now() - 3_600_000).toISOString();
  return {
    _id: id,
    ids: {},
    versions: [],
    title,
    authors: [{ name: 'Ada Lovelace', key: 'a lovelace' }],
    categories: [],
    firstSeenAt: at,
    links: {},
    sightings: [],
    textSource: { rank: 1, at },
  } as unknown as Paper;
}

describe('near-duplicate index', () => {
  it('appends idempotently, keeps the newest papers of a band and variants of a paper', async () => {
    const index = open(uniquePrefix('near-append'));
    await index.ensureCurrent(); // builds an empty index for this database's generation
    const band = 'lsh:0:0123456789abcdef';
    const ids = Array.from({ length: MAX_BAND_PAPERS + 5 }, (_, i) => `p${i}`);
    await index.write(
      ids.map((id) => [band, id] as const),
      [],
    );
    await index.write([[band, 'p54']], []); // present: no change, no second copy
    const read = await index.read([band]);
    expect(read.bands.get(band)).toEqual(ids.slice(-MAX_BAND_PAPERS));

    const titles = Array.from({ length: MAX_NEAR_VARIANTS + 2 }, (_, i) => `Title "${i}" \\ ünïcode\t`);
    await index.write(
      [['lsh:1:aaaa', 'doi:10.1000/x"y']],
      titles.map((t) => entry('doi:10.1000/x"y', t)),
    );
    await index.write([], [entry('doi:10.1000/x"y', titles.at(-1)!)]);
    const again = await index.read(['lsh:1:aaaa']);
    expect(again.variants.get('doi:10.1000/x"y')?.map((e) => e.title)).toEqual(
      titles.slice(-MAX_NEAR_VARIANTS),
    );
  });

  it('a flushed Redis is detected: reads fail until ensureCurrent rebuilds from papers', async () => {
    const prefix = uniquePrefix('near-rebuild');
    const index = open(prefix);
    const title = 'Sparse causal models for protein folding at scale';
    await db.papers.putMany(
      [paper('arxiv:2612.00001', title), paper('arxiv:2612.00002', 'Other work entirely on weather')],
      new Set(['arxiv:2612.00001', 'arxiv:2612.00002']),
      new Map(),
    );
    await db.papers.put({ _id: 'gone:1', mergedInto: 'arxiv:2612.00001', mergedAt: 'then' });
    await index.ensureCurrent();
    const before = await index.read(bandsOf(title));
    expect([...new Set([...before.bands.values()].flat())]).toEqual(['arxiv:2612.00001']);
    expect(before.variants.get('arxiv:2612.00001')?.[0]).toMatchObject({
      title,
      authorKeys: ['a lovelace'],
    });

    // Redis loses everything of this prefix (a restart without persistence, FLUSHALL).
    const keys = await redis.keys(`${prefix}:pw:near:*`);
    await redis.del(...keys);
    await expect(index.read(bandsOf(title))).rejects.toBeInstanceOf(NearIndexLost);
    await index.ensureCurrent();
    const after = await index.read(bandsOf(title));
    expect(after.bands).toEqual(before.bands);
    expect(after.variants).toEqual(before.variants);
    // Redirects are not indexed: their survivor is.
    expect(after.variants.has('gone:1')).toBe(false);
  });

  it('an index of another generation (a foreign or stale Redis) is rebuilt, not trusted', async () => {
    const prefix = uniquePrefix('near-foreign');
    const index = open(prefix);
    await index.ensureCurrent();
    const generation = await db.nearDuplicates.generation();
    expect(generation).toBeDefined();
    await redis.set(`${prefix}:pw:near:gen`, 'someone-else');
    await redis.hset(`${prefix}:pw:near:b:lsh:0:ffe`, 'ffff', 'stale:1');
    const fresh = open(prefix); // another process: knows no generation yet
    await fresh.ensureCurrent();
    expect(await redis.get(`${prefix}:pw:near:gen`)).toBe(await db.nearDuplicates.generation());
    expect(await db.nearDuplicates.generation()).not.toBe(generation);
    expect((await fresh.read(['lsh:0:ffeffff'])).bands.size).toBe(0);
  });
});

describe('near-duplicate index rebuild lock', () => {
  it('a lock left by a holder that died is taken over once it expires, and renewed while held', async () => {
    const prefix = uniquePrefix('near-dead-holder');
    const lock = `${prefix}:pw:lock:near-index:rebuild`;
    // A rebuild that died holding the lock: nobody releases it, its TTL does.
    await redis.set(lock, 'dead-holder', 'PX', 1_500);
    const index = open(prefix);
    await index.ensureCurrent();
    expect(await redis.get(`${prefix}:pw:near:gen`)).toBe(await db.nearDuplicates.generation());
    expect(await redis.exists(lock)).toBe(0);

    // Held through a long rebuild: the TTL is renewed (a third of it at a time), never lapses.
    const locks = createLocks(redis, prefix);
    let ttlSeen = Number.POSITIVE_INFINITY;
    await locks.withLocks(
      ['renewed'],
      async () => {
        const until = Date.now() + 6_000;
        while (Date.now() < until) {
          ttlSeen = Math.min(ttlSeen, await redis.pttl(`${prefix}:pw:lock:renewed`));
          await new Promise((r) => setTimeout(r, 50));
        }
      },
      { ttlMs: 4_000, renew: true },
    );
    expect(ttlSeen).toBeGreaterThan(0);
    expect(await redis.exists(`${prefix}:pw:lock:renewed`)).toBe(0);
  });
});
