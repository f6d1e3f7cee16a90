// A feed's cadence through the real worker, Redis and FerretDB: the typical gap between fetches that
// brought new entries, and `quiet` once none came for much longer than that. Time moves through the
// fetch job's injected clock, not by waiting.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FeedServer, startFeedServer } from './support/feed-server.ts';
import { papers, RSS_TYPE, rss } from './support/feeds.ts';
import { type FetcherHarness, startHarness } from './support/harness.ts';

const HOUR = 3_600_000;
const t0 = Date.parse('2026-11-29T06:00:00Z');
const hoursAfter = (hours: number) => new Date(t0 + hours * HOUR);

let h: FetcherHarness;
let server: FeedServer;
let clock = hoursAfter(0);

beforeAll(async () => {
  server = await startFeedServer();
  h = await startHarness('fetcher-cadence', { now: () => clock });
});

afterAll(async () => {
  await h?.close();
  await server?.close();
});

describe('feed cadence', () => {
  it('learns the gap between new entries, turns quiet after 3 gaps without any, and recovers', async () => {
    let count = 2;
    const url = server.route('/hourly', (_req, res) =>
      res.writeHead(200, { 'content-type': RSS_TYPE }).end(rss('hourly feed', papers('hourly', count))),
    );
    const feed = await h.addFeed({ url, kind: 'rss', intervalMinutes: 15 });
    /** Fetches at `hours` after t0 and returns the feed's health afterwards. */
    const fetchAt = async (hours: number) => {
      clock = hoursAfter(hours);
      await h.fetchOnce(feed._id);
      return (await h.feed(feed._id)).health;
    };

    // New entries every hour: the first fetch has no gap yet, then the typical gap is an hour.
    expect(await fetchAt(0)).toMatchObject({ lastNewEntriesAt: hoursAfter(0).toISOString(), quiet: false });
    expect((await h.feed(feed._id)).health.typicalGapMs).toBeUndefined();
    count = 3;
    expect(await fetchAt(1)).toMatchObject({ typicalGapMs: HOUR, quiet: false });
    count = 4;
    expect(await fetchAt(2)).toMatchObject({
      lastNewEntriesAt: hoursAfter(2).toISOString(),
      typicalGapMs: HOUR,
      quiet: false,
    });

    // Then nothing new (an unchanged body each time): quiet only past 3 typical gaps (and 2 intervals).
    expect(await fetchAt(3)).toMatchObject({ status: 'ok', quiet: false });
    expect(await fetchAt(5)).toMatchObject({ quiet: false });
    const quiet = await fetchAt(5.1);
    expect(quiet).toMatchObject({
      status: 'ok',
      lastNewEntriesAt: hoursAfter(2).toISOString(),
      typicalGapMs: HOUR,
      quiet: true,
    });
    expect(await fetchAt(6)).toMatchObject({ quiet: true });

    // New entries again: not quiet, and the long gap pulls the typical gap up (EWMA, α = 0.3).
    count = 5;
    expect(await fetchAt(7)).toEqual({
      status: 'ok',
      consecutiveFailures: 0,
      lastEntryCount: 5,
      lastSkippedCount: 0,
      lastNewEntriesAt: hoursAfter(7).toISOString(),
      typicalGapMs: Math.round(0.3 * 5 * HOUR + 0.7 * HOUR),
      quiet: false,
    });
    expect(await h.observationCount(feed._id)).toBe(5);
  });

  it('a feed that never brought new entries twice is never quiet', async () => {
    const url = server.route('/once', (_req, res) =>
      res.writeHead(200, { 'content-type': RSS_TYPE }).end(rss('once feed', papers('once', 2))),
    );
    const feed = await h.addFeed({ url, kind: 'rss', intervalMinutes: 15 });
    clock = hoursAfter(0);
    expect(await h.fetchOnce(feed._id)).toMatchObject({ outcome: 'stored', newObservations: 2 });
    clock = hoursAfter(48);
    expect(await h.fetchOnce(feed._id)).toEqual({ outcome: 'unchanged' });
    expect((await h.feed(feed._id)).health).toMatchObject({
      lastNewEntriesAt: hoursAfter(0).toISOString(),
      quiet: false,
    });
    expect((await h.feed(feed._id)).health.typicalGapMs).toBeUndefined();
  });
});
