// The trending feeds as a feed reader sees them: a real API on 127.0.0.1 over a runtime with seeded
// papers and rankings, read by Python's feedparser (Debian's python3-feedparser, a client we did not
// write) over HTTP. It must parse both documents without complaint (bozo false), recognise them as Atom
// 1.0 and JSON Feed, and list the entries in ranking order with stable ids and the papers' links, even
// when a paper's title holds markup and characters XML 1.0 forbids.
/// <reference path="../../../test/setup/global-setup.ts" />
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { type Paper, paperRow, type RankingSnapshot, type Window } from '@paperwire/core';
import type { Runtime } from '@paperwire/runtime';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRuntimes } from '../../../test/support/runtime.ts';
import { feedparser, skipWithout } from '../../../test/support/system-tools.ts';
import { buildApp } from '../src/index.ts';

const tool = feedparser();
const skip = skipWithout(tool);
const runtimes = testRuntimes();
let rt: Runtime;
let app: FastifyInstance;
let base: string;

const AS_OF = '2026-11-28T10:00:00.000Z';

function paper(n: number, over: Partial<Paper> = {}): Paper {
  const arxiv = `2611.0000${n}`;
  return {
    _id: `arxiv:${arxiv}`,
    ids: { arxiv },
    versions: [{ version: 1, seenAt: '2026-11-27T08:00:00.000Z' }],
    title: `Paper number ${n}`,
    abstract: `The abstract of paper ${n}.`,
    authors: [{ name: `Author ${n}`, key: `author ${n}` }],
    primaryCategory: n % 2 === 0 ? 'cs.CL' : 'cs.LG',
    categories: [n % 2 === 0 ? 'cs.CL' : 'cs.LG'],
    firstSeenAt: '2026-11-27T08:00:00.000Z',
    publishedAt: `2026-11-2${n}T00:00:00Z`,
    links: { abs: `https://arxiv.org/abs/${arxiv}`, pdf: `https://arxiv.org/pdf/${arxiv}` },
    sightings: [],
    textSource: { rank: 0, version: 1, at: '2026-11-27T08:00:00.000Z' },
    ...over,
  };
}

const papers = [
  paper(1),
  // Markup, an ampersand, NUL and form feed in the title; a lone surrogate in the abstract.
  paper(2, {
    title: 'Attention <is> all & \u0000everything\u000C',
    abstract: 'Broken \uD800 text & <b>bold</b>',
  }),
  paper(3),
  paper(4),
];
const TITLES = ['Paper number 3', 'Attention <is> all & everything', 'Paper number 1', 'Paper number 4'];

function snapshot(window: Window, category: string, ids: string[]): RankingSnapshot {
  return {
    _id: `${window}.${category}.${Date.parse(AS_OF)}`,
    window,
    category,
    asOf: AS_OF,
    scoreVersion: 'pw-trend-1',
    constants: {},
    // The rows as the scorer writes them: the feed renders from these alone (no paper is stored).
    entries: ids.map((paperId, i) => {
      const p = papers.find((x) => x._id === paperId)!;
      return { ...paperRow(p, {}, p.firstSeenAt), rank: i + 1, score: 10 - i, breakdown: {} };
    }),
  };
}

beforeAll(async () => {
  if (skip) return;
  rt = await runtimes.runtime('api-syndication');
  const ranked = ['arxiv:2611.00003', 'arxiv:2611.00002', 'arxiv:2611.00001', 'arxiv:2611.00004'];
  await rt.db.rankings.publish(snapshot('24h', 'all', ranked));
  await rt.db.rankings.publish(snapshot('7d', 'cs.LG', ['arxiv:2611.00001', 'arxiv:2611.00003']));
  app = buildApp(rt);
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await app?.close();
  await runtimes.closeAll();
});

interface Parsed {
  url: string;
  bozo: boolean;
  error: string;
  version: string;
  status: number | null;
  title: string | null;
  entries: { title: string | null; link: string | null; id: string | null }[];
}

// feedparser fetches each URL itself. Releases before 6.1 have no JSON Feed parser: for those, a JSON
// document is checked against the JSON Feed 1.1 spec's required fields here, with Python's json module.
const SCRIPT = `
import importlib.util, json, sys, urllib.request
import feedparser
has_json = importlib.util.find_spec('feedparser.parsers.json') is not None
out = {'feedparser': feedparser.__version__, 'jsonSupport': has_json, 'feeds': []}
for url in sys.argv[1:]:
    if url.split('?')[0].endswith('.json') and not has_json:
        with urllib.request.urlopen(url) as r:
            status, doc = r.status, json.load(r)
        problems = []
        if doc.get('version') != 'https://jsonfeed.org/version/1.1': problems.append('version')
        if not isinstance(doc.get('title'), str): problems.append('title')
        items = doc.get('items')
        if not isinstance(items, list): problems.append('items'); items = []
        for i, it in enumerate(items):
            if not isinstance(it.get('id'), str): problems.append('items[%d].id' % i)
            if not (isinstance(it.get('content_html'), str) or isinstance(it.get('content_text'), str)):
                problems.append('items[%d].content' % i)
        out['feeds'].append({'url': url, 'bozo': bool(problems), 'error': ','.join(problems),
            'version': 'json11' if doc.get('version', '').endswith('/1.1') else '', 'status': status,
            'title': doc.get('title'),
            'entries': [{'title': it.get('title'), 'link': it.get('url'), 'id': it.get('id')} for it in items]})
        continue
    d = feedparser.parse(url)
    out['feeds'].append({'url': url, 'bozo': bool(d.bozo), 'error': str(d.get('bozo_exception', '')),
        'version': d.version, 'status': d.get('status'), 'title': d.feed.get('title'),
        'entries': [{'title': e.get('title'), 'link': e.get('link'), 'id': e.get('id')} for e in d.entries]})
print(json.dumps(out))
`;

/** Runs feedparser on the API's URLs (asynchronously: this process serves them). */
async function parseFeeds(...paths: string[]): Promise<{ jsonSupport: boolean; feeds: Parsed[] }> {
  // Straight to 127.0.0.1, whatever proxy the environment names.
  const env: NodeJS.ProcessEnv = { ...process.env, no_proxy: '127.0.0.1', NO_PROXY: '127.0.0.1' };
  for (const k of ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY', 'all_proxy', 'ALL_PROXY'])
    delete env[k];
  const { stdout } = await promisify(execFile)(
    tool.python,
    ['-c', SCRIPT, ...paths.map((p) => `${base}${p}`)],
    { encoding: 'utf8', env, timeout: 30_000 },
  );
  return JSON.parse(stdout);
}

describe.skipIf(skip)('trending feeds, read by feedparser', () => {
  it('Atom: well-formed Atom 1.0, entries in ranking order with stable ids and the papers’ links', async () => {
    const [atom] = (await parseFeeds('/feeds/trending/24h.atom')).feeds;
    expect(atom!.error).toBe('');
    expect(atom!.bozo).toBe(false);
    expect(atom!.version).toBe('atom10');
    expect(atom!.status).toBe(200);
    expect(atom!.title).toBe('Paperwire: trending papers, 24h, all categories');
    expect(atom!.entries.map((e) => e.title)).toEqual(TITLES);
    expect(atom!.entries.map((e) => e.id)).toEqual(
      [3, 2, 1, 4].map((n) => `urn:paperwire:paper:arxiv:2611.0000${n}`),
    );
    expect(atom!.entries.map((e) => e.link)).toEqual(
      [3, 2, 1, 4].map((n) => `https://arxiv.org/abs/2611.0000${n}`),
    );
  });

  it('JSON Feed: valid JSON Feed 1.1 with the same entries in the same order', async () => {
    const { jsonSupport, feeds } = await parseFeeds('/feeds/trending/24h.json');
    const json = feeds[0]!;
    if (!jsonSupport)
      console.warn('[note] this feedparser has no JSON Feed parser; checked the spec’s fields instead');
    expect(json.error).toBe('');
    expect(json.bozo).toBe(false);
    expect(json.version).toBe('json11');
    expect(json.title).toBe('Paperwire: trending papers, 24h, all categories');
    expect(json.entries.map((e) => e.title)).toEqual(TITLES);
    expect(json.entries.map((e) => e.id)).toEqual(
      [3, 2, 1, 4].map((n) => `urn:paperwire:paper:arxiv:2611.0000${n}`),
    );
    expect(json.entries.map((e) => e.link)).toEqual(
      [3, 2, 1, 4].map((n) => `https://arxiv.org/abs/2611.0000${n}`),
    );
  });

  it('a category board and a limit select the entries', async () => {
    const { feeds } = await parseFeeds(
      '/feeds/trending/7d.atom?category=cs.LG',
      '/feeds/trending/24h.atom?limit=2',
    );
    expect(feeds.map((f) => [f.bozo, f.version])).toEqual([
      [false, 'atom10'],
      [false, 'atom10'],
    ]);
    expect(feeds[0]!.title).toBe('Paperwire: trending papers, 7d, cs.LG');
    expect(feeds[0]!.entries.map((e) => e.title)).toEqual(['Paper number 1', 'Paper number 3']);
    expect(feeds[1]!.entries.map((e) => e.title)).toEqual(TITLES.slice(0, 2));
  });

  it('content types, ETag and Cache-Control; errors are the usual JSON body', async () => {
    const atom = await fetch(`${base}/feeds/trending/24h.atom`);
    expect(atom.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    expect(atom.headers.get('cache-control')).toBe('public, max-age=30');
    const etag = atom.headers.get('etag')!;
    expect(etag).toMatch(/^"24h\.all\.\d+\.atom\.50"$/);
    expect(
      (await fetch(`${base}/feeds/trending/24h.atom`, { headers: { 'if-none-match': etag } })).status,
    ).toBe(304);
    const json = await fetch(`${base}/feeds/trending/24h.json`);
    expect(json.headers.get('content-type')).toBe('application/feed+json; charset=utf-8');
    expect(json.headers.get('etag')).not.toBe(etag);

    for (const [path, status, code] of [
      ['/feeds/trending/30d.atom', 404, 'no-ranking'],
      ['/feeds/trending/24h.json?category=cs.XX', 404, 'no-ranking'],
      ['/feeds/trending/1y.atom', 400, 'invalid-request'],
      ['/feeds/trending/24h.rss', 404, 'not-found'],
      ['/feeds/trending/24h.atom?category=a%20b', 400, 'invalid-request'],
      ['/feeds/trending/24h.atom?limit=0', 400, 'invalid-request'],
      ['/feeds/trending/24h.atom?format=rss', 400, 'invalid-request'],
    ] as const) {
      const res = await fetch(`${base}${path}`);
      expect([path, res.status]).toEqual([path, status]);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
    }
  });
});
