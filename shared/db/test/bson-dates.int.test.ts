// Every timestamp is stored as a BSON date (what a reader with its own driver sees), and the repositories
// hand back the same ISO-8601 strings the rest of the pipeline uses.

import { gunzipSync } from 'node:zlib';
import type { Feed, Observation, Paper, PaperwireEvent } from '@paperwire/core';
import { createLogger } from '@paperwire/platform';
import { type Binary, type Db, MongoClient } from 'mongodb';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { storedObservations } from '../../../test/support/observations.ts';
import { rankingSnapshot } from '../../../test/support/rankings.ts';
import { testMongoUri } from '../../../test/support/services.ts';
import { connectDatabase, type Database } from '../src/index.ts';

const log = createLogger({ service: 'test', level: 'warn' });
const uri = testMongoUri('db-bson-dates');
let db: Database;
let client: MongoClient;
let raw: Db;
// Whole milliseconds: what `toISOString` gives back after a round trip through a BSON date.
const now = new Date(Math.floor(Date.now() / 1000) * 1000);
const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000).toISOString();

beforeAll(async () => {
  db = await connectDatabase(uri, log);
  client = await new MongoClient(uri).connect();
  raw = client.db();
});
afterAll(async () => {
  await db?.close();
  await raw?.dropDatabase();
  await client?.close();
});

const paper = (id: string, firstSeenAt: string): Paper => ({
  _id: id,
  ids: { arxiv: id.slice('arxiv:'.length) },
  versions: [{ version: 1, seenAt: firstSeenAt }],
  title: `Paper ${id}`,
  authors: [],
  categories: ['cs.LG'],
  firstSeenAt,
  links: {},
  sightings: [
    {
      feedId: 'hf',
      source: 'huggingface',
      entryKey: id,
      firstSeenAt,
      lastSeenAt: firstSeenAt,
      signals: { upvotes: 3 },
    },
  ],
  textSource: { rank: 1, version: 1, at: firstSeenAt },
});

it('papers, aliases and observations: dates in the database, ISO strings out', async () => {
  const p = paper('arxiv:2612.00001', at(30));
  await db.papers.putMany([p, paper('arxiv:2612.00002', at(90))], new Set(['arxiv:2612.00001']), new Map());
  await db.papers.pointAliases(new Map([['arxiv:2612.00001', p._id]]), at(30));
  const stored = await raw.collection('papers').findOne({ _id: p._id as never });
  expect(stored?.firstSeenAt).toBeInstanceOf(Date);
  expect(stored?.versions[0].seenAt).toBeInstanceOf(Date);
  expect(stored?.sightings[0].lastSeenAt).toBeInstanceOf(Date);
  expect(stored?.textSource.at).toBeInstanceOf(Date);
  // The current signals by source sit at the top level, written with the sightings; reads leave them out.
  expect(stored?.signals).toEqual({ huggingface: { upvotes: 3 } });
  expect((await raw.collection('aliases').findOne({ _id: p._id as never }))?.at).toBeInstanceOf(Date);
  expect(await db.papers.getMany([p._id])).toEqual([p]);
  // A date range on the listing compares dates with dates.
  expect((await db.papers.list({ since: at(60), limit: 10 })).map((x) => x._id)).toEqual([p._id]);
  expect((await db.papers.list({ until: at(60), limit: 10 })).map((x) => x._id)).toEqual([
    'arxiv:2612.00002',
  ]);
  // A day without a time (the API accepts one) is a date too.
  const tomorrow = new Date(now.getTime() + 86_400_000).toISOString().slice(0, 10);
  expect(await db.papers.list({ since: tomorrow, limit: 10 })).toEqual([]);
  expect(await db.papers.list({ until: tomorrow, limit: 10 })).toHaveLength(2);
  // Keyset pages: the cursor's instant compares as a date.
  const [head] = await db.papers.list({ limit: 1 });
  const next = await db.papers.list({ limit: 10, after: { firstSeenAt: head!.firstSeenAt, id: head!._id } });
  expect(next.map((x) => x._id)).toEqual(['arxiv:2612.00002']);

  const obs = {
    _id: 'hf|x|1',
    provenance: { feedId: 'hf', source: 'huggingface', entryKey: 'x', fetchedAt: at(5) },
    publishedAt: at(600),
  } as unknown as Observation;
  await db.observations.insertNew([obs]);
  const storedObs = await raw.collection('observations').findOne({ _id: obs._id as never });
  expect(storedObs?.provenance.fetchedAt).toBeInstanceOf(Date);
  // The rest of the entry is compressed JSON (its timestamps ISO strings inside it).
  expect(storedObs?.publishedAt).toBeUndefined();
  const [decoded] = await storedObservations(raw, { _id: obs._id as never });
  expect(decoded?.publishedAt).toBe(obs.publishedAt);
  expect(await db.observations.getMany([obs._id])).toEqual([obs]);
  // One an earlier version stored as a document, dates as BSON dates, is read as it was.
  await raw.collection('observations').insertOne({
    _id: 'hf|old|1',
    provenance: { feedId: 'hf', source: 'huggingface', entryKey: 'old', fetchedAt: new Date(at(7)) },
    publishedAt: new Date(at(700)),
  } as never);
  expect(await db.observations.getMany(['hf|old|1'])).toEqual([
    {
      _id: 'hf|old|1',
      provenance: { feedId: 'hf', source: 'huggingface', entryKey: 'old', fetchedAt: at(7) },
      publishedAt: at(700),
    },
  ]);
});

it('feeds, outbox, rankings, api keys and meta markers', async () => {
  const feed = {
    _id: 'bson-feed',
    url: 'https://example.org/bson.xml',
    kind: 'rss',
    source: 'arxiv',
    intervalMinutes: 60,
    enabled: true,
    createdAt: at(100),
    state: {},
    health: { status: 'new', consecutiveFailures: 0 },
  } as unknown as Feed;
  await db.feeds.insertIfAbsent(feed);
  await db.feeds.recordFailure(feed._id, {
    errorClass: 'http' as never,
    message: 'down',
    at: at(10),
    nextCheckAt: at(-10),
  });
  const storedFeed = await raw.collection('feeds').findOne({ _id: feed._id as never });
  expect(storedFeed?.createdAt).toBeInstanceOf(Date);
  expect(storedFeed?.state.lastFetchAt).toBeInstanceOf(Date);
  expect(storedFeed?.health.lastError.at).toBeInstanceOf(Date);
  const read = await db.feeds.get(feed._id);
  expect(read?.createdAt).toBe(at(100));
  expect(read?.state.nextCheckAt).toBe(at(-10));

  const event = { id: 'bson.event', type: 'paper.created', occurredAt: at(1), data: { firstSeenAt: at(2) } };
  await db.outbox.insertIfAbsent([event as unknown as PaperwireEvent]);
  await db.outbox.markPublished(event.id, at(0));
  const storedEvent = await raw.collection('outbox').findOne({ _id: event.id as never });
  expect(storedEvent?.occurredAt).toBeInstanceOf(Date);
  expect(storedEvent?.publishedAt).toBeInstanceOf(Date);
  // The event's data is compressed JSON, as the event carries it (its timestamps ISO strings).
  expect(storedEvent?.data).toBeUndefined();
  expect(JSON.parse(gunzipSync((storedEvent!.dataGz as Binary).buffer).toString('utf8'))).toEqual(event.data);
  expect(await db.outbox.getMany([event.id])).toEqual([{ ...event, publishedAt: at(0) }]);
  // One an earlier version stored with its data as a document, dates as BSON dates, is read as it was.
  await raw.collection('outbox').insertOne({
    _id: 'bson.old-event',
    type: 'paper.created',
    occurredAt: new Date(at(5)),
    data: { firstSeenAt: new Date(at(6)) },
  } as never);
  expect(await db.outbox.getMany(['bson.old-event'])).toEqual([
    { id: 'bson.old-event', type: 'paper.created', occurredAt: at(5), data: { firstSeenAt: at(6) } },
  ]);

  const snapshot = rankingSnapshot('24h', 'all', at(3), ['arxiv:2612.00001']);
  await db.rankings.publish(snapshot);
  expect((await raw.collection('rankings').findOne({ _id: snapshot._id as never }))?.asOf).toBeInstanceOf(
    Date,
  );
  const pointer = await raw.collection('rankingpointers').findOne({ _id: '24h.all' as never });
  expect(pointer?.asOf).toBeInstanceOf(Date);
  expect(pointer?.history[0].asOf).toBeInstanceOf(Date);
  expect((await db.rankings.get(snapshot._id))?.asOf).toBe(snapshot.asOf);
  expect(await db.rankings.history('24h', 'all')).toEqual([{ _id: snapshot._id, asOf: snapshot.asOf }]);

  const { record } = await db.apiKeys.create('bson', ['read'], now);
  expect((await raw.collection('apikeys').findOne({}))?.createdAt).toBeInstanceOf(Date);
  expect(record.createdAt).toBe(now.toISOString());
  expect((await db.apiKeys.list())[0]?.createdAt).toBe(now.toISOString());

  await db.meta.claim('bson-marker', at(0));
  expect((await raw.collection('meta').findOne({ _id: 'bson-marker' as never }))?.at).toBeInstanceOf(Date);
});
