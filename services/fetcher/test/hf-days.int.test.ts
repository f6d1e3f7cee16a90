// hf-daily feeds without `?date=` re-poll the previous days until each day's list settles: through the real
// worker, Redis and FerretDB, against a loopback server that answers per `date` and per poll. The job's
// clock is injected, so the dates requested are fixed.
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storedObservations } from '../../../test/support/observations.ts';
import { type FeedServer, startFeedServer } from './support/feed-server.ts';
import { type FetcherHarness, startHarness } from './support/harness.ts';

const BUDGET_MS = 200;
/**
 * The first and last round trips may differ under a loaded run. Generous, and still far below what the
 * span would be if only each fetch's first request were budgeted (about 5 gaps, not 11).
 */
const TOLERANCE_MS = 150;
const JSON_TYPE = 'application/json; charset=utf-8';

let h: FetcherHarness;
let server: FeedServer;
let clock = new Date('2026-11-29T09:00:00Z');

beforeAll(async () => {
  server = await startFeedServer();
  h = await startHarness('fetcher-hf-days', {
    env: { HF_REPOLL_DAYS: '2', HF_REPOLL_STABLE_POLLS: '2', BUDGET_HUGGINGFACE_MS: String(BUDGET_MS) },
    now: () => clock,
  });
});

afterAll(async () => {
  await h?.close();
  await server?.close();
});

/** A daily-papers list (the current schema, trimmed): one item per [arXiv id, upvotes]. */
function dailyList(items: [id: string, upvotes: number][]): string {
  return JSON.stringify(
    items.map(([id, upvotes]) => ({
      paper: {
        id,
        title: `Daily paper ${id}`,
        summary: `Written for the hf-days test (${id}).`,
        authors: [{ name: 'Ada Lovelace' }],
        publishedAt: '2026-11-27T00:00:00.000Z',
        upvotes,
      },
      numComments: 0,
    })),
  );
}

interface Served {
  date: string | null;
  at: number;
}

/**
 * Serves `path` like /api/daily_papers: `lists(date, poll)` answers the `poll`-th request (1-based) for
 * `date` (null: no date, today's list). Records every request's date in order.
 */
function dailyPapers(path: string, lists: (date: string | null, poll: number) => string) {
  const served: Served[] = [];
  const polls = new Map<string | null, number>();
  const url = server.route(path, (req, res) => {
    const date = new URL(req.url ?? '/', 'http://x').searchParams.get('date');
    const poll = (polls.get(date) ?? 0) + 1;
    polls.set(date, poll);
    served.push({ date, at: performance.now() });
    res.writeHead(200, { 'content-type': JSON_TYPE }).end(lists(date, poll));
  });
  return { url, served };
}

/** Dates requested by each fetch: `served` split where a request without a date (each fetch's first) starts. */
function byFetch(served: Served[]): (string | null)[][] {
  const out: (string | null)[][] = [];
  for (const s of served) {
    if (s.date === null || out.length === 0) out.push([]);
    out.at(-1)!.push(s.date);
  }
  return out;
}

describe('hf-daily re-polls of previous days', () => {
  it('polls each previous day until it was unchanged K times, ingests the days that changed, then stops', async () => {
    // Today's list never changes; 11-28's upvotes move on its second poll, then settle; 11-27 never changes.
    const { url, served } = dailyPapers('/api/daily_papers', (date, poll) => {
      if (date === '2026-11-28') return dailyList([['2611.00002', poll === 1 ? 5 : 9]]);
      if (date === '2026-11-27') return dailyList([['2611.00003', 40]]);
      if (date === null) return dailyList([['2611.00001', 1]]);
      return '[]';
    });
    const feed = await h.addFeed({ url, kind: 'hf-daily', intervalMinutes: 30 });
    expect(feed.source).toBe('huggingface');

    // 1: today's list and both previous days are new.
    expect(await h.fetchOnce(feed._id)).toEqual({
      outcome: 'stored',
      entries: 3,
      skipped: 0,
      newObservations: 3,
    });
    const first = await h.feed(feed._id);
    // The feed's counts are its own payload's; the previous days add observations.
    expect(first.health).toMatchObject({ status: 'ok', lastEntryCount: 1, quiet: false });
    expect(first.state.hfDays).toEqual([
      { date: '2026-11-28', hash: expect.stringMatching(/^[0-9a-f]{64}$/), unchangedPolls: 0 },
      { date: '2026-11-27', hash: expect.stringMatching(/^[0-9a-f]{64}$/), unchangedPolls: 0 },
    ]);
    const stored = await h.mongo.collection('observations').find({ 'provenance.feedId': feed._id }).toArray();
    expect(stored.map((o) => o.provenance.entryKey).sort()).toEqual([
      '2611.00001',
      '2611.00002',
      '2611.00003',
    ]);
    const archived = await h.payloadsOf(feed._id);
    expect(archived.map((p) => new URL(p.url).searchParams.get('date')).sort()).toEqual([
      '2026-11-27',
      '2026-11-28',
      null,
    ]);

    // 2: today unchanged, 11-28 changed (new upvotes: a new observation), 11-27 unchanged once.
    expect(await h.fetchOnce(feed._id)).toEqual({
      outcome: 'stored',
      entries: 1,
      skipped: 0,
      newObservations: 1,
    });
    expect((await h.feed(feed._id)).health).toMatchObject({ status: 'ok', lastEntryCount: 1 });
    // 3: nothing changed anywhere; 11-28 unchanged once, 11-27 twice (settled).
    expect(await h.fetchOnce(feed._id)).toEqual({ outcome: 'unchanged' });
    // 4: 11-28 unchanged twice (settled). 5: only today's list.
    expect(await h.fetchOnce(feed._id)).toEqual({ outcome: 'unchanged' });
    expect(await h.fetchOnce(feed._id)).toEqual({ outcome: 'unchanged' });

    expect(byFetch(served)).toEqual([
      [null, '2026-11-28', '2026-11-27'],
      [null, '2026-11-28', '2026-11-27'],
      [null, '2026-11-28', '2026-11-27'],
      [null, '2026-11-28'],
      [null],
    ]);
    expect((await h.feed(feed._id)).state.hfDays).toEqual([
      { date: '2026-11-28', hash: expect.any(String), unchangedPolls: 2 },
      { date: '2026-11-27', hash: expect.any(String), unchangedPolls: 2 },
    ]);
    expect(await h.observationCount(feed._id)).toBe(4);
    const upvotes = (
      await storedObservations(h.mongo, {
        'provenance.feedId': feed._id,
        'provenance.entryKey': '2611.00002',
      })
    )
      .map((o) => o.signals?.upvotes)
      .sort();
    expect(upvotes).toEqual([5, 9]);

    // The politeness budget spaces every request, the re-polls included: 12 requests span at least 11 gaps
    // (measured end to end, so one slow round trip does not count twice).
    expect(served).toHaveLength(12);
    expect(served.at(-1)!.at - served[0]!.at).toBeGreaterThanOrEqual(11 * BUDGET_MS - TOLERANCE_MS);

    // The next UTC day: 11-29 joins the window, settled 11-28 stays settled, 11-27 leaves the record.
    const before = served.length;
    clock = new Date('2026-11-30T00:10:00Z');
    expect(await h.fetchOnce(feed._id)).toMatchObject({ outcome: 'stored', newObservations: 0 });
    expect(served.slice(before).map((s) => s.date)).toEqual([null, '2026-11-29']);
    expect((await h.feed(feed._id)).state.hfDays).toEqual([
      { date: '2026-11-29', hash: expect.any(String), unchangedPolls: 0 },
      { date: '2026-11-28', hash: expect.any(String), unchangedPolls: 2 },
    ]);
  });

  it('a feed that names its date is fetched alone', async () => {
    const { url, served } = dailyPapers('/api/daily_papers_dated', () => dailyList([['2611.00010', 3]]));
    const feed = await h.addFeed({ url: `${url}?date=2026-11-20`, kind: 'hf-daily', intervalMinutes: 30 });
    expect(await h.fetchOnce(feed._id)).toMatchObject({ outcome: 'stored', entries: 1 });
    expect(await h.fetchOnce(feed._id)).toEqual({ outcome: 'unchanged' });
    expect(served.map((s) => s.date)).toEqual(['2026-11-20', '2026-11-20']);
    expect((await h.feed(feed._id)).state.hfDays).toBeUndefined();
  });
});
