// `paperwire migrate` through the real CLI: moves an earlier version's data (string dates, no top-level
// signals) out of its old database into MONGODB_DB, reports progress on stderr as pino JSON and the
// summary on stdout; a second run moves and converts nothing.
/// <reference path="../../../test/setup/global-setup.ts" />
import { MongoClient } from 'mongodb';
import { afterAll, expect, inject, it } from 'vitest';
import { runCli } from '../../../test/support/cli.ts';
import { testRedisUrl, uniqueName, uniquePrefix, withDatabase } from '../../../test/support/services.ts';

const legacyName = uniqueName('cli-migrate-old', '_', 'pw');
const targetName = uniqueName('cli-migrate-new', '_', 'pw');
// No database in the URI: MONGODB_DB chooses it, as in a deployment that relied on the old default.
const bare = inject('mongoUri');
const env = {
  MONGODB_URI: bare,
  MONGODB_DB: targetName,
  REDIS_URL: testRedisUrl(),
  PAPERWIRE_QUEUE_PREFIX: uniquePrefix('cli-migrate'),
  PAPERWIRE_SEED_DEFAULT_FEEDS: 'false',
};
const client = new MongoClient(withDatabase(bare, legacyName));
afterAll(async () => {
  await client.db(legacyName).dropDatabase();
  await client.db(targetName).dropDatabase();
  await client.close();
});

it('moves and converts once, then finds nothing to do', async () => {
  const seenAt = new Date(Math.floor(Date.now() / 1000) * 1000 - 3_600_000).toISOString();
  await client
    .db(legacyName)
    .collection('papers')
    .insertOne({
      _id: 'arxiv:2612.00777',
      ids: { arxiv: '2612.00777' },
      versions: [],
      title: 'Old',
      authors: [],
      categories: [],
      firstSeenAt: seenAt,
      links: {},
      sightings: [
        {
          feedId: 'hf',
          source: 'huggingface',
          entryKey: 'x',
          firstSeenAt: seenAt,
          lastSeenAt: seenAt,
          signals: { upvotes: 5 },
        },
      ],
      textSource: { rank: 1, version: 1, at: seenAt },
    } as never);

  // Title buckets of an earlier version: the index lives in Redis now, the collection goes.
  await client
    .db(targetName)
    .collection('nearkeys')
    .insertOne({ _id: 'lsh:0:00' as never, entries: [] });

  const first = await runCli(['migrate', '--from', legacyName, '--json'], env);
  expect(first.code, first.stderr).toBe(0);
  expect(JSON.parse(first.stdout)).toMatchObject({
    database: targetName,
    movedFrom: legacyName,
    moved: { papers: 1 },
    converted: { papers: 1 },
    dropped: ['nearkeys'],
  });
  expect(await client.db(targetName).listCollections({ name: 'nearkeys' }).toArray()).toEqual([]);
  const progress = first.stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { msg: string; collection?: string; step?: string });
  expect(progress).toContainEqual(
    expect.objectContaining({ msg: 'migrate: moved a collection', collection: 'papers' }),
  );
  expect(progress).toContainEqual(expect.objectContaining({ msg: 'migrate: done', step: 'done' }));

  const paper = await client.db(targetName).collection('papers').findOne({});
  expect(paper?.firstSeenAt).toEqual(new Date(seenAt));
  expect(paper?.signals).toEqual({ huggingface: { upvotes: 5 } });
  expect(await client.db(legacyName).collection('papers').countDocuments()).toBe(0);

  const second = await runCli(['migrate', '--from', legacyName, '--json'], env);
  expect(second.code, second.stderr).toBe(0);
  const report = JSON.parse(second.stdout) as {
    moved: object;
    converted: Record<string, number>;
    dropped: string[];
  };
  expect(report.moved).toEqual({});
  expect(report).toMatchObject({ dropped: [] });
  expect(Object.entries(report.converted).filter(([, n]) => n > 0)).toEqual([]);
}, 120_000);
