// How the fetch job behaves against real (loopback) servers, through the real worker, Redis and FerretDB:
// conditional GET, unchanged bodies, broken feeds failing alone with the right error class, Retry-After,
// skipped entries, state advancing only after the store, failure backoff, not-due and paused feeds.
import { gzipSync } from 'node:zlib';
import { type FeedErrorClass, StoreError } from '@paperwire/core';
import { feedSchedulerId } from '@paperwire/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FetchFeedResult } from '../src/index.ts';
import { type FeedServer, serve, startFeedServer } from './support/feed-server.ts';
import { arxivPapers, papers, RSS_TYPE, rss } from './support/feeds.ts';
import { type FetcherHarness, startHarness, waitUntil } from './support/harness.ts';

const MAX_BODY_BYTES = 64 * 1024;
const TOTAL_TIMEOUT_MS = 1_500;
const MINUTE = 60_000;

let h: FetcherHarness;
let server: FeedServer;

beforeAll(async () => {
  server = await startFeedServer();
  // Feeds fail on purpose here; the worker would log each failure as an error.
  h = await startHarness('fetcher-behaviour', {
    logLevel: 'fatal',
    env: { FETCH_MAX_BODY_BYTES: String(MAX_BODY_BYTES), FETCH_TOTAL_TIMEOUT_MS: String(TOTAL_TIMEOUT_MS) },
  });
});

afterAll(async () => {
  await h?.close();
  await server?.close();
});

/** Serves `count` fresh items at `path` and registers an rss feed for it. */
async function goodFeed(path: string, count = 3) {
  const url = server.route(
    path,
    serve(rss(`feed ${path}`, papers(path, count)), { 'content-type': RSS_TYPE }),
  );
  return h.addFeed({ url, kind: 'rss' });
}

async function expectFailing(feedId: string, errorClass: FeedErrorClass, consecutiveFailures: number) {
  const feed = await h.feed(feedId);
  expect(feed.health).toMatchObject({ status: 'failing', consecutiveFailures });
  expect(feed.health.lastError?.errorClass).toBe(errorClass);
  expect(feed.health.lastError?.message).toMatch(/^(fetcher|sources): /);
  return feed;
}

const msBetween = (later: string | undefined, earlier: string | undefined) =>
  Date.parse(later ?? '') - Date.parse(earlier ?? '');

describe('conditional GET', () => {
  it('sends If-None-Match with the saved ETag; a 304 stores nothing and records a success', async () => {
    const body = rss('etag feed', papers('etag', 3));
    const url = server.route('/etag', (req, res) => {
      if (req.headers['if-none-match'] === '"v1"') res.writeHead(304, { etag: '"v1"' }).end();
      else res.writeHead(200, { 'content-type': RSS_TYPE, etag: '"v1"' }).end(body);
    });
    const feed = await h.addFeed({ url, kind: 'rss' });

    expect(await h.fetchOnce(feed._id)).toEqual({
      outcome: 'stored',
      entries: 3,
      skipped: 0,
      newObservations: 3,
    });
    const first = await h.feed(feed._id);
    expect(first.state.etag).toBe('"v1"');

    expect(await h.fetchOnce(feed._id)).toEqual({ outcome: 'not-modified' });
    const requests = server.requestsTo('/etag');
    expect(requests.map((r) => r.headers['if-none-match'])).toEqual([undefined, '"v1"']);
    const second = await h.feed(feed._id);
    expect(second.health).toEqual(first.health); // counts of the last stored payload, 0 failures, ok
    expect(second.state.etag).toBe('"v1"');
    expect(second.state.lastPayloadHash).toBe(first.state.lastPayloadHash);
    expect(Date.parse(second.state.lastSuccessAt ?? '')).toBeGreaterThan(
      Date.parse(first.state.lastSuccessAt ?? ''),
    );
    expect(await h.observationCount(feed._id)).toBe(3);
    expect(await h.payloadsOf(feed._id)).toHaveLength(1);
    expect(await h.resolveJobsOf(feed._id)).toHaveLength(1);
  });

  it('sends If-Modified-Since with the saved Last-Modified', async () => {
    const lastModified = 'Wed, 25 Nov 2026 16:00:00 GMT';
    const body = rss('last-modified feed', papers('lastmod', 2));
    const url = server.route('/lastmod', (req, res) => {
      if (req.headers['if-modified-since'] === lastModified) res.writeHead(304).end();
      else res.writeHead(200, { 'content-type': RSS_TYPE, 'last-modified': lastModified }).end(body);
    });
    const feed = await h.addFeed({ url, kind: 'rss' });

    expect(await h.fetchOnce(feed._id)).toMatchObject({ outcome: 'stored', entries: 2 });
    expect((await h.feed(feed._id)).state.lastModified).toBe(lastModified);
    expect(await h.fetchOnce(feed._id)).toEqual({ outcome: 'not-modified' });
    expect(server.requestsTo('/lastmod').map((r) => r.headers['if-modified-since'])).toEqual([
      undefined,
      lastModified,
    ]);
    expect(await h.observationCount(feed._id)).toBe(2);
  });
});

describe('unchanged body without validators', () => {
  it('is recognised by its hash: outcome unchanged, nothing new stored or queued', async () => {
    const feed = await goodFeed('/plain', 4);
    expect(await h.fetchOnce(feed._id)).toMatchObject({ outcome: 'stored', entries: 4, newObservations: 4 });
    const first = await h.feed(feed._id);

    expect(await h.fetchOnce(feed._id)).toEqual({ outcome: 'unchanged' });
    const requests = server.requestsTo('/plain');
    expect(requests).toHaveLength(2);
    expect(requests[1]?.headers['if-none-match']).toBeUndefined();
    expect(requests[1]?.headers['if-modified-since']).toBeUndefined();
    const second = await h.feed(feed._id);
    expect(second.health).toEqual(first.health);
    expect(second.state.lastPayloadHash).toBe(first.state.lastPayloadHash);
    expect(await h.observationCount(feed._id)).toBe(4);
    expect(await h.payloadsOf(feed._id)).toHaveLength(1);
    expect(await h.resolveJobsOf(feed._id)).toHaveLength(1);
  });
});

describe('RSS <ttl>', () => {
  it("stretches the next poll to the publisher's ttl, and keeps it for later unchanged polls", async () => {
    const body = rss('feed /ttl', papers('/ttl', 2)).replace('<channel>', '<channel>\n    <ttl>120</ttl>');
    const url = server.route('/ttl', serve(body, { 'content-type': RSS_TYPE }));
    const feed = await h.addFeed({ url, kind: 'rss', intervalMinutes: 15 });
    expect(await h.fetchOnce(feed._id)).toMatchObject({ outcome: 'stored', entries: 2 });
    const first = await h.feed(feed._id);
    expect(first.state.ttlMinutes).toBe(120);
    expect(msBetween(first.state.nextCheckAt, first.state.lastFetchAt)).toBe(120 * 60_000);

    expect(await h.fetchOnce(feed._id, 'manual')).toEqual({ outcome: 'unchanged' });
    const second = await h.feed(feed._id);
    expect(second.state.ttlMinutes).toBe(120);
    expect(msBetween(second.state.nextCheckAt, second.state.lastFetchAt)).toBe(120 * 60_000);
  });
});

describe('a changed feed', () => {
  it('stores only its new entries and queues a resolve job for the new payload', async () => {
    let items = papers('growing', 3);
    const url = server.route('/growing', (_req, res) =>
      res.writeHead(200, { 'content-type': RSS_TYPE }).end(rss('growing feed', items)),
    );
    const feed = await h.addFeed({ url, kind: 'rss' });
    expect(await h.fetchOnce(feed._id)).toEqual({
      outcome: 'stored',
      entries: 3,
      skipped: 0,
      newObservations: 3,
    });
    items = papers('growing', 5);
    expect(await h.fetchOnce(feed._id)).toEqual({
      outcome: 'stored',
      entries: 5,
      skipped: 0,
      newObservations: 2,
    });
    expect(await h.observationCount(feed._id)).toBe(5);
    expect(await h.payloadsOf(feed._id)).toHaveLength(2);
    const resolveJobs = await h.resolveJobsOf(feed._id);
    expect(resolveJobs.map((j) => j.data.observationIds.length).sort()).toEqual([3, 5]);
  });
});

describe('broken feeds fail alone', () => {
  const broken: [path: string, errorClass: FeedErrorClass, route: Parameters<FeedServer['route']>[1]][] = [
    [
      '/html',
      'parse',
      serve(
        '<!doctype html><html><head><title>Sign in</title></head><body><p>Please log in</p></body></html>',
        {
          'content-type': 'text/html; charset=utf-8',
        },
      ),
    ],
    [
      '/truncated',
      'parse',
      serve(rss('truncated', papers('truncated', 3)).slice(0, 400), { 'content-type': RSS_TYPE }),
    ],
    [
      '/error-500',
      'http-5xx',
      (_req, res) => res.writeHead(500, { 'content-type': 'text/plain' }).end('boom'),
    ],
    [
      '/error-404',
      'http-4xx',
      (_req, res) => res.writeHead(404, { 'content-type': 'text/plain' }).end('gone'),
    ],
    [
      // 4 KiB on the wire, 4 MiB once inflated: the cap applies to the decoded body.
      '/gzip-bomb',
      'too-large',
      serve(gzipSync(Buffer.alloc(4 * 1024 * 1024, 0x20)), {
        'content-type': RSS_TYPE,
        'content-encoding': 'gzip',
      }),
    ],
    [
      // Headers at once, then a byte every 100 ms, forever: only the total deadline ends it.
      '/drip',
      'timeout',
      (_req, res) => {
        res.writeHead(200, { 'content-type': RSS_TYPE });
        res.write('<?xml version="1.0"?>');
        const timer = setInterval(() => res.write(' '), 100);
        res.on('close', () => clearInterval(timer));
      },
    ],
  ];
  const feeds = new Map<string, string>();
  const jobs = new Map<string, { failedReason?: string; result?: FetchFeedResult }>();

  beforeAll(async () => {
    for (const [path, , route] of broken) {
      feeds.set(path, (await h.addFeed({ url: server.route(path, route), kind: 'rss' }))._id);
    }
    for (const path of ['/healthy-a', '/healthy-b']) feeds.set(path, (await goodFeed(path, 3))._id);
    // One run: every feed enqueued together, the healthy ones last.
    const ids = new Map<string, string>();
    for (const [path, feedId] of feeds) ids.set(path, await h.enqueueFetch(feedId));
    for (const [path, id] of ids) {
      const job = await h.waitForJob(id);
      jobs.set(path, { failedReason: job.failedReason, result: job.returnvalue as FetchFeedResult });
    }
  });

  it.each(broken.map(([path, errorClass]) => [path, errorClass]))(
    '%s: the job fails and the feed is failing with class %s',
    async (path, errorClass) => {
      const feedId = feeds.get(path)!;
      expect(jobs.get(path)?.failedReason).toMatch(/^(fetcher|sources): /);
      await expectFailing(feedId, errorClass as FeedErrorClass, 1);
      expect(await h.observationCount(feedId)).toBe(0);
      expect((await h.feed(feedId)).state.lastSuccessAt).toBeUndefined();
    },
  );

  it('the drip was cut at the total deadline, not left hanging', async () => {
    const feed = await h.feed(feeds.get('/drip')!);
    expect(feed.health.lastError?.message).toContain(`longer than ${TOTAL_TIMEOUT_MS} ms`);
  });

  it('the other feeds of the same run completed and stored their entries', async () => {
    for (const path of ['/healthy-a', '/healthy-b']) {
      const feedId = feeds.get(path)!;
      expect(jobs.get(path)).toEqual({
        failedReason: undefined,
        result: { outcome: 'stored', entries: 3, skipped: 0, newObservations: 3 },
      });
      expect((await h.feed(feedId)).health).toMatchObject({ status: 'ok', consecutiveFailures: 0 });
      expect(await h.observationCount(feedId)).toBe(3);
    }
  });

  it('with the catalogue retries, a 404 fails at once and a 500 is retried', async () => {
    const notFound = await h.waitForJob(
      await h.registry.fetchNow(feeds.get('/error-404')!, 'manual', new Date()),
    );
    expect(await notFound.getState()).toBe('failed');
    expect(notFound.attemptsMade).toBe(1);
    await expectFailing(feeds.get('/error-404')!, 'http-4xx', 2);

    const serverError = await h.waitForJob(
      await h.registry.fetchNow(feeds.get('/error-500')!, 'manual', new Date()),
      ['delayed', 'failed'],
    );
    expect(await serverError.getState()).toBe('delayed'); // backing off before attempt 2 of 3
    expect(serverError.attemptsMade).toBe(1);
    await serverError.remove();
    await expectFailing(feeds.get('/error-500')!, 'http-5xx', 2);
  });
});

describe('429 with Retry-After', () => {
  it('delays that job (not failed), sets nextCheckAt from Retry-After, pauses the service: its other feeds wait, feeds of other services run', async () => {
    const body = rss('busy feed', arxivPapers('cs.DL', 2, 700));
    let calls = 0;
    const url = server.route('/rss/busy', (_req, res) => {
      calls += 1;
      if (calls === 1)
        res.writeHead(429, { 'retry-after': '2', 'content-type': 'text/plain' }).end('slow down');
      else res.writeHead(200, { 'content-type': RSS_TYPE }).end(body);
    });
    const busy = await h.addFeed({ url, kind: 'arxiv-rss' });
    const siblingUrl = server.route(
      '/rss/sibling',
      serve(rss('sibling feed', arxivPapers('cs.IR', 2, 800)), { 'content-type': RSS_TYPE }),
    );
    const sibling = await h.addFeed({ url: siblingUrl, kind: 'arxiv-rss' });
    const other = await goodFeed('/meanwhile', 2);
    expect([busy.source, sibling.source, other.source]).toEqual(['arxiv', 'arxiv', 'web']);

    const busyJob = await h.enqueueFetch(busy._id);
    const delayed = await h.waitForJob(busyJob, ['delayed', 'failed', 'completed']);
    expect(await delayed.getState()).toBe('delayed');
    expect(delayed.failedReason).toBeFalsy();
    const afterRetryAfter = await expectFailing(busy._id, 'http-4xx', 1);
    expect(msBetween(afterRetryAfter.state.nextCheckAt, afterRetryAfter.health.lastError?.at)).toBe(2_000);
    const [paused] = server.requestsTo('/rss/busy');

    // Another arXiv feed waits for the pause: its job is delayed (not failed, no request, no attempt spent).
    const siblingJob = await h.enqueueFetch(sibling._id);
    const waiting = await h.waitForJob(siblingJob, ['delayed', 'failed', 'completed']);
    expect(await waiting.getState()).toBe('delayed');
    expect(waiting.attemptsMade).toBe(0);
    // A feed of another service runs meanwhile.
    expect(await h.fetchOnce(other._id)).toMatchObject({ outcome: 'stored', entries: 2 });
    expect(await h.rt.queues.byName.fetch.getJobState(busyJob)).toBe('delayed');

    const done = await h.waitForJob(busyJob, ['completed', 'failed'], 10_000);
    expect(done.returnvalue).toMatchObject({ outcome: 'stored', entries: 2 });
    const siblingDone = await h.waitForJob(siblingJob, ['completed', 'failed'], 10_000);
    expect(siblingDone.returnvalue).toMatchObject({ outcome: 'stored', entries: 2 });
    // No request reached the paused service before its Retry-After (2 s after the 429 was sent).
    const arxivAfter = [...server.requestsTo('/rss/busy').slice(1), ...server.requestsTo('/rss/sibling')];
    expect(arxivAfter).toHaveLength(2);
    for (const r of arxivAfter) expect(r.at - paused!.at).toBeGreaterThanOrEqual(2_000);
    expect((await h.feed(busy._id)).health).toMatchObject({ status: 'ok', consecutiveFailures: 0 });
  });

  it('a server that keeps answering 429 gets one delayed retry per job, then the job fails', async () => {
    // `Retry-After: 0` used to re-run the job at once, for ever: dozens of requests a second.
    const url = server.route('/always-busy', (_req, res) =>
      res.writeHead(429, { 'retry-after': '0', 'content-type': 'text/plain' }).end('slow down'),
    );
    const feed = await h.addFeed({ url, kind: 'rss' });
    const job = await h.waitForJob(await h.registry.fetchNow(feed._id, 'manual', new Date()));
    expect(await job.getState()).toBe('failed');
    expect(job.failedReason).toContain('answered 429');
    expect(server.requestsTo('/always-busy')).toHaveLength(2);
    const failing = await expectFailing(feed._id, 'http-4xx', 2);
    expect(msBetween(failing.state.nextCheckAt, failing.health.lastError?.at)).toBe(0);
  });
});

describe('malformed entries', () => {
  it('are skipped, the rest stored, and the counts kept in health', async () => {
    const items = [
      ...papers('mixed', 3),
      { guid: 'mixed-untitled', link: 'https://example.org/mixed/untitled' }, // no title
      { title: 'Nothing to key it by' }, // no guid, id or link
      { title: '   ', guid: 'mixed-blank' }, // blank title
    ];
    const url = server.route('/mixed', serve(rss('mixed feed', items), { 'content-type': RSS_TYPE }));
    const feed = await h.addFeed({ url, kind: 'rss' });

    expect(await h.fetchOnce(feed._id)).toEqual({
      outcome: 'stored',
      entries: 3,
      skipped: 3,
      newObservations: 3,
    });
    expect((await h.feed(feed._id)).health).toEqual({
      status: 'ok',
      consecutiveFailures: 0,
      lastEntryCount: 3,
      lastSkippedCount: 3,
      lastNewEntriesAt: expect.any(String),
      quiet: false,
    });
    expect(await h.observationCount(feed._id)).toBe(3);
  });

  it('a feed whose every entry is malformed is empty, not failing', async () => {
    const url = server.route(
      '/all-bad',
      serve(rss('all bad', [{ title: 'no key' }, { guid: 'no-title' }]), { 'content-type': RSS_TYPE }),
    );
    const feed = await h.addFeed({ url, kind: 'rss' });
    expect(await h.fetchOnce(feed._id)).toEqual({
      outcome: 'stored',
      entries: 0,
      skipped: 2,
      newObservations: 0,
    });
    const empty = {
      status: 'empty',
      consecutiveFailures: 0,
      lastEntryCount: 0,
      lastSkippedCount: 2,
      quiet: false,
    };
    expect((await h.feed(feed._id)).health).toEqual(empty);
    expect(await h.resolveJobsOf(feed._id)).toEqual([]);
    // The same bytes again are still an empty feed (this used to flip to 'ok').
    expect(await h.fetchOnce(feed._id)).toEqual({ outcome: 'unchanged' });
    expect((await h.feed(feed._id)).health).toEqual(empty);
  });
});

describe('state advances only after the store', () => {
  it('a failed observation write leaves etag and payload hash unset, so the next fetch is unconditional', async () => {
    const body = rss('store feed', papers('store', 3));
    const url = server.route('/store', (req, res) => {
      if (req.headers['if-none-match'] === '"s1"') res.writeHead(304).end();
      else res.writeHead(200, { 'content-type': RSS_TYPE, etag: '"s1"' }).end(body);
    });
    const feed = await h.addFeed({ url, kind: 'rss' });

    // Fault injection at the repository seam the handler uses (the worker holds this very object).
    const observations = h.rt.db.observations;
    const insertNew = observations.insertNew;
    observations.insertNew = async () => {
      throw new StoreError('db: injected write failure');
    };
    try {
      const failed = await h.waitForJob(await h.enqueueFetch(feed._id));
      expect(failed.failedReason).toBe('db: injected write failure');
    } finally {
      observations.insertNew = insertNew;
    }
    const afterFailure = await h.feed(feed._id);
    expect(afterFailure.state.etag).toBeUndefined();
    expect(afterFailure.state.lastPayloadHash).toBeUndefined();
    // A store failure is ours, not the feed's: its health is untouched.
    expect(afterFailure.health).toEqual({ status: 'new', consecutiveFailures: 0 });
    expect(await h.observationCount(feed._id)).toBe(0);

    expect(await h.fetchOnce(feed._id)).toMatchObject({ outcome: 'stored', entries: 3, newObservations: 3 });
    expect(await h.fetchOnce(feed._id)).toEqual({ outcome: 'not-modified' });
    expect(server.requestsTo('/store').map((r) => r.headers['if-none-match'])).toEqual([
      undefined,
      undefined,
      '"s1"',
    ]);
    expect(await h.observationCount(feed._id)).toBe(3);
  });
});

describe('health backoff and due checks', () => {
  it('consecutive failures push nextCheckAt out exponentially (interval × 2^(n-1), ±20% jitter)', async () => {
    const url = server.route('/down', (_req, res) => res.writeHead(503).end());
    const feed = await h.addFeed({ url, kind: 'rss', intervalMinutes: 15 });

    await h.waitForJob(await h.enqueueFetch(feed._id));
    const once = await expectFailing(feed._id, 'http-5xx', 1);
    const firstGap = msBetween(once.state.nextCheckAt, once.health.lastError?.at);
    expect(firstGap).toBeGreaterThanOrEqual(0.8 * 15 * MINUTE);
    expect(firstGap).toBeLessThanOrEqual(1.2 * 15 * MINUTE);

    await h.waitForJob(await h.enqueueFetch(feed._id));
    const twice = await expectFailing(feed._id, 'http-5xx', 2);
    const secondGap = msBetween(twice.state.nextCheckAt, twice.health.lastError?.at);
    expect(secondGap).toBeGreaterThanOrEqual(0.8 * 30 * MINUTE);
    expect(secondGap).toBeLessThanOrEqual(1.2 * 30 * MINUTE);
    expect(secondGap).toBeGreaterThan(firstGap);

    // Before that time a scheduled run does not touch the failing feed.
    expect(await h.fetchOnce(feed._id, 'schedule')).toEqual({ outcome: 'not-due' });
    expect(server.requestsTo('/down')).toHaveLength(2);
    await expectFailing(feed._id, 'http-5xx', 2);
  });

  it('a scheduled run fetches a new feed, then is not-due until nextCheckAt', async () => {
    const feed = await goodFeed('/due', 2);
    expect(await h.fetchOnce(feed._id, 'schedule')).toMatchObject({ outcome: 'stored', entries: 2 });
    const fetched = await h.feed(feed._id);
    expect(msBetween(fetched.state.nextCheckAt, fetched.state.lastFetchAt)).toBe(15 * MINUTE);

    expect(await h.fetchOnce(feed._id, 'schedule')).toEqual({ outcome: 'not-due' });
    expect(server.requestsTo('/due')).toHaveLength(1);
    expect(await h.feed(feed._id)).toEqual(fetched);
    // A manual fetch is not held back by the schedule.
    expect(await h.fetchOnce(feed._id, 'manual')).toEqual({ outcome: 'unchanged' });
    expect(server.requestsTo('/due')).toHaveLength(2);
  });

  it('a paused feed loses its scheduler and a scheduled run does not fetch it', async () => {
    // Registered through the registry itself: its scheduler fetches the new feed at once.
    const url = server.route(
      '/paused',
      serve(rss('paused feed', papers('paused', 2)), { 'content-type': RSS_TYPE }),
    );
    const feed = await h.registry.add({ url, kind: 'rss', intervalMinutes: 15 }, new Date());
    const fetchQueue = h.rt.queues.byName.fetch;
    expect(await fetchQueue.getJobScheduler(feedSchedulerId(feed._id))).toBeDefined();
    await waitUntil(
      async () => (await h.feed(feed._id)).state.lastSuccessAt !== undefined,
      10_000,
      () => 'the first fetch by the scheduler',
    );
    expect(server.requestsTo('/paused')).toHaveLength(1);

    await h.registry.setEnabled(feed._id, false);
    expect(await fetchQueue.getJobScheduler(feedSchedulerId(feed._id))).toBeUndefined();
    expect(await h.fetchOnce(feed._id, 'schedule')).toEqual({ outcome: 'paused' });
    expect(server.requestsTo('/paused')).toHaveLength(1);
    expect(await h.observationCount(feed._id)).toBe(2);
  });
});
