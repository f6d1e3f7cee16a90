// The politeness budget is shared through Redis by every fetcher process: two runtimes (two workers, separate
// connections, one queue prefix and database) fetching six arXiv feeds from one server never send two
// requests to arXiv less than BUDGET_ARXIV_MS apart.
import type { Feed } from '@paperwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMongoUri, uniquePrefix } from '../../../test/support/services.ts';
import { type FeedServer, serve, startFeedServer } from './support/feed-server.ts';
import { arxivPapers, RSS_TYPE, rss } from './support/feeds.ts';
import { type FetcherHarness, startHarness } from './support/harness.ts';

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
});
