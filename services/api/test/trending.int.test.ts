// The trending API against real FerretDB: rankings are frozen snapshots switched by a pointer, so a
// cursor keeps paging the snapshot it started on while a new one becomes current; ETags answer 304;
// operator-shaped and unknown parameters are a 400; /trending/changes compares the board then and now.
// The app's clock is moved by hand: /trending keeps a board's pointer for TRENDING_POINTER_CACHE_MS, so a
// newly published ranking is asked for once that time has passed; the requests that ask get the ranking
// they had until that read is back (`served`).
/// <reference path="../../../test/setup/global-setup.ts" />
import type { RankedPaper } from '@paperwire/core';
import { createLogger } from '@paperwire/platform';
import { createRuntime, type Runtime } from '@paperwire/runtime';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { rankingSnapshot as snapshot } from '../../../test/support/rankings.ts';
import { testMongoUri, testRedisUrl, uniquePrefix } from '../../../test/support/services.ts';
import { apiEnvSchema, buildApp } from '../src/index.ts';

const log = createLogger({ service: 'test', level: 'warn' });
let rt: Runtime;
let app: FastifyInstance;
const TTL = 1_000;
let clock = 0;
/** Moves the app's clock past the pointer cache's TTL, so the next request reads the pointer again. */
const pastTtl = () => {
  clock += TTL;
};

beforeAll(async () => {
  const config = apiEnvSchema.parse({
    MONGODB_URI: testMongoUri('api-trending'),
    REDIS_URL: testRedisUrl(),
    PAPERWIRE_QUEUE_PREFIX: uniquePrefix('api-trending'),
  });
  rt = await createRuntime(config, log);
  app = buildApp(rt, { TRENDING_POINTER_CACHE_MS: TTL }, { now: () => clock });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await rt?.shutdown.run('test done');
});

interface Page {
  asOf: string;
  items: RankedPaper[];
  nextCursor: string | null;
}

const get = async (url: string, headers: Record<string, string> = {}) =>
  app.inject({ method: 'GET', url, headers });
/**
 * The page `url` answers once the board's pointer, read again in the background after its TTL, names the
 * snapshot of `asOf` (polled, with a deadline: the read is a real database round trip).
 */
async function served(url: string, asOf: string): Promise<Page> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const page = (await get(url)).json<Page>();
    if (page.asOf === asOf) return page;
    if (Date.now() > deadline) throw new Error(`${url} still serves ${page.asOf}, not ${asOf}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
const paperIds = (page: Page) => page.items.map((i) => i.paperId);

describe('GET /trending', () => {
  const A = snapshot('24h', 'all', '2026-11-28T10:00:00.000Z', ['a1', 'a2', 'a3', 'a4', 'a5', 'a6']);
  const B = snapshot('24h', 'all', '2026-11-28T10:15:00.000Z', ['a6', 'a5', 'a4', 'a3', 'a2', 'a1']);

  it('pages one frozen snapshot through a cursor while a newer one becomes current', async () => {
    await rt.db.rankings.publish(A);
    const first = await get('/trending?window=24h&limit=3');
    expect(first.statusCode).toBe(200);
    const page1 = first.json<Page>();
    expect(page1.asOf).toBe(A.asOf);
    expect(paperIds(page1)).toEqual(['a1', 'a2', 'a3']);
    expect(page1.nextCursor).toEqual(expect.any(String));

    await rt.db.rankings.publish(B);

    // Page 2 continues A: no paper is skipped or repeated although B reverses the order.
    const page2 = (await get(`/trending?limit=3&cursor=${page1.nextCursor}`)).json<Page>();
    expect(page2.asOf).toBe(A.asOf);
    expect(paperIds(page2)).toEqual(['a4', 'a5', 'a6']);
    expect(page2.nextCursor).toBeNull();

    // A fresh request gets B once the pointer cache's TTL has passed (and the pointer was read again).
    pastTtl();
    const fresh = await served('/trending?window=24h&limit=3', B.asOf);
    expect(paperIds(fresh)).toEqual(['a6', 'a5', 'a4']);
  });

  it('answers 304 to If-None-Match with the current ETag, and 200 once the snapshot changed', async () => {
    const res = await get('/trending?limit=3');
    const etag = res.headers.etag as string;
    expect(etag).toMatch(/^".+"$/);
    expect(res.headers['cache-control']).toContain('max-age');
    const again = await get('/trending?limit=3', { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');

    const newer = snapshot('24h', 'all', '2026-11-28T10:30:00.000Z', ['a2', 'a1']);
    await rt.db.rankings.publish(newer);
    pastTtl();
    await served('/trending?limit=3', newer.asOf);
    const changed = await get('/trending?limit=3', { 'if-none-match': etag });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
  });

  it('reads the pointer once per TTL: the old ranking within it, the new one after it', async () => {
    const board = (asOf: string, ids: string[]) => snapshot('30d', 'cs.RO', asOf, ids);
    const url = '/trending?window=30d&category=cs.RO&limit=2';
    const asOf = async (headers: Record<string, string> = {}) => (await get(url, headers)).json<Page>().asOf;
    const old = board('2026-11-28T12:00:00.000Z', ['r1', 'r2', 'r3']);
    const next = board('2026-11-28T12:15:00.000Z', ['r3', 'r2', 'r1']);
    await rt.db.rankings.publish(old);
    pastTtl();
    const readPointer = rt.db.rankings.currentId.bind(rt.db.rankings);
    const pointerReads = vi.spyOn(rt.db.rankings, 'currentId');
    try {
      const first = await get(url);
      expect(first.json<Page>().asOf).toBe(old.asOf);
      expect(pointerReads).toHaveBeenCalledTimes(1);

      await rt.db.rankings.publish(next);
      // Within the TTL: the kept pointer, no read, and the old ETag still answers 304.
      clock += TTL - 1;
      expect(await asOf()).toBe(old.asOf);
      expect((await get(url, { 'if-none-match': first.headers.etag as string })).statusCode).toBe(304);
      expect(pointerReads).toHaveBeenCalledTimes(1);

      // After it: one read in the background, shared by concurrent requests, which meanwhile get the ranking
      // they had at once; then the new ranking with a new ETag.
      // (The read is held until the requests are answered, to show they do not wait for it.)
      clock += 1;
      let release!: () => void;
      const held = new Promise<void>((r) => {
        release = r;
      });
      pointerReads.mockImplementationOnce(async (w, c) => held.then(() => readPointer(w, c)));
      const answers = await Promise.all([get(url), get(url), get(url)]);
      expect(answers.map((r) => r.json<Page>().asOf)).toEqual([old.asOf, old.asOf, old.asOf]);
      expect(pointerReads).toHaveBeenCalledTimes(2);
      release();
      await served(url, next.asOf);
      expect(pointerReads).toHaveBeenCalledTimes(2);
      const changed = await get(url, { 'if-none-match': first.headers.etag as string });
      expect(changed.statusCode).toBe(200);
      expect(changed.headers.etag).not.toBe(first.headers.etag);

      // The cursor of the first page still pages the old snapshot, without the pointer.
      const page2 = (await get(`/trending?limit=2&cursor=${first.json<Page>().nextCursor}`)).json<Page>();
      expect(page2.asOf).toBe(old.asOf);
      expect(paperIds(page2)).toEqual(['r3']);
      expect(pointerReads).toHaveBeenCalledTimes(2);
    } finally {
      pointerReads.mockRestore();
    }
  });

  it('with TRENDING_POINTER_CACHE_MS=0, reads the pointer on every request', async () => {
    const uncached = buildApp(rt, { TRENDING_POINTER_CACHE_MS: 0 }, { now: () => clock });
    const pointerReads = vi.spyOn(rt.db.rankings, 'currentId');
    try {
      const url = '/trending?window=30d&category=cs.RO';
      const before = (await uncached.inject({ method: 'GET', url })).json<Page>();
      const newer = snapshot('30d', 'cs.RO', '2026-11-28T12:30:00.000Z', ['r2']);
      await rt.db.rankings.publish(newer);
      const after = (await uncached.inject({ method: 'GET', url })).json<Page>();
      expect(before.asOf).not.toBe(newer.asOf);
      expect(after.asOf).toBe(newer.asOf);
      expect(pointerReads).toHaveBeenCalledTimes(2);
    } finally {
      pointerReads.mockRestore();
      await uncached.close();
    }
  });

  it.each([
    ['an operator-shaped parameter', '/trending?category[$ne]=x'],
    ['an unknown parameter', '/trending?sort=score'],
    ['a category that is not a category', '/trending?category=%7B%22%24gt%22%3A%22%22%7D'],
    ['an unknown window', '/trending?window=1y'],
  ])('rejects %s with a 400 that names the problem', async (_name, url) => {
    const res = await get(url);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: { code: 'invalid-request', message: expect.any(String) } });
  });

  it('answers a cursor that is not one of its own with a 400', async () => {
    const res = await get('/trending?cursor=bm90LWEtY3Vyc29y');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid-cursor');
  });
});

describe('GET /trending/changes', () => {
  const board = (asOf: string, ids: string[]) => snapshot('7d', 'cs.CL', asOf, ids);

  it('compares the snapshot current at `since` with the current one', async () => {
    await rt.db.rankings.publish(board('2026-11-28T09:00:00.000Z', ['p1', 'p2', 'p3', 'p4']));
    await rt.db.rankings.publish(board('2026-11-28T10:00:00.000Z', ['p2', 'p1', 'p3', 'p4']));
    await rt.db.rankings.publish(board('2026-11-28T11:00:00.000Z', ['p5', 'p2', 'p1', 'p4', 'p3']));

    // Current at 09:30 was the 09:00 snapshot.
    const res = await get('/trending/changes?window=7d&category=cs.CL&since=2026-11-28T09:30:00Z&top=3');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.from.asOf).toBe('2026-11-28T09:00:00.000Z');
    expect(body.to.asOf).toBe('2026-11-28T11:00:00.000Z');
    expect(body.topN).toBe(3);
    expect(body.entered).toEqual([{ paperId: 'p5', title: 'Paper p5', rank: 1 }]);
    expect(body.left).toEqual([{ paperId: 'p3', title: 'Paper p3', rank: 3, to: 5 }]);
    // p2 is #2 both times: not a move.
    expect(body.moved).toEqual([{ paperId: 'p1', from: 1, to: 3 }]);

    const again = await get('/trending/changes?window=7d&category=cs.CL&since=2026-11-28T09:30:00Z&top=3', {
      'if-none-match': res.headers.etag as string,
    });
    expect(again.statusCode).toBe(304);
  });

  it('treats a `since` before the board existed as everything entered, and knows no unknown board', async () => {
    const res = await get('/trending/changes?window=7d&category=cs.CL&since=2020-01-01T00:00:00Z&top=2');
    expect(res.statusCode).toBe(200);
    expect(res.json().from).toBeNull();
    expect(res.json().entered.map((e: { paperId: string }) => e.paperId)).toEqual(['p5', 'p2']);

    const none = await get('/trending/changes?window=30d&category=cs.CL&since=2026-11-28T09:30:00Z');
    expect(none.statusCode).toBe(404);
  });

  it.each([
    ['no since', '/trending/changes?window=7d'],
    ['a since that is not an instant', '/trending/changes?since=yesterday'],
    ['an operator-shaped parameter', '/trending/changes?since=2026-11-28T09:30:00Z&category[$ne]=x'],
    ['an unknown parameter', '/trending/changes?since=2026-11-28T09:30:00Z&limit=5'],
  ])('rejects %s with a 400', async (_name, url) => {
    const res = await get(url);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid-request');
  });
});
