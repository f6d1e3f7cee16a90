// The walking skeleton end to end, through the real CLI: a loopback server serves an RSS feed;
// `feeds add` + `run --once` store its papers in FerretDB; `trending --json`, `papers get` and the API's
// GET /trending return them; a second `run --once` adds nothing and is answered with 304.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../support/cli.ts';
import { type FeedServer, startFeedServer } from '../support/feed-server.ts';
import { testMongoUri, testRedisUrl, uniquePrefix } from '../support/services.ts';

const rfc822 = (d: Date) => d.toUTCString();

/**
 * The feed's dates are hours before the test's clock, and each arXiv id is numbered in the month of its v1
 * date, as arXiv numbers a submission: a revision's first appearance is bounded by its id's month, so fixed
 * ids would age out of the 24h board once the calendar passes their month.
 */
const NOW = new Date();
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000);
const yymm = (d: Date) =>
  `${String(d.getUTCFullYear() % 100).padStart(2, '0')}${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
const ID1 = `${yymm(hoursAgo(2))}.04321`;
const ID2 = `${yymm(hoursAgo(3))}.05555`;

/** An RSS 2.0 feed of four papers published in the last hours (inside the 24h window). */
function labFeed(): string {
  const ago = (h: number) => rfc822(hoursAgo(h));
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>E2E lab feed</title>
  <link>http://127.0.0.1/</link>
  <description>Papers for the walking-skeleton test</description>
  <item>
    <title>Tiny Experts Retrieve Long Contexts</title>
    <link>https://arxiv.org/abs/${ID1}v1</link>
    <guid isPermaLink="false">e2e-1</guid>
    <dc:creator>Ada Lovelace, Grace Hopper</dc:creator>
    <pubDate>${ago(2)}</pubDate>
    <category>cs.LG</category>
    <description>Tokens routed to tiny experts.</description>
  </item>
  <item>
    <title>Tiny Experts Retrieve Long Contexts (v2 announcement)</title>
    <link>https://arxiv.org/abs/${ID1}v2</link>
    <guid isPermaLink="false">e2e-1-v2</guid>
    <dc:creator>Ada Lovelace, Grace Hopper</dc:creator>
    <pubDate>${ago(1)}</pubDate>
    <category>cs.LG</category>
    <description>The same paper, revised.</description>
  </item>
  <item>
    <title>Calibrated Diffusion Policies</title>
    <link>https://arxiv.org/pdf/${ID2}.pdf</link>
    <guid isPermaLink="false">e2e-2</guid>
    <dc:creator>Katherine Johnson</dc:creator>
    <pubDate>${ago(3)}</pubDate>
    <category>cs.RO</category>
    <description>Uncertainty for robots.</description>
  </item>
  <item>
    <title>Evaluating Agents, a Field Guide</title>
    <link>https://example.org/blog/agents</link>
    <guid isPermaLink="false">e2e-3</guid>
    <dc:creator>Edsger Dijkstra</dc:creator>
    <pubDate>${ago(4)}</pubDate>
    <description>A blog post without an arXiv id.</description>
  </item>
</channel>
</rss>`;
}

let server: FeedServer;
const env: Record<string, string> = {
  MONGODB_URI: '',
  REDIS_URL: '',
  PAPERWIRE_QUEUE_PREFIX: uniquePrefix('e2e'),
  PAPERWIRE_ALLOW_PRIVATE_NETWORKS: 'true',
  PAPERWIRE_SEED_DEFAULT_FEEDS: 'false',
  BUDGET_WEB_HOST_MS: '0',
  LOG_LEVEL: 'warn',
};

beforeAll(async () => {
  env.MONGODB_URI = testMongoUri('e2e');
  env.REDIS_URL = testRedisUrl();
  server = await startFeedServer();
  server.set('/lab.rss', { body: labFeed(), contentType: 'application/rss+xml; charset=utf-8' });
});
afterAll(async () => {
  await server?.close();
});

describe('walking skeleton: feed → fetch → parse → normalise → store → score → read', () => {
  let feedId = '';

  it('adds a feed', async () => {
    const res = await runCli(
      ['feeds', 'add', server.url('/lab.rss'), '--kind', 'rss', '--every', '15m', '--json'],
      env,
    );
    expect(res.code, res.stderr).toBe(0);
    const feed = JSON.parse(res.stdout) as { _id: string; kind: string; enabled: boolean };
    expect(feed.kind).toBe('rss');
    expect(feed.enabled).toBe(true);
    feedId = feed._id;

    const list = await runCli(['feeds', 'list', '--json'], env);
    expect((JSON.parse(list.stdout) as { _id: string }[]).map((f) => f._id)).toEqual([feedId]);

    const paused = await runCli(['feeds', 'pause', feedId, '--json'], env);
    expect(paused.code, paused.stderr).toBe(0);
    expect((JSON.parse(paused.stdout) as { enabled: boolean }).enabled).toBe(false);
    const resumed = await runCli(['feeds', 'resume', feedId, '--json'], env);
    expect((JSON.parse(resumed.stdout) as { enabled: boolean }).enabled).toBe(true);
  });

  it('run --once stores the papers, one per paper (v1 and v2 are one)', async () => {
    const res = await runCli(['run', '--once', '--json'], env);
    expect(res.code, res.stderr).toBe(0);
    const summary = JSON.parse(res.stdout) as {
      papers: number;
      feeds: { id: string; health: string; entries: number }[];
    };
    expect(summary.feeds).toEqual([expect.objectContaining({ id: feedId, health: 'ok', entries: 4 })]);
    expect(summary.papers).toBe(3);
    expect(server.requests.filter((r) => r.status === 200)).toHaveLength(1);
  });

  it('papers get finds a paper by any id and exits 1 for unknown ids', async () => {
    for (const id of [ID1, `${ID1}v1`, `arXiv:${ID1}v2`, `https://arxiv.org/abs/${ID1}`]) {
      const res = await runCli(['papers', 'get', id, '--json'], env);
      expect(res.code, `${id}: ${res.stderr}`).toBe(0);
      const paper = JSON.parse(res.stdout) as { _id: string; latestVersion: number; versions: unknown[] };
      expect(paper._id).toBe(`arxiv:${ID1}`);
      expect(paper.latestVersion).toBe(2);
      expect(paper.versions).toHaveLength(2);
    }
    const unknown = await runCli(['papers', 'get', '2611.09999'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no paper known as 2611.09999');
  });

  it('trending --json returns the papers with a score breakdown', async () => {
    const res = await runCli(['trending', '--window', '24h', '--json'], env);
    expect(res.code, res.stderr).toBe(0);
    const snapshot = JSON.parse(res.stdout) as {
      window: string;
      scoreVersion: string;
      entries: { paperId: string; rank: number; score: number; breakdown: Record<string, number> }[];
    };
    expect(snapshot.window).toBe('24h');
    expect(snapshot.scoreVersion).toMatch(/^pw-trend-/);
    const ids = snapshot.entries.map((e) => e.paperId);
    expect(ids).toHaveLength(3);
    expect(ids).toEqual(expect.arrayContaining([`arxiv:${ID1}`, `arxiv:${ID2}`]));
    expect(ids.filter((id) => id.startsWith('fp:'))).toHaveLength(1);
    expect(snapshot.entries.map((e) => e.rank)).toEqual([1, 2, 3]);
    for (const e of snapshot.entries) {
      expect(e.score).toBeGreaterThan(0);
      expect(Object.keys(e.breakdown)).toContain('base');
    }
  });

  it('GET /trending serves the same snapshot', async () => {
    const api = await startCli(['start', '--only', 'api'], { ...env, PORT: '0' }, /API on (http:\/\/\S+) /);
    try {
      const base = api.match[1]!;
      const res = await fetch(`${base}/trending?window=24h&limit=2`);
      expect(res.status).toBe(200);
      expect(res.headers.get('etag')).toBeTruthy();
      const body = (await res.json()) as { items: { paperId: string }[]; nextCursor: string | null };
      expect(body.items).toHaveLength(2);
      expect(body.nextCursor).toBeTruthy();
      const page2 = (await (await fetch(`${base}/trending?cursor=${body.nextCursor}`)).json()) as {
        items: { paperId: string; rank: number }[];
      };
      expect(page2.items.map((i) => i.rank)).toEqual([3]);

      const paper = await fetch(`${base}/papers/${ID1}v1`);
      expect(paper.status).toBe(200);
      expect(((await paper.json()) as { _id: string })._id).toBe(`arxiv:${ID1}`);
      expect((await fetch(`${base}/trending?category[$ne]=x`)).status).toBe(400);
      expect((await fetch(`${base}/health`)).status).toBe(200);
      expect((await fetch(`${base}/ready`)).status).toBe(200);
    } finally {
      expect(await api.stop()).toBe(143);
    }
  });

  it('a second run --once adds nothing and is answered with 304', async () => {
    const res = await runCli(['run', '--once', '--json'], env);
    expect(res.code, res.stderr).toBe(0);
    expect((JSON.parse(res.stdout) as { papers: number }).papers).toBe(3);
    const last = server.requests.at(-1)!;
    expect(last.status).toBe(304);
    expect(last.headers['if-none-match']).toBeTruthy();
  });
});
