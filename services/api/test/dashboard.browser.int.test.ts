// The dashboard and Bull Board in a real browser (Debian's headless Chromium driven by playwright-core)
// over a running pipeline: fetcher, resolver and scorer workers in this process ingest an HF daily list and
// an RSS feed served from a loopback server (twice, so the upvotes have a history), plus a feed that 404s;
// the API listens on 127.0.0.1. The pages must show the board in the scorer's order with breakdowns and
// sparklines, all from the `/trending` rows (no `/papers/` request while the board renders), a paper's detail, feed health with the broken feed unhealthy, and Bull Board behind Basic
// auth — with no console error (CSP violations included) and a screenshot of each.
/// <reference path="../../../test/setup/global-setup.ts" />
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BREAKDOWN_FACTORS, type RankingSnapshot } from '@paperwire/core';
import { fetcherEnvSchema, startFetcher } from '@paperwire/fetcher';
import { QUEUES } from '@paperwire/jobs';
import { resolverEnvSchema, startResolver } from '@paperwire/resolver';
import { feedRegistry, type Runtime } from '@paperwire/runtime';
import { scorerEnvSchema, startScorer } from '@paperwire/scorer';
import { type Browser, type BrowserContext, type Page, chromium as playwright } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FeedServer, startFeedServer } from '../../../test/support/feed-server.ts';
import { testRuntimes } from '../../../test/support/runtime.ts';
import { chromium, skipWithout } from '../../../test/support/system-tools.ts';
import { buildApp, startApi } from '../src/index.ts';

const browserTool = chromium();
const keptShots = process.env.PAPERWIRE_SCREENSHOTS_DIR || undefined;
const skip = skipWithout(browserTool);

const HOUR = 3_600_000;
/** An arXiv id of this month, so the id never makes a paper older than the feed says it is. */
const arxivId = (n: number) => {
  const d = new Date();
  return `${String(d.getUTCFullYear() % 100).padStart(2, '0')}${String(d.getUTCMonth() + 1).padStart(2, '0')}.${String(90000 + n)}`;
};

/** Three papers on the HF list (upvotes per round) and one only in the RSS feed; all cs.LG. */
const PAPERS = [
  { id: arxivId(1), title: 'Sparse Mixtures Route Long Contexts', authors: ['Ada Lovelace', 'Grace Hopper'] },
  { id: arxivId(2), title: 'Calibrated Diffusion Policies for Robots', authors: ['Katherine Johnson'] },
  // Markup in data must reach the page as text.
  {
    id: arxivId(3),
    title: 'Probing <x-probe id="pwned">Tokenisers</x-probe> & "Quotes"',
    authors: ['Alan Turing'],
  },
] as const;
const RSS_ONLY = { title: 'Evaluating Agents, a Field Guide', author: 'Edsger Dijkstra' };
const UPVOTES = [
  [120, 40, 8],
  [180, 55, 8],
] as const;
const EXPECTED_ORDER = [PAPERS[0].title, PAPERS[1].title, PAPERS[2].title, RSS_ONLY.title];

function hfList(round: 0 | 1, now: Date): string {
  return JSON.stringify(
    PAPERS.map((p, i) => ({
      paper: {
        id: p.id,
        title: p.title,
        summary: `Abstract of ${p.id}.`,
        authors: p.authors.map((name) => ({ name })),
        publishedAt: new Date(now.getTime() - (3 - i) * HOUR).toISOString(),
        upvotes: UPVOTES[round][i],
      },
      numComments: i,
    })),
  );
}

const xml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function rssFeed(now: Date): string {
  const at = (h: number) => new Date(now.getTime() - h * HOUR).toUTCString();
  const item = (title: string, link: string, guid: string, author: string, hoursAgo: number) => `
  <item>
    <title>${xml(title)}</title>
    <link>${link}</link>
    <guid isPermaLink="false">${guid}</guid>
    <dc:creator>${xml(author)}</dc:creator>
    <pubDate>${at(hoursAgo)}</pubDate>
    <category>cs.LG</category>
    <description>Announced on the lab feed.</description>
  </item>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Dashboard lab feed</title>
  <link>http://127.0.0.1/</link>
  <description>Papers for the dashboard browser test</description>
  ${PAPERS.map((p, i) => item(p.title, `https://arxiv.org/abs/${p.id}v1`, `lab-${i}`, p.authors.join(', '), 3 - i)).join('')}
  ${item(PAPERS[0].title, `https://arxiv.org/abs/${PAPERS[0].id}v2`, 'lab-0-v2', PAPERS[0].authors.join(', '), 1)}
  ${item(RSS_ONLY.title, 'https://example.org/blog/agents', 'lab-blog', RSS_ONLY.author, 1)}
</channel>
</rss>`;
}

async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const isPng = async (path: string) => {
  const bytes = await readFile(path);
  return bytes.length > 1000 && bytes.subarray(0, 8).equals(Buffer.from('89504e470d0a1a0a', 'hex'));
};

describe.skipIf(skip)('the dashboard in a real browser, over a running pipeline', () => {
  const runtimes = testRuntimes();
  let rt: Runtime;
  let server: FeedServer;
  let base: string;
  let adminKey: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let shots: string;
  const consoleErrors: string[] = [];
  const feedIds = { hf: '', rss: '', broken: '' };

  /** Fetches every feed now and waits until the fetches and what they queued are done, then re-scores. */
  async function ingestRound(): Promise<RankingSnapshot> {
    const registry = feedRegistry(rt.db, rt.queues);
    for (const id of Object.values(feedIds)) await registry.fetchNow(id, 'manual', new Date());
    const busy = async (q: 'fetch' | 'resolve') => {
      const c = await rt.queues.byName[q].getJobCounts('waiting', 'active', 'prioritized');
      return (c.waiting ?? 0) + (c.active ?? 0) + (c.prioritized ?? 0) > 0;
    };
    await until('the fetches and resolves to finish', async () =>
      (await busy('fetch')) || (await busy('resolve')) ? undefined : true,
    );
    // One re-score after everything is stored (the debounced ones may have run before the last resolve).
    const asked = new Date().toISOString();
    await rt.queues.enqueue('score-rankings', { reason: 'manual' });
    return until('a 24h snapshot scored after the round', async () => {
      const current = await rt.db.rankings.current('24h', 'all');
      return current && current.asOf >= asked ? current : undefined;
    });
  }

  beforeAll(async () => {
    // PAPERWIRE_SCREENSHOTS_DIR keeps them for a look; otherwise a temporary dir, removed afterwards.
    shots = keptShots ?? (await mkdtemp(join(tmpdir(), 'paperwire-dashboard-')));
    server = await startFeedServer();
    const now = new Date();
    server.set('/api/daily_papers', { body: hfList(0, now), contentType: 'application/json; charset=utf-8' });
    server.set('/lab.rss', { body: rssFeed(now), contentType: 'application/rss+xml; charset=utf-8' });
    // /broken.rss is never set: the loopback server answers 404.

    rt = await runtimes.runtime('api-dashboard-browser');
    startFetcher(
      rt,
      fetcherEnvSchema.parse({
        PAPERWIRE_ALLOW_PRIVATE_NETWORKS: 'true',
        BUDGET_HUGGINGFACE_MS: '0',
        BUDGET_WEB_HOST_MS: '0',
        HF_REPOLL_DAYS: '0',
      }),
    );
    startResolver(rt, resolverEnvSchema.parse({}));
    startScorer(rt, scorerEnvSchema.parse({}));
    const api = await startApi(rt, {
      PORT: 0,
      HOST: '127.0.0.1',
      API_READ_REQUIRES_KEY: false,
      API_RATE_LIMIT_PER_MINUTE: 10_000,
    });
    base = api.url;
    adminKey = (await rt.db.apiKeys.create('ops', ['admin'], now)).key;

    const registry = feedRegistry(rt.db, rt.queues);
    feedIds.hf = (
      await registry.add({ url: server.url('/api/daily_papers'), kind: 'hf-daily', intervalMinutes: 60 }, now)
    )._id;
    feedIds.rss = (
      await registry.add({ url: server.url('/lab.rss'), kind: 'rss', intervalMinutes: 60 }, now)
    )._id;
    feedIds.broken = (
      await registry.add({ url: server.url('/broken.rss'), kind: 'rss', intervalMinutes: 30 }, now)
    )._id;

    await ingestRound();
    // Round two: the list's upvotes moved, so the papers gain a second point of history.
    server.set('/api/daily_papers', {
      body: hfList(1, new Date()),
      contentType: 'application/json; charset=utf-8',
    });
    await ingestRound();
    await until('the broken feed to be marked failing', async () =>
      (await rt.db.feeds.get(feedIds.broken))?.health.status === 'failing' ? true : undefined,
    );

    browser = await playwright.launch({
      executablePath: browserTool.executablePath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(30_000);
    page = await context.newPage();
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(`${msg.text()} @ ${msg.location().url}`);
    });
    page.on('pageerror', (err) => consoleErrors.push(`pageerror: ${err.message}`));
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await runtimes.closeAll();
    await server?.close();
    if (shots && !keptShots) await rm(shots, { recursive: true, force: true });
  });

  it('shows the trending board in the scorer’s order, with breakdowns and sparklines', async () => {
    const api = (await (await fetch(`${base}/trending?window=24h&category=all`)).json()) as {
      items: { paperId: string; title: string; breakdown: Record<string, number> }[];
    };
    expect(api.items.map((i) => i.title)).toEqual(EXPECTED_ORDER);

    // The board renders from its rows: every request the page makes is recorded, none may be a paper read.
    const requested: string[] = [];
    const record = (r: { url(): string }) => requested.push(new URL(r.url()).pathname);
    page.on('request', record);
    await page.goto(`${base}/dashboard#/trending?window=24h&category=all`);
    const items = page.locator('#papers li.paper');
    await items.nth(EXPECTED_ORDER.length - 1).waitFor();
    expect(await items.count()).toBe(EXPECTED_ORDER.length);
    expect(await items.locator('.title').allTextContents()).toEqual(EXPECTED_ORDER);
    expect(await items.locator('.rank').allTextContents()).toEqual(['1', '2', '3', '4']);
    // The markup in a title is text, not an element.
    expect(await page.locator('x-probe').count()).toBe(0);

    // Authors, categories, signals, links and the abstract's excerpt are the row's, as is the breakdown.
    const top = items.nth(0);
    await top.locator('.categories li').first().waitFor();
    expect(await top.locator('.excerpt').textContent()).toBe(`Abstract of ${PAPERS[0].id}.`);
    expect(await top.locator('ul.links a').allTextContents()).toEqual(
      expect.arrayContaining(['arXiv', 'Hugging Face']),
    );
    expect(await top.locator('.authors').textContent()).toBe(PAPERS[0].authors.join(', '));
    expect(await top.locator('.categories li').allTextContents()).toContain('cs.LG');
    expect(await top.locator('.totals').textContent()).toContain('180 upvotes');
    // Every non-zero contribution is listed (they sum to the score); the factors are shown apart.
    for (const [i, entry] of api.items.entries()) {
      const names = await items.nth(i).locator('dl.breakdown dt').allTextContents();
      const parts = Object.entries(entry.breakdown).filter(([k, v]) => !BREAKDOWN_FACTORS.has(k) && v !== 0);
      expect(names.sort()).toEqual(parts.map(([k]) => k).sort());
      expect(await items.nth(i).locator('.factors').textContent()).toContain('decay ×');
    }

    // Sparklines from the row's history: the top paper's upvotes went 120 → 180.
    const spark = top.locator('svg.sparkline');
    await spark.waitFor();
    expect(await spark.getAttribute('aria-label')).toContain('huggingface upvotes: 120 → 180');
    const line = spark.locator('polyline.series').first();
    expect((await line.getAttribute('points'))?.split(' ').length).toBeGreaterThanOrEqual(3);
    // The RSS-only paper has no signals, and says so.
    await items.nth(3).locator('.sparkline-empty').waitFor();
    for (let i = 0; i < EXPECTED_ORDER.length; i++) {
      await items.nth(i).locator('.categories').waitFor();
      await items.nth(i).locator('svg.sparkline, .sparkline-empty').first().waitFor({ state: 'attached' });
    }
    expect(await page.locator('#main').textContent()).not.toMatch(/undefined|null|NaN|\[object/);
    page.off('request', record);
    expect(requested).toContain('/trending');
    expect(requested.filter((p) => p.startsWith('/papers/'))).toEqual([]);

    // Opened, the top paper's breakdown lists every part of its score.
    await top.locator('details.why summary').click();
    await top.locator('dl.breakdown dt').first().waitFor();
    const shot = join(shots, 'trending.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(await isPng(shot)).toBe(true);
  });

  it('opens a paper’s detail with its ids, versions, sightings and signal history', async () => {
    await page.locator('#papers li.paper').nth(0).locator('a.title').click();
    const detail = page.locator('article.paper-detail');
    await detail.waitFor();
    expect(page.url()).toContain('#/paper/');
    expect(await detail.locator('h2.title').textContent()).toBe(PAPERS[0].title);

    const paper = (await (await fetch(`${base}/papers/${PAPERS[0].id}`)).json()) as {
      _id: string;
      sightings: { source: string; feedId: string }[];
    };
    expect(await detail.getAttribute('data-paper-id')).toBe(paper._id);
    expect(await detail.locator('table.ids').textContent()).toContain(PAPERS[0].id);
    expect(await detail.locator('table.versions tr.version td:first-child').allTextContents()).toEqual([
      'v1',
      'v2',
    ]);
    const rows = detail.locator('table.sightings tr.sighting');
    expect(await rows.count()).toBe(paper.sightings.length);
    const sources = await rows.locator('td:first-child').allTextContents();
    expect(new Set(sources)).toEqual(new Set(['huggingface', 'web']));
    expect(await detail.locator('table.sightings').textContent()).toContain('upvotes 180');
    expect(await detail.locator('ul.links a').first().getAttribute('href')).toMatch(
      /^https:\/\/arxiv\.org\//,
    );
    // Attached, not visible: a series that never changed is a flat line with an empty bounding box.
    await detail.locator('.history svg.sparkline polyline.series').first().waitFor({ state: 'attached' });
    expect(await detail.locator('.legend').textContent()).toContain('huggingface upvotes: 120 → 180');

    expect(await page.locator('#main').textContent()).not.toMatch(/undefined|null|NaN|\[object/);
    const shot = join(shots, 'paper.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(await isPng(shot)).toBe(true);
  });

  it('shows feed health, with the broken feed unhealthy', async () => {
    await page.locator('[data-nav="feeds"]').click();
    const rows = page.locator('table#feeds tr.feed');
    await rows.nth(2).waitFor();
    expect(await rows.count()).toBe(3);
    const broken = page.locator(`tr.feed[data-feed-id="${feedIds.broken}"]`);
    expect(await broken.getAttribute('class')).toBe('feed unhealthy');
    expect(await broken.getAttribute('data-status')).toBe('failing');
    expect(await broken.locator('.error-class').textContent()).toBe('http-4xx');
    for (const id of [feedIds.hf, feedIds.rss]) {
      const row = page.locator(`tr.feed[data-feed-id="${id}"]`);
      expect(await row.getAttribute('class')).toBe('feed healthy');
      expect(await row.locator('.status').first().textContent()).toBe('ok');
    }

    expect(await page.locator('#main').textContent()).not.toMatch(/undefined|null|NaN|\[object/);
    const shot = join(shots, 'feeds.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(await isPng(shot)).toBe(true);
    expect(consoleErrors).toEqual([]);
  });

  it('asks for a key when reads need one, and reads with the key typed in', async () => {
    const keyed = buildApp(rt, { API_READ_REQUIRES_KEY: true, API_RATE_LIMIT_PER_MINUTE: 10_000 });
    const keyedBase = await keyed.listen({ port: 0, host: '127.0.0.1' });
    const readerKey = (await rt.db.apiKeys.create('dashboard', ['read'], new Date())).key;
    const keyedContext = await browser.newContext();
    try {
      const keyedPage = await keyedContext.newPage();
      await keyedPage.goto(`${keyedBase}/dashboard#/feeds`);
      await keyedPage.getByText('This server needs an API key to read.').waitFor();
      await keyedPage.locator('#key-input').fill(readerKey);
      await keyedPage.locator('#key-form button[type="submit"]').click();
      await keyedPage.locator('table#feeds tr.feed').nth(2).waitFor();
      // Kept for the tab: a reload reads with it again.
      await keyedPage.reload();
      await keyedPage.locator('table#feeds tr.feed').nth(2).waitFor();
    } finally {
      await keyedContext.close();
      await keyed.close();
    }
  });

  it('serves Bull Board with admin Basic credentials, showing every queue, and 401 without', async () => {
    // Without credentials, or with a key that is not one: the server challenges with Basic; the browser
    // (which cannot prompt here) shows the 401 or gives the navigation up, depending on its auth handling.
    for (const credentials of [undefined, { username: 'ops', password: 'pw_not-a-key-we-made' }]) {
      const refusedContext = await browser.newContext(credentials ? { httpCredentials: credentials } : {});
      const refusedPage = await refusedContext.newPage();
      const answers: { status: number; challenge: string | undefined }[] = [];
      refusedPage.on('response', (r) =>
        answers.push({ status: r.status(), challenge: r.headers()['www-authenticate'] }),
      );
      const outcome = await refusedPage.goto(`${base}/admin/queues`).then(
        (r) => `status ${r?.status()}`,
        (err: Error) => err.message,
      );
      expect(outcome).toMatch(/^status 401$|ERR_INVALID_AUTH_CREDENTIALS/);
      expect(answers.length).toBeGreaterThan(0);
      expect(answers.every((a) => a.status === 401 && a.challenge === 'Basic realm="paperwire admin"')).toBe(
        true,
      );
      await refusedContext.close();
    }

    const admin = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      httpCredentials: { username: 'ops', password: adminKey },
    });
    try {
      // Nothing leaves 127.0.0.1: Bull Board's page links a web font, which is refused here.
      const external: string[] = [];
      await admin.route(
        (url) => url.hostname !== '127.0.0.1',
        (route) => {
          external.push(route.request().url());
          return route.abort();
        },
      );
      const board = await admin.newPage();
      const errors: string[] = [];
      board.on('pageerror', (err) => errors.push(err.message));
      const res = await board.goto(`${base}/admin/queues`);
      expect(res?.status()).toBe(200);
      for (const name of QUEUES) {
        await board.locator(`a[href$="/queue/${name}"]`).first().waitFor();
      }
      expect(await board.title()).toBe('Paperwire queues');
      // The overview has loaded its counts from the board's API (with the same credentials).
      await expect.poll(() => board.getByText('Loading').count(), { timeout: 30_000 }).toBe(0);
      expect(errors).toEqual([]);
      expect(external.every((u) => new URL(u).hostname.endsWith('googleapis.com'))).toBe(true);

      const shot = join(shots, 'queues.png');
      await board.screenshot({ path: shot, fullPage: true });
      expect(await isPng(shot)).toBe(true);
    } finally {
      await admin.close();
    }
  });
});
