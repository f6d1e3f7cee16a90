// storeIngested on the real database and queue: the body is archived once, only new observations are
// inserted, and every observation id goes to a resolve job whose id comes from the batch key, so running
// the same store twice (BullMQ delivers at least once) writes nothing new and queues nothing twice.
import { jobId } from '@paperwire/jobs';
import { createLogger } from '@paperwire/platform';
import type { Runtime } from '@paperwire/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRuntimes } from '../../../test/support/runtime.ts';
import { observationsKey, parseAndNormalise, sha256, storeIngested } from '../src/index.ts';

const quiet = createLogger({ service: 'test', level: 'silent' });
const runtimes = testRuntimes();
let rt: Runtime;

beforeAll(async () => {
  rt = await runtimes.runtime('ingest-store');
});
afterAll(() => runtimes.closeAll());

const feed = { _id: 'web-store-abc123', kind: 'rss', source: 'web' } as const;
const FETCHED_AT = '2026-04-01T00:00:00.000Z';
const rss = (...ns: number[]) =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>Store</title>${ns
    .map(
      (n) =>
        `<item><title>Stored paper ${n} on retrieval</title><link>https://example.org/s/${n}</link>` +
        `<guid>https://example.org/s/${n}</guid></item>`,
    )
    .join('')}</channel></rss>`;
const payload = (body: string) => ({
  url: 'https://example.org/store.xml',
  status: 200,
  headers: { 'content-type': 'application/rss+xml', 'x.dotted': 'left out' },
  body,
  bytes: Buffer.byteLength(body),
});

describe('storeIngested', () => {
  it('archives, inserts the new observations and queues one resolve job per batch key, once', async () => {
    const p = payload(rss(1, 2, 3));
    const parsed = await parseAndNormalise(feed, [p], FETCHED_AT, quiet);
    const key = observationsKey(parsed.observations);

    const store = () => storeIngested(rt, feed._id, [p], parsed.observations, FETCHED_AT, key);
    expect(await store()).toBe(3);
    expect(await store()).toBe(0);

    const archived = await rt.db.payloads.get(sha256(p.body));
    expect(archived).toMatchObject({ feedId: feed._id, body: p.body, fetchedAt: FETCHED_AT });
    expect(archived?.headers).toEqual({ 'content-type': 'application/rss+xml' });
    const ids = parsed.observations.map((o) => o._id);
    expect((await rt.db.observations.getMany(ids)).map((o) => o._id).sort()).toEqual([...ids].sort());

    const resolve = rt.queues.byName.resolve;
    const job = await resolve.getJob(jobId('resolve', feed._id, key, 0));
    expect(job?.data).toEqual({ feedId: feed._id, observationIds: ids });
    expect(await resolve.getJobCounts('waiting', 'delayed', 'prioritized')).toMatchObject({ waiting: 1 });
  });

  it('inserts only what is new when a payload grows', async () => {
    const first = await parseAndNormalise(feed, [payload(rss(10, 11))], FETCHED_AT, quiet);
    const grown = await parseAndNormalise(feed, [payload(rss(10, 11, 12))], FETCHED_AT, quiet);
    const store = (parsed: typeof first, body: string) =>
      storeIngested(
        rt,
        feed._id,
        [payload(body)],
        parsed.observations,
        FETCHED_AT,
        observationsKey(parsed.observations),
      );
    expect(await store(first, rss(10, 11))).toBe(2);
    expect(await store(grown, rss(10, 11, 12))).toBe(1);
  });
});
