// `paperwire near-index rebuild` through the real CLI: indexes every current paper (not redirects) under a new
// generation that Redis and `meta` then agree on.
/// <reference path="../../../test/setup/global-setup.ts" />
import { Redis } from 'ioredis';
import { MongoClient } from 'mongodb';
import { afterAll, expect, it } from 'vitest';
import { runCli } from '../../../test/support/cli.ts';
import { testMongoUri, testRedisUrl, uniquePrefix } from '../../../test/support/services.ts';

const uri = testMongoUri('cli-near-index');
const prefix = uniquePrefix('cli-near-index');
const env = {
  MONGODB_URI: uri,
  REDIS_URL: testRedisUrl(),
  PAPERWIRE_QUEUE_PREFIX: prefix,
  PAPERWIRE_SEED_DEFAULT_FEEDS: 'false',
};
const client = new MongoClient(uri);
const redis = new Redis(testRedisUrl());
afterAll(async () => {
  await client.db().dropDatabase();
  await client.close();
  redis.disconnect();
});

it('rebuilds the index from the current papers under a new generation', async () => {
  const seenAt = new Date(Date.now() - 3_600_000);
  const papers = client.db().collection('papers');
  await papers.insertMany([
    {
      _id: 'arxiv:2612.00901' as never,
      ids: { arxiv: '2612.00901' },
      versions: [],
      title: 'Sparse causal models for protein folding at scale',
      authors: [{ name: 'Ada Lovelace', key: 'a lovelace' }],
      categories: ['cs.LG'],
      firstSeenAt: seenAt,
      links: {},
      sightings: [],
    },
    { _id: 'doi:10.1000/gone' as never, mergedInto: 'arxiv:2612.00901', mergedAt: seenAt },
  ]);

  const run = await runCli(['near-index', 'rebuild', '--json'], env);
  expect(run.code, run.stderr).toBe(0);
  const report = JSON.parse(run.stdout) as { papers: number; generation: string };
  expect(report.papers).toBe(1);
  expect(await redis.get(`${prefix}:pw:near:gen`)).toBe(report.generation);
  const meta = await client
    .db()
    .collection('meta')
    .findOne({ _id: 'near-index.generation' as never });
  expect(meta?.value).toBe(report.generation);
  const variants = await redis.keys(`${prefix}:pw:near:e:*`);
  const fields = (await Promise.all(variants.map((k) => redis.hkeys(k)))).flat();
  expect(fields).toEqual(['arxiv:2612.00901']);

  const again = await runCli(['near-index', 'rebuild', '--json'], env);
  expect(again.code, again.stderr).toBe(0);
  expect((JSON.parse(again.stdout) as { generation: string }).generation).not.toBe(report.generation);
}, 120_000);
