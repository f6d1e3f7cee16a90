// `paperwire migrate` on data an earlier version wrote: in the old database (the driver's `test` when the
// URI named none; a name of this file's own here, so parallel test files cannot meet), with ISO strings
// for dates, no top-level signals and signal histories in their own collection. Built through the plain driver, migrated twice.
import { createLogger } from '@paperwire/platform';
import { type Db, MongoClient } from 'mongodb';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { uniqueName, withDatabase } from '../../../test/support/services.ts';
import { connectDatabase, type Database, legacyDatabaseName, MIGRATION_MARKER } from '../src/index.ts';

const log = createLogger({ service: 'test', level: 'warn' });
const legacyName = uniqueName('migrate-old', '_', 'pw');
const targetName = uniqueName('migrate-new', '_', 'pw');
const bare = inject('mongoUri');
const client = new MongoClient(withDatabase(bare, legacyName));
let legacy: Db;
let target: Db;
let db: Database;

const now = new Date(Math.floor(Date.now() / 1000) * 1000);
const iso = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000).toISOString();

const oldPaper = {
  _id: 'arxiv:2612.00042',
  ids: { arxiv: '2612.00042' },
  versions: [{ version: 1, seenAt: iso(600) }],
  title: 'An old paper',
  authors: [],
  categories: ['cs.LG'],
  firstSeenAt: iso(600),
  links: {},
  sightings: [
    {
      feedId: 'arxiv',
      source: 'arxiv',
      entryKey: 'a',
      firstSeenAt: iso(600),
      lastSeenAt: iso(600),
      signals: {},
    },
    {
      feedId: 'hf',
      source: 'huggingface',
      entryKey: 'h',
      firstSeenAt: iso(500),
      lastSeenAt: iso(60),
      signals: { upvotes: 12, comments: 3 },
    },
    {
      feedId: 'hn',
      source: 'hackernews',
      entryKey: 'n',
      firstSeenAt: iso(400),
      lastSeenAt: iso(50),
      signals: { points: 80 },
    },
  ],
  textSource: { rank: 1, version: 1, at: iso(600) },
};

const oldSeries = {
  huggingface: {
    feeds: ['hf'],
    points: [
      { at: iso(500), signals: { upvotes: 2 } },
      { at: iso(60), signals: { upvotes: 12, comments: 3 } },
    ],
  },
};

beforeAll(async () => {
  await client.connect();
  legacy = client.db(legacyName);
  target = client.db(targetName);
  await legacy
    .collection('papers')
    .insertMany([oldPaper, { _id: 'doi:10.1/x', mergedInto: oldPaper._id, mergedAt: iso(30) }] as never[]);
  await legacy.collection('signalseries').insertMany([
    { _id: oldPaper._id, sources: oldSeries },
    {
      _id: 'doi:10.1/x',
      sources: { hackernews: { feeds: ['hn'], points: [{ at: iso(90), signals: { points: 2 } }] } },
    },
    { _id: 'gone:1', sources: {} },
  ] as never[]);
  await legacy
    .collection('aliases')
    .insertOne({ _id: 'arxiv:2612.00042', paperId: oldPaper._id, at: iso(600) } as never);
  await legacy.collection('observations').insertOne({
    _id: 'hf|h|1',
    provenance: { feedId: 'hf', source: 'huggingface', entryKey: 'h', fetchedAt: iso(60) },
    title: 'An old paper',
  } as never);
  await legacy.collection('feeds').insertOne({
    _id: 'hf',
    url: 'https://huggingface.co/api/daily_papers',
    kind: 'hf-daily',
    source: 'huggingface',
    intervalMinutes: 60,
    enabled: true,
    createdAt: iso(1000),
    state: { lastFetchAt: iso(60), etag: 'W/"1"' },
    health: { status: 'ok', consecutiveFailures: 0 },
  } as never);
  await legacy.collection('outbox').insertOne({
    _id: 'paper.created:arxiv:2612.00042',
    type: 'paper.created',
    occurredAt: iso(600),
    data: { paperId: oldPaper._id, firstSeenAt: iso(600) },
    publishedAt: iso(599),
  } as never);
  await legacy.collection('rankingpointers').insertOne({
    _id: '24h.all',
    snapshotId: `24h.all.${Date.parse(iso(5))}`,
    asOf: iso(5),
    history: [{ _id: `24h.all.${Date.parse(iso(5))}`, asOf: iso(5) }],
  } as never);
  await legacy.collection('meta').insertOne({ _id: 'default-feeds-seeded', at: iso(1000) } as never);
  // The new database exists already (a process of the new version connected once): it must not matter.
  db = await connectDatabase(bare, log, { dbName: targetName });
});
afterAll(async () => {
  await db?.close();
  await legacy?.dropDatabase();
  await target?.dropDatabase();
  await client.close();
});

it('an earlier version without a database in the URI wrote to `test`', () => {
  expect(legacyDatabaseName(bare)).toBe('test');
  expect(legacyDatabaseName(withDatabase(bare, 'mine'))).toBe('mine');
});

it('moves the data, converts it, and a second run changes nothing', async () => {
  const first = await db.migrate({ from: legacyName });
  expect(first.movedFrom).toBe(legacyName);
  expect(first.moved).toMatchObject({ papers: 2, aliases: 1, observations: 1, feeds: 1, outbox: 1, meta: 1 });
  expect(first.converted).toMatchObject({ papers: 2, aliases: 1, observations: 1, feeds: 1, outbox: 1 });
  const names = (await legacy.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
  expect(
    names.filter((n) => ['papers', 'aliases', 'feeds', 'meta', 'outbox', 'signalseries'].includes(n)),
  ).toEqual([]);
  // Signal histories moved into their papers (one had no paper: nothing to fold it into), and the retired
  // collection is gone.
  expect(first.folded).toBe(2);
  expect(first.dropped).toContain('signalseries');
  expect(await target.listCollections({ name: 'signalseries' }).toArray()).toEqual([]);

  const before = await target.collection('papers').find({}).sort({ _id: 1 }).toArray();
  const second = await db.migrate({ from: legacyName, force: true });
  expect(second.moved).toEqual({});
  expect(second.folded).toBe(0);
  expect(Object.entries(second.converted).filter(([, n]) => n > 0)).toEqual([]);
  expect(await target.collection('papers').find({}).sort({ _id: 1 }).toArray()).toEqual(before);
  // Without `force`, the marker skips the scans.
  expect((await db.migrate({ from: legacyName })).skipped).toBe(true);
  expect((await target.collection('meta').findOne({ _id: MIGRATION_MARKER as never }))?.at).toBeInstanceOf(
    Date,
  );

  const paper = await target.collection('papers').findOne({ _id: oldPaper._id as never });
  expect(paper?.firstSeenAt).toEqual(new Date(oldPaper.firstSeenAt));
  expect(paper?.sightings[1].lastSeenAt).toBeInstanceOf(Date);
  expect(paper?.versions[0].seenAt).toBeInstanceOf(Date);
  expect(paper?.signals).toEqual({ hackernews: { points: 80 }, huggingface: { upvotes: 12, comments: 3 } });
  const redirect = await target.collection('papers').findOne({ _id: 'doi:10.1/x' as never });
  expect(redirect?.mergedAt).toBeInstanceOf(Date);
  expect(redirect?.signals).toBeUndefined();
  expect(paper?.series.huggingface.points[0].at).toBeInstanceOf(Date);
  expect(redirect?.series.hackernews.points[0].at).toBeInstanceOf(Date);
  expect((await target.collection('aliases').findOne({}))?.at).toBeInstanceOf(Date);
  const feed = await target.collection('feeds').findOne({ _id: 'hf' as never });
  expect(feed?.createdAt).toBeInstanceOf(Date);
  expect(feed?.state.lastFetchAt).toBeInstanceOf(Date);
  expect(feed?.state.etag).toBe('W/"1"');
  const event = await target.collection('outbox').findOne({});
  expect(event?.occurredAt).toBeInstanceOf(Date);
  expect(event?.data.firstSeenAt).toBeInstanceOf(Date);
  const pointer = await target.collection('rankingpointers').findOne({});
  expect(pointer?.history[0].asOf).toBeInstanceOf(Date);

  // The pipeline reads the migrated data as before: ISO strings, no top-level signals.
  expect(await db.papers.getMany([oldPaper._id])).toEqual([oldPaper]);
  expect(await db.papers.getSeries(oldPaper._id)).toEqual(oldSeries);
  expect((await db.feeds.get('hf'))?.state.lastFetchAt).toBe(iso(60));
  expect(await db.rankings.history('24h', 'all')).toEqual([{ _id: pointer?.snapshotId, asOf: iso(5) }]);
  expect(await db.meta.claim('default-feeds-seeded', now.toISOString())).toBe(false);
});
