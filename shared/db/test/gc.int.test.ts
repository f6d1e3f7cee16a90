// Retention against the real database: old records go, recent ones stay, unrelayed outbox events and
// observations always stay, each board keeps its current snapshot (and its outbox marker), and a second run
// deletes nothing. Every date is derived from this test's clock (`now`), so it passes on any date.
import type { PaperwireEvent } from '@paperwire/core';
import { createLogger, metrics, type RetentionSettings } from '@paperwire/platform';
import { type Db, MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rankingSnapshot } from '../../../test/support/rankings.ts';
import { testMongoUri } from '../../../test/support/services.ts';
import { collectGarbage, connectDatabase, type Database } from '../src/index.ts';
import { currentSnapshotMarker } from '../src/repositories/retention.ts';

const log = createLogger({ service: 'test', level: 'warn' });
const uri = testMongoUri('db-gc');
let db: Database;
let client: MongoClient;
let raw: Db;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const now = new Date();
const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();
const settings: RetentionSettings = {
  payloadRetentionDays: 30,
  outboxGraceHours: 24,
  snapshotRetentionDays: 7,
  batchSize: 4,
};

const event = (id: string, occurredAt: string): PaperwireEvent =>
  ({ id, type: 'paper.created', version: 1, occurredAt, data: {} }) as unknown as PaperwireEvent;

const ids = async (collection: string) =>
  (
    await raw
      .collection(collection)
      .find({}, { projection: { _id: 1 } })
      .toArray()
  )
    .map((d) => String(d._id))
    .sort();

const deletedMetric = async (collection: string) =>
  (await metrics.gcDeleted.get()).values.find((v) => v.labels.collection === collection)?.value ?? 0;

beforeAll(async () => {
  db = await connectDatabase(uri, log);
  client = await new MongoClient(uri).connect();
  raw = client.db();

  // Outbox: 10 relayed two days ago (several delete batches), one relayed an hour ago, one never relayed.
  const old = Array.from({ length: 10 }, (_, i) => event(`paper.created:old${i}`, ago(3 * DAY)));
  await db.outbox.insertIfAbsent([
    ...old,
    event('paper.created:recent', ago(2 * HOUR)),
    event('paper.created:unrelayed', ago(40 * DAY)),
  ]);
  for (const e of old) await db.outbox.markPublished(e.id, ago(2 * DAY));
  await db.outbox.markPublished('paper.created:recent', ago(HOUR));

  // Payloads: fetched 31 days ago (go) and 29 days ago (stay).
  const payload = (id: string, fetchedAt: string) => ({
    _id: id,
    feedId: 'f1',
    url: 'https://example.org/feed',
    status: 200,
    headers: {},
    fetchedAt,
    bytes: 5,
    body: 'hello',
  });
  await db.payloads.archive(payload('old-payload', ago(31 * DAY)));
  await db.payloads.archive(payload('recent-payload', ago(29 * DAY)));

  // Rankings: board `24h.all` published 10, 9 and 1 day ago (the first two go); board `7d.all` last
  // published 20 days ago (its current snapshot stays, with the marker of its events, the older one goes).
  for (const days of [10, 9, 1])
    await db.rankings.publish(rankingSnapshot('24h', 'all', ago(days * DAY), ['p1']));
  for (const days of [21, 20])
    await db.rankings.publish(rankingSnapshot('7d', 'all', ago(days * DAY), ['p1']));
  const staleCurrent = (await db.rankings.currentId('7d', 'all'))!;
  await db.outbox.insertIfAbsent([event(currentSnapshotMarker(staleCurrent), ago(20 * DAY))]);
  await db.outbox.markPublished(currentSnapshotMarker(staleCurrent), ago(20 * DAY));
  // Unlisted snapshots (a crash, a race) are rankings.sweep's (the periodic re-score): gc leaves them.
  await raw.collection('rankings').insertOne({ _id: 'orphan-old', asOf: ago(8 * DAY) } as never);
  await raw.collection('rankings').insertOne({ _id: 'orphan-recent', asOf: ago(HOUR) } as never);

  // Observations are never deleted, however old.
  await raw.collection('observations').insertOne({ _id: 'f1|e1|h1', fetchedAt: ago(400 * DAY) } as never);
});
afterAll(async () => {
  await raw?.dropDatabase();
  await db?.close();
  await client?.close();
});

describe('collectGarbage', () => {
  it('deletes old records, keeps recent ones, unrelayed events, current snapshots and observations', async () => {
    const before = {
      outbox: await deletedMetric('outbox'),
      payloads: await deletedMetric('payloads'),
      rankings: await deletedMetric('rankings'),
    };
    const staleCurrent = (await db.rankings.currentId('7d', 'all'))!;
    const current24h = (await db.rankings.currentId('24h', 'all'))!;

    const result = await collectGarbage(db, settings, now, log);

    expect(result.deleted).toEqual({ outbox: 10, payloads: 1, rankings: 3 });
    expect(result.cutoffs.eventsPublishedBefore).toBe(ago(24 * HOUR));
    expect(await ids('outbox')).toEqual(
      ['paper.created:recent', 'paper.created:unrelayed', currentSnapshotMarker(staleCurrent)].sort(),
    );
    expect(await ids('payloads')).toEqual(['recent-payload']);
    // What stays is stored gzipped (the body is not kept as text beside it).
    const kept = await raw.collection('payloads').findOne({ _id: 'recent-payload' } as never);
    expect(kept?.bodyGzip).toBeDefined();
    expect(kept?.body).toBeUndefined();
    expect(await db.payloads.get('recent-payload')).toMatchObject({ body: 'hello' });
    expect(await ids('rankings')).toEqual([current24h, staleCurrent, 'orphan-old', 'orphan-recent'].sort());
    expect(await ids('observations')).toEqual(['f1|e1|h1']);
    // Histories list only what is kept; the boards still answer.
    expect((await db.rankings.history('24h', 'all')).map((h) => h._id)).toEqual([current24h]);
    expect((await db.rankings.history('7d', 'all')).map((h) => h._id)).toEqual([staleCurrent]);
    expect((await db.rankings.current('7d', 'all'))?._id).toBe(staleCurrent);
    // Metrics: documents deleted per collection.
    expect((await deletedMetric('outbox')) - before.outbox).toBe(10);
    expect((await deletedMetric('payloads')) - before.payloads).toBe(1);
    expect((await deletedMetric('rankings')) - before.rankings).toBe(3);
  });

  it('running it again deletes nothing', async () => {
    const kept = {
      outbox: await ids('outbox'),
      payloads: await ids('payloads'),
      rankings: await ids('rankings'),
    };
    const result = await collectGarbage(db, settings, now, log);
    expect(result.deleted).toEqual({ outbox: 0, payloads: 0, rankings: 0 });
    expect({
      outbox: await ids('outbox'),
      payloads: await ids('payloads'),
      rankings: await ids('rankings'),
    }).toEqual(kept);
  });

  it('judges times stored as BSON dates the same as ISO strings', async () => {
    const at = (ms: number) => new Date(now.getTime() - ms);
    await raw.collection('outbox').insertMany([
      { _id: 'paper.created:dated-old', publishedAt: at(2 * DAY) },
      { _id: 'paper.created:dated-recent', publishedAt: at(HOUR) },
    ] as never[]);
    await raw.collection('payloads').insertMany([
      { _id: 'dated-old', feedId: 'f1', fetchedAt: at(31 * DAY) },
      { _id: 'dated-recent', feedId: 'f1', fetchedAt: at(29 * DAY) },
    ] as never[]);
    const result = await collectGarbage(db, settings, now, log);
    expect(result.deleted).toEqual({ outbox: 1, payloads: 1, rankings: 0 });
    expect(await ids('outbox')).toContain('paper.created:dated-recent');
    expect(await ids('outbox')).not.toContain('paper.created:dated-old');
    expect(await ids('payloads')).toEqual(['dated-recent', 'recent-payload']);
  });

  it('a pass reads a bounded number of ids and the next pass continues', async () => {
    const many = Array.from({ length: 23 }, (_, i) => event(`paper.created:many${i}`, ago(3 * DAY)));
    await db.outbox.insertIfAbsent(many);
    for (const e of many) await db.outbox.markPublished(e.id, ago(3 * DAY));
    const cutoff = new Date(now.getTime() - DAY);
    const deleted = await db.retention.deleteRelayedEvents(cutoff, { batchSize: 4, maxPerPass: 5 });
    expect(deleted).toBe(23);
    expect(await db.retention.deleteRelayedEvents(cutoff, { batchSize: 4, maxPerPass: 5 })).toBe(0);
  });
});
