// Every real capture in ../shared/fixtures/real (see its SOURCES.md) served over loopback HTTP with a realistic
// Content-Type, one feed per file, fetched by the real worker into the real database and queues. Per file:
// the feed's health, the observations stored, the payload archived once by content hash, the resolve jobs.
// The captures are read in place, never copied.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FeedErrorClass, FeedKind } from '@paperwire/core';
import type { ArchivedPayload } from '@paperwire/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FetchFeedResult } from '../src/index.ts';
import { type FeedServer, startFeedServer } from './support/feed-server.ts';
import { type FetcherHarness, startHarness } from './support/harness.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const realDir = path.resolve(repoRoot, '../shared/fixtures/real');
const haveReal = existsSync(realDir);

const RSS = 'application/rss+xml; charset=utf-8';
const ATOM = 'application/atom+xml; charset=utf-8';
const JSON_UTF8 = 'application/json; charset=utf-8';

type Expected = { entries: number; skipped: number } | { failing: FeedErrorClass; status?: number };

interface Capture {
  rel: string;
  kind: FeedKind;
  contentType: string;
  /** Entry counts from SOURCES.md (entries stored, entries skipped), or the failure the feed must show. */
  expected: Expected;
  /** arxiv.py recordings: serve the wrapped `body`, with the recorded status when asked. */
  recorded?: 'body' | 'body-and-status';
}

const CAPTURES: Capture[] = [
  {
    rel: 'arxiv-rss/arxiv-rss-cs.LG+cs.AI+cs.CL+stat.ML-2026-09-24.xml',
    kind: 'arxiv-rss',
    contentType: RSS,
    expected: { entries: 4, skipped: 0 },
  },
  {
    rel: 'arxiv-rss/arxiv-rss-cs.AI-2026-04-27-3items.xml',
    kind: 'arxiv-rss',
    contentType: RSS,
    expected: { entries: 3, skipped: 0 },
  },
  // The retired export.arxiv.org RDF feed was served as text/xml; the XML declaration names the charset.
  {
    rel: 'arxiv-rss-rdf/arxiv-rdf-cs-2018-08-30.xml',
    kind: 'arxiv-rss',
    contentType: 'text/xml',
    expected: { entries: 185, skipped: 0 },
  },
  {
    rel: 'arxiv-api/arxiv-api-cat-cs.LG-OR-cs.AI-2026-04-30.xml',
    kind: 'arxiv-api',
    contentType: ATOM,
    expected: { entries: 20, skipped: 0 },
  },
  {
    rel: 'arxiv-api/arxiv-api-transformer-cs.LG-2026-06-14.xml',
    kind: 'arxiv-api',
    contentType: ATOM,
    expected: { entries: 5, skipped: 0 },
  },
  {
    rel: 'arxiv-api/arxiv-api-legacy-au-del_maestro-2016.xml',
    kind: 'arxiv-api',
    contentType: ATOM,
    expected: { entries: 10, skipped: 0 },
  },
  {
    rel: 'arxiv-api/arxiv-api-recorded-search-testing-100-entries-2026-04-12.json',
    kind: 'arxiv-api',
    contentType: ATOM,
    expected: { entries: 100, skipped: 0 },
    recorded: 'body',
  },
  // The error feed served with 200 (a proxy that hides the status): the adapter refuses the error entry.
  {
    rel: 'arxiv-api/arxiv-api-recorded-error-400-bad-id-2026-04-12.json',
    kind: 'arxiv-api',
    contentType: ATOM,
    expected: { failing: 'parse' },
    recorded: 'body',
  },
  {
    rel: 'hf-daily-papers/hf-daily-papers-2026-06-12.json',
    kind: 'hf-daily',
    contentType: JSON_UTF8,
    expected: { entries: 30, skipped: 0 },
  },
  {
    rel: 'hf-daily-papers/hf-daily-papers-2026-07-31-pretty.json',
    kind: 'hf-daily',
    contentType: JSON_UTF8,
    expected: { entries: 5, skipped: 0 },
  },
  {
    rel: 'hf-daily-papers/hf-daily-papers-2024-10-25-first3.json',
    kind: 'hf-daily',
    contentType: JSON_UTF8,
    expected: { entries: 3, skipped: 0 },
  },
  // 5 hits; the Ask HN text post has no url and is skipped.
  {
    rel: 'hn-algolia/hn-algolia-search_by_date-query-AI-tags-story-2026-08-09.json',
    kind: 'hn',
    contentType: JSON_UTF8,
    expected: { entries: 4, skipped: 1 },
  },
  {
    rel: 'reddit/reddit-atom-r-programming-top-day-2026-09-20.xml',
    kind: 'reddit',
    contentType: ATOM,
    expected: { entries: 3, skipped: 0 },
  },
  {
    rel: 'reddit/reddit-atom-r-homelab-new-2023-07.xml',
    kind: 'reddit',
    contentType: ATOM,
    expected: { entries: 25, skipped: 0 },
  },
  {
    rel: 'reddit/reddit-json-search-posts-listing-2020-07.json',
    kind: 'reddit',
    contentType: JSON_UTF8,
    expected: { entries: 2, skipped: 0 },
  },
  {
    rel: 'reddit/reddit-json-subreddit-posts-listing-2020.json',
    kind: 'reddit',
    contentType: JSON_UTF8,
    expected: { entries: 2, skipped: 0 },
  },
  {
    rel: 'other/biorxiv-rss1-genomics-2023-12.xml',
    kind: 'rss',
    contentType: 'application/xml; charset=utf-8',
    expected: { entries: 1, skipped: 0 },
  },
  {
    rel: 'other/hf-daily-papers-feedgen-rss-2026-04-30.xml',
    kind: 'rss',
    contentType: RSS,
    expected: { entries: 22, skipped: 0 },
  },
  {
    rel: 'other/takara-tldr-hf-papers-rss-2026-04-30.xml',
    kind: 'rss',
    contentType: RSS,
    expected: { entries: 50, skipped: 0 },
  },
  // No adapter reads Semantic Scholar or OpenAlex. Registered as the nearest JSON kind (hf-daily), as an
  // operator pasting such a URL would: the feed must fail as parse, storing nothing.
  {
    rel: 'other/semantic-scholar-search-transformer-2026-06.json',
    kind: 'hf-daily',
    contentType: JSON_UTF8,
    expected: { failing: 'parse' },
  },
  {
    rel: 'other/openalex-works-2-results-2026-06.json',
    kind: 'hf-daily',
    contentType: JSON_UTF8,
    expected: { failing: 'parse' },
  },
];

/** Not one file per feed: the error capture again, this time with the status arXiv really sent. */
const EXTRA: Capture[] = [
  {
    rel: 'arxiv-api/arxiv-api-recorded-error-400-bad-id-2026-04-12.json',
    kind: 'arxiv-api',
    contentType: ATOM,
    expected: { failing: 'http-4xx', status: 400 },
    recorded: 'body-and-status',
  },
];

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

function responseOf(capture: Capture): { status: number; bytes: Buffer } {
  const raw = readFileSync(path.join(realDir, capture.rel));
  if (capture.recorded === undefined) return { status: 200, bytes: raw };
  const recording = JSON.parse(raw.toString('utf8')) as { status_code: number; body: string };
  return {
    status: capture.recorded === 'body-and-status' ? recording.status_code : 200,
    bytes: Buffer.from(recording.body, 'utf8'),
  };
}

/**
 * What the whole run stored, read once and grouped by feed (FerretDB scans a collection for every non-_id
 * filter, so one read beats a query per assertion).
 */
interface Snapshot {
  observations(feedId: string): string[];
  payloads(feedId: string): ArchivedPayload[];
  resolveJobs(feedId: string): { id: string; observationIds: string[] }[];
}

async function snapshot(h: FetcherHarness): Promise<Snapshot> {
  const observations = await h.mongo
    .collection('observations')
    .find({}, { projection: { _id: 1, 'provenance.feedId': 1 } })
    .toArray();
  const ids = await h.mongo
    .collection('payloads')
    .find({}, { projection: { _id: 1 } })
    .toArray();
  const payloads = (await Promise.all(ids.map((d) => h.rt.db.payloads.get(String(d._id))))).filter(
    (p): p is ArchivedPayload => p !== undefined,
  );
  const jobs = await h.rt.queues.byName.resolve.getJobs(['wait', 'delayed', 'prioritized']);
  return {
    observations: (feedId) =>
      observations.filter((o) => o.provenance?.feedId === feedId).map((o) => String(o._id)),
    payloads: (feedId) => payloads.filter((p) => p.feedId === feedId),
    resolveJobs: (feedId) =>
      jobs
        .filter((j) => j.data.feedId === feedId)
        .map((j) => ({ id: String(j.id), observationIds: j.data.observationIds as string[] }))
        .sort((a, b) => a.id.localeCompare(b.id)),
  };
}

if (!haveReal) {
  describe.skip(`real captures not found at ${realDir}: fetch conformance skipped`, () => {
    it('needs ../shared/fixtures/real next to the repo', () => undefined);
  });
}

(haveReal ? describe : describe.skip)('fetch conformance against the real captures', () => {
  let h: FetcherHarness;
  let server: FeedServer;
  interface Case {
    capture: Capture;
    feedId: string;
    path: string;
    body: string;
  }
  const cases: Case[] = [];
  const firstRound = new Map<string, { state: string; failedReason?: string; attemptsMade: number }>();
  const secondRound = new Map<string, FetchFeedResult | string>();
  let afterFirst: Snapshot;
  let afterSecond: Snapshot;

  beforeAll(async () => {
    server = await startFeedServer();
    // Expected failures would be logged as errors; the assertions below report anything unexpected.
    h = await startHarness('fetcher-conformance', { logLevel: 'fatal' });
    for (const [i, capture] of [...CAPTURES, ...EXTRA].entries()) {
      const { status, bytes } = responseOf(capture);
      const urlPath = `/${i}/${capture.rel}`;
      const url = server.route(urlPath, (_req, res) => {
        res.writeHead(status, { 'content-type': capture.contentType }).end(bytes);
      });
      const feed = await h.addFeed({ url, kind: capture.kind, intervalMinutes: 60 });
      // The text the fetcher decodes from these bytes (TextDecoder, as decodeBody does for UTF-8).
      cases.push({ capture, feedId: feed._id, path: urlPath, body: new TextDecoder().decode(bytes) });
    }

    // Round 1: every feed through the registry's fetchNow (the catalogue's retry options apply).
    const ids = await Promise.all(cases.map((c) => h.registry.fetchNow(c.feedId, 'manual', new Date())));
    for (const [i, id] of ids.entries()) {
      const job = await h.waitForJob(id, ['completed', 'failed'], 60_000);
      firstRound.set(cases[i]!.feedId, {
        state: await job.getState(),
        failedReason: job.failedReason,
        attemptsMade: job.attemptsMade,
      });
    }
    afterFirst = await snapshot(h);

    // Round 2: the same bytes again, without validators: nothing new may be stored.
    const again = await Promise.all(cases.map((c) => h.enqueueFetch(c.feedId)));
    for (const [i, id] of again.entries()) {
      const job = await h.waitForJob(id, ['completed', 'failed'], 60_000);
      secondRound.set(cases[i]!.feedId, job.failedReason ?? (job.returnvalue as FetchFeedResult));
    }
    afterSecond = await snapshot(h);
  }, 120_000);

  afterAll(async () => {
    await h?.close();
    await server?.close();
  });

  it('covers every file in the real-captures folder', () => {
    const files = readdirSync(realDir, { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile() && d.name !== 'SOURCES.md')
      .map((d) => path.relative(realDir, path.join(d.parentPath, d.name)))
      .sort();
    expect(files.length).toBeGreaterThan(0);
    expect(files).toEqual(CAPTURES.map((c) => c.rel).sort());
  });

  const label = (c: Capture) =>
    `${c.rel} as ${c.kind}${c.recorded === 'body-and-status' ? ' (HTTP 400)' : ''}`;

  describe.each([...CAPTURES, ...EXTRA].map((c, i) => ({ i, name: label(c), c })))('$name', ({ i, c }) => {
    const theCase = () => cases[i]!;

    it('was requested once per round with the fetcher User-Agent', () => {
      const requests = server.requestsTo(theCase().path);
      expect(requests).toHaveLength(2);
      expect(requests[0]?.headers['user-agent']).toMatch(
        /^Paperwire\/\S+ \(\+mailto:tests@paperwire\.invalid\)$/,
      );
    });

    if ('entries' in c.expected) {
      const { entries, skipped } = c.expected;

      it(`stores ${entries} observations (${skipped} skipped) and marks the feed ${entries > 0 ? 'ok' : 'empty'}`, async () => {
        const { feedId } = theCase();
        expect(firstRound.get(feedId)).toMatchObject({ state: 'completed' });
        const feed = await h.feed(feedId);
        expect(feed.health).toEqual({
          status: entries > 0 ? 'ok' : 'empty',
          consecutiveFailures: 0,
          lastEntryCount: entries,
          lastSkippedCount: skipped,
          ...(entries > 0 ? { lastNewEntriesAt: expect.any(String) } : {}),
          quiet: false,
        });
        expect(feed.state.lastPayloadHash).toMatch(/^[0-9a-f]{64}$/);
        expect(afterFirst.observations(feedId)).toHaveLength(entries);
      });

      it('archives the payload once, keyed by its content hash', async () => {
        const { feedId, body } = theCase();
        const payloads = afterFirst.payloads(feedId);
        expect(payloads.map((p) => ({ _id: p._id, status: p.status, bytes: p.bytes }))).toEqual([
          { _id: sha256(body), status: 200, bytes: Buffer.byteLength(body) },
        ]);
        expect(payloads[0]?.body).toBe(body);
        expect(payloads[0]?.headers['content-type']).toBe(c.contentType);
      });

      it('enqueues one resolve job carrying every stored observation id', async () => {
        const { feedId } = theCase();
        const jobs = afterFirst.resolveJobs(feedId);
        expect(jobs).toHaveLength(entries > 0 ? 1 : 0);
        expect([...(jobs[0]?.observationIds ?? [])].sort()).toEqual(afterFirst.observations(feedId).sort());
      });

      it('a second fetch of the same bytes is "unchanged" and stores nothing new', async () => {
        const { feedId } = theCase();
        expect(secondRound.get(feedId)).toEqual({ outcome: 'unchanged' });
        expect(afterSecond.observations(feedId).sort()).toEqual(afterFirst.observations(feedId).sort());
        expect(afterSecond.payloads(feedId)).toHaveLength(1);
        expect(afterSecond.resolveJobs(feedId)).toEqual(afterFirst.resolveJobs(feedId));
      });
    } else {
      const { failing, status } = c.expected;

      it(`marks the feed failing with class ${failing} and stores nothing`, async () => {
        const { feedId } = theCase();
        // Neither a parse error nor a 400 is retryable: the job fails on its first attempt.
        expect(firstRound.get(feedId)).toMatchObject({ state: 'failed', attemptsMade: 1 });
        expect(secondRound.get(feedId)).toEqual(expect.any(String));
        const feed = await h.feed(feedId);
        expect(feed.health).toMatchObject({ status: 'failing', consecutiveFailures: 2 });
        expect(feed.health.lastError?.errorClass).toBe(failing);
        if (status !== undefined) expect(feed.health.lastError?.message).toContain(`answered ${status}`);
        if (failing === 'parse') expect(feed.health.lastError?.message).toMatch(/^sources: /);
        expect(feed.state.lastPayloadHash).toBeUndefined();
        expect(afterSecond.observations(feedId)).toEqual([]);
        expect(afterSecond.payloads(feedId)).toEqual([]);
        expect(afterSecond.resolveJobs(feedId)).toEqual([]);
      });
    }
  });
});
