// `paperwire gc` as a user runs it (the real CLI, a child process) on the run's FerretDB: it deletes the
// relayed outbox events past the grace period and the payloads past their days, keeps the rest, prints the
// counts, and a second run deletes nothing. Dates are derived from this test's clock with margins of days,
// so the CLI's own clock (a moment later) decides the same way on any date and time zone.
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/cli.ts';
import { testMongoUri, testRedisUrl, uniquePrefix } from '../../../test/support/services.ts';

const DAY = 24 * 3_600_000;
const now = Date.now();
const ago = (ms: number) => new Date(now - ms).toISOString();
let mongo: MongoClient;
const env: Record<string, string> = {
  MONGODB_URI: '',
  REDIS_URL: '',
  PAPERWIRE_QUEUE_PREFIX: uniquePrefix('cli-gc'),
  PAPERWIRE_SEED_DEFAULT_FEEDS: 'false',
  PAYLOAD_RETENTION_DAYS: '10',
  OUTBOX_GRACE_HOURS: '24',
  LOG_LEVEL: 'warn',
};

interface GcJson {
  deleted: { outbox: number; payloads: number; rankings: number };
  cutoffs: Record<string, string>;
}

beforeAll(async () => {
  env.MONGODB_URI = testMongoUri('cli-gc');
  env.REDIS_URL = testRedisUrl();
  mongo = await new MongoClient(env.MONGODB_URI).connect();
  const db = mongo.db();
  const event = (id: string, publishedAt?: string) => ({
    _id: id,
    type: 'paper.created',
    version: 1,
    occurredAt: ago(5 * DAY),
    data: {},
    ...(publishedAt ? { publishedAt } : {}),
  });
  await db
    .collection('outbox')
    .insertMany([
      event('paper.created:a', ago(3 * DAY)),
      event('paper.created:b', ago(2 * DAY)),
      event('paper.created:recent', ago(DAY / 4)),
      event('paper.created:unrelayed'),
    ] as never[]);
  const payload = (id: string, fetchedAt: string) => ({ _id: id, feedId: 'f', fetchedAt, bytes: 1 });
  await db
    .collection('payloads')
    .insertMany([payload('old', ago(12 * DAY)), payload('recent', ago(8 * DAY))] as never[]);
});
afterAll(async () => {
  await mongo?.db().dropDatabase();
  await mongo?.close();
});

const ids = async (collection: string) =>
  (await mongo.db().collection(collection).find({}).toArray()).map((d) => String(d._id)).sort();

describe('paperwire gc', () => {
  it('deletes what retention no longer keeps, then nothing', async () => {
    const first = await runCli(['gc', '--json'], env);
    expect(first.code, first.stderr).toBe(0);
    expect((JSON.parse(first.stdout) as GcJson).deleted).toEqual({ outbox: 2, payloads: 1, rankings: 0 });
    expect(await ids('outbox')).toEqual(['paper.created:recent', 'paper.created:unrelayed']);
    expect(await ids('payloads')).toEqual(['recent']);

    const second = await runCli(['gc'], env);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/outbox \(relayed events\)\s+0/);
    expect(second.stdout).toMatch(/payloads\s+0/);
  });

  it('--help says what is deleted and which settings decide', async () => {
    const help = await runCli(['gc', '--help'], env);
    expect(help.code).toBe(0);
    for (const setting of [
      'OUTBOX_GRACE_HOURS',
      'PAYLOAD_RETENTION_DAYS',
      'SNAPSHOT_RETENTION_DAYS',
      'GC_EVERY_MINUTES',
    ])
      expect(help.stdout).toContain(setting);
  });

  it('refuses a setting out of bounds, naming it', async () => {
    const res = await runCli(['gc'], { ...env, PAYLOAD_RETENTION_DAYS: '0' });
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain('PAYLOAD_RETENTION_DAYS');
  });
});
