// Politeness is shared through Redis by every fetcher process: two runtimes (two workers, separate
// connections, one queue prefix and database) fetching six arXiv feeds from one server never send two
// requests to arXiv less than BUDGET_ARXIV_MS apart; a 429 with Retry-After that one process got holds the
// other process's requests to arXiv back until it ends; and the bucket lets a burst through at once.
import type { Feed } from '@paperwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMongoUri, uniquePrefix } from '../../../test/support/services.ts';
import { createPoliteness } from '../src/index.ts';
import { type FeedServer, serve, startFeedServer } from './support/feed-server.ts';
import { arxivPapers, RSS_TYPE, rss } from './support/feeds.ts';
import { type FetcherHarness, startHarness, waitUntil } from './support/harness.ts';

const BUDGET_MS = 300;
/**
 * Arrival times are measured at the server: a request leaves at its reserved slot plus the Redis round trip
 * and timer lateness, so a late one shortens the gap after it (seen: 261 ms, then 309 ms, and a first request 67 ms late, with the other
 * integration files running on two cores). The budget spaces the slots; this allows for that jitter only.
 */
const TOLERANCE_MS = 100;
const CATEGORIES = ['cs.AI', 'cs.CL', 'cs.CV', 'cs.LG', 'cs.RO', 'stat.ML'];

describe('politeness across fetcher processes', () => {
  let server: FeedServer;
  let a: FetcherHarness;
  let b: FetcherHarness;
  const processedBy = { a: 0, b: 0 };

  beforeAll(async () => {
    server = await startFeedServer();
    const shared = {
      mongoUri: testMongoUri('fetcher-politeness'),
      prefix: uniquePrefix('fetcher-politeness'),
      env: { BUDGET_ARXIV_MS: String(BUDGET_MS), FETCH_CONCURRENCY: '2' },
    };
    a = await startHarness('fetcher-politeness', shared);
    b = await startHarness('fetcher-politeness', shared);
    a.worker.on('completed', () => {
      processedBy.a += 1;
    });
    b.worker.on('completed', () => {
      processedBy.b += 1;
    });
  });

  afterAll(async () => {
    await a?.close({ dropData: false });
    await b?.close();
    await server?.close();
  });

  it(`keeps every two requests to arXiv at least ${BUDGET_MS} ms apart, whichever worker sends them`, async () => {
    const feeds: Feed[] = [];
    for (const [i, category] of CATEGORIES.entries()) {
      const path = `/rss/${category}`;
      const body = rss(`${category} updates on arXiv.org`, arxivPapers(category, 2, 100 * (i + 1)));
      feeds.push(
        await a.addFeed({
          url: server.route(path, serve(body, { 'content-type': RSS_TYPE })),
          kind: 'arxiv-rss',
        }),
      );
    }
    expect(new Set(feeds.map((f) => f.source))).toEqual(new Set(['arxiv']));

    // Round 1 opens each process's connection and loads the budget script; round 2 is measured, so the
    // gaps show the budget rather than one cold request's connect time.
    const round = async (outcome: string) => {
      const before = { a: processedBy.a, b: processedBy.b };
      server.requests.length = 0;
      const ids = await Promise.all(feeds.map((f) => a.registry.fetchNow(f._id, 'manual', new Date())));
      for (const id of ids) {
        const job = await a.waitForJob(id, ['completed', 'failed'], 15_000);
        expect(job.returnvalue).toMatchObject({ outcome });
      }
      return { a: processedBy.a - before.a, b: processedBy.b - before.b };
    };
    await round('stored');
    const measured = await round('unchanged');

    // Both processes took part, so the spacing below is the shared budget's doing, not one worker's queue.
    expect(measured.a + measured.b).toBe(CATEGORIES.length);
    expect(measured.a).toBeGreaterThan(0);
    expect(measured.b).toBeGreaterThan(0);

    const times = server.requests.map((r) => r.at).sort((x, y) => x - y);
    expect(times).toHaveLength(CATEGORIES.length);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(BUDGET_MS - TOLERANCE_MS);
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(
      (CATEGORIES.length - 1) * BUDGET_MS - TOLERANCE_MS,
    );
  });

  it('a 429 with Retry-After that one process got pauses arXiv for the other process too', async () => {
    const RETRY_AFTER_S = 2;
    const feeds: Feed[] = [];
    for (const [i, category] of ['q-bio.NC', 'q-bio.GN', 'q-bio.QM'].entries()) {
      const path = `/paused/${category}`;
      const body = rss(`${category} updates on arXiv.org`, arxivPapers(category, 2, 500 + 10 * i));
      let calls = 0;
      const route =
        i === 0
          ? (_req: unknown, res: import('node:http').ServerResponse) => {
              calls += 1;
              if (calls === 1) res.writeHead(429, { 'retry-after': String(RETRY_AFTER_S) }).end('slow down');
              else res.writeHead(200, { 'content-type': RSS_TYPE }).end(body);
            }
          : serve(body, { 'content-type': RSS_TYPE });
      feeds.push(await a.addFeed({ url: server.route(path, route), kind: 'arxiv-rss' }));
    }
    const [limited, ...siblings] = feeds as [Feed, Feed, Feed];
    server.requests.length = 0;

    // Process a alone takes the first feed's job and gets the 429.
    await b.worker.pause();
    const limitedJob = await a.registry.fetchNow(limited._id, 'manual', new Date());
    // The job may first be deferred for a token (the bucket is shared with the test before): what counts is
    // that its request reaches the server and is answered 429, then that the job is deferred again.
    await waitUntil(
      async () => server.requestsTo(`/paused/q-bio.NC`).length > 0,
      15_000,
      () => 'the limited feed to be requested',
    );
    await a.waitForJob(limitedJob, ['delayed', 'failed', 'completed']);
    const [first] = server.requestsTo(`/paused/q-bio.NC`);
    expect(first).toBeDefined();

    // Process b alone takes the other feeds' jobs while the pause runs: they wait, unfailed.
    await a.worker.pause();
    b.worker.resume();
    const siblingJobs = await Promise.all(
      siblings.map((f) => a.registry.fetchNow(f._id, 'manual', new Date())),
    );
    const fetchQueue = a.rt.queues.byName.fetch;
    await waitUntil(
      async () => {
        const states = await Promise.all(siblingJobs.map((id) => fetchQueue.getJobState(id)));
        return states.every((s) => s === 'delayed' || s === 'completed');
      },
      10_000,
      () => 'the sibling jobs to be deferred',
    );
    a.worker.resume();

    for (const id of [limitedJob, ...siblingJobs]) {
      const job = await a.waitForJob(id, ['completed', 'failed'], 15_000);
      expect(job.returnvalue).toMatchObject({ outcome: 'stored', entries: 2 });
    }
    // 0 requests to arXiv between the 429 and its Retry-After; every feed stored once afterwards.
    const later = server.requests.filter((r) => r !== first);
    expect(later.map((r) => r.path).sort()).toEqual(feeds.map((f) => new URL(f.url).pathname).sort());
    for (const r of later) expect(r.at - first!.at).toBeGreaterThanOrEqual(RETRY_AFTER_S * 1000);
    for (const f of feeds) expect(await a.observationCount(f._id)).toBe(2);
  });

  it('the bucket lets BURST requests through at once, then one per interval, in every process', async () => {
    const config = { ...a.config, BUDGET_REDDIT_MS: 5_000, BURST_REDDIT: 3 };
    const inA = createPoliteness(a.rt.redis, a.rt.prefix, config);
    const inB = createPoliteness(b.rt.redis, b.rt.prefix, config);
    const url = 'https://www.reddit.com/r/MachineLearning/new.json';
    const takes = [
      await inA.take('reddit', url),
      await inB.take('reddit', url),
      await inA.take('reddit', url),
    ];
    expect(takes).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    const fourth = await inB.take('reddit', url);
    expect(fourth).toMatchObject({ ok: false, paused: false });
    // The next token is one interval after the first, less the time the three takes took.
    expect(fourth.ok ? 0 : fourth.waitMs).toBeGreaterThan(0);
    expect(fourth.ok ? 0 : fourth.waitMs).toBeLessThanOrEqual(5_000);
    // A refused take spends nothing: still refused, still waiting for the same token.
    expect(await inA.take('reddit', url)).toMatchObject({ ok: false });
    // Another service's bucket is its own.
    expect(await inA.take('hackernews', 'https://hn.algolia.com/api/v1/search')).toEqual({ ok: true });
    await inA.pause('hackernews', 'https://hn.algolia.com/api/v1/search', 60_000);
    expect(await inB.take('hackernews', 'https://hn.algolia.com/api/v1/search_by_date')).toMatchObject({
      ok: false,
      paused: true,
    });
  });
});
