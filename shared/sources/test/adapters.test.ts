// Adapters against fixtures we wrote (test/fixtures/): edge cases no real capture covers, hostile input.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FEED_KINDS, type FeedKind, FeedParseError, type ParseResult } from '@paperwire/core';
import { describe, expect, it } from 'vitest';
import {
  ADAPTERS,
  type AdapterContext,
  arxivApiUrl,
  hfDailyUrl,
  hnSearchUrl,
  parseArxivApiPage,
  parsePayload,
  redditListingUrl,
  sourceOfKind,
} from '../src/index.ts';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const fixture = (name: string): string => readFileSync(path.join(fixtures, name), 'utf8');
const ctx: AdapterContext = { feedId: 'feed-own', fetchedAt: '2026-10-06T12:00:00.000Z' };
const parse = (kind: FeedKind, body: string): Promise<ParseResult> => parsePayload(kind, body, ctx);
const XML_KINDS = ['rss', 'atom', 'arxiv-rss', 'arxiv-api', 'reddit'] as const satisfies readonly FeedKind[];

async function parseFailure(kind: FeedKind, body: string): Promise<FeedParseError> {
  const outcome = await parse(kind, body).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(outcome).toBeInstanceOf(FeedParseError);
  const err = outcome as FeedParseError;
  expect(err.message.startsWith(`sources: ${kind}: `)).toBe(true);
  expect(err.retryable).toBe(false);
  expect(err.code).toBe('feed-parse');
  return err;
}

describe('parsePayload / sourceOfKind', () => {
  it('has an adapter for every feed kind', () => {
    expect(Object.keys(ADAPTERS).sort()).toEqual([...FEED_KINDS].sort());
  });

  it.each([
    ['rss', 'web'],
    ['atom', 'web'],
    ['arxiv-rss', 'arxiv'],
    ['arxiv-api', 'arxiv'],
    ['arxiv-oai', 'arxiv'],
    ['hf-daily', 'huggingface'],
    ['hn', 'hackernews'],
    ['reddit', 'reddit'],
  ] as const)('%s → %s', (kind, source) => {
    expect(sourceOfKind(kind)).toBe(source);
  });

  it('a generic rss feed of arXiv entries is still source web', async () => {
    const r = await parse('rss', fixture('arxiv-rss-replace-cross.xml'));
    expect(r.entries.every((e) => e.provenance.source === 'web')).toBe(true);
    expect(r.entries[0]?.ids.doi).toBe('10.1063/5.0123456');
    expect(r.entries[0]?.ids.arxiv).toBe('https://arxiv.org/abs/2403.01234');
  });
});

describe('arxiv-rss: our fixtures', () => {
  it('replace-cross from the element and from the description prefix; bad items skipped', async () => {
    const r = await parse('arxiv-rss', fixture('arxiv-rss-replace-cross.xml'));
    expect(r.entries).toHaveLength(2);
    const [chem, old] = r.entries;
    expect(chem?.announceType).toBe('replace-cross');
    expect(chem?.ids).toEqual({ arxiv: 'oai:arXiv.org:2403.01234v4', doi: '10.1063/5.0123456' });
    expect(chem?.primaryCategory).toBe('physics.chem-ph');
    expect(chem?.categories).toEqual(['physics.chem-ph', 'cs.LG']);
    expect(chem?.publishedAt).toBe('2026-10-06T04:00:00.000Z');
    expect(chem?.authors).toEqual(['Ana Souza, Bo Li']);
    expect(old?.announceType).toBe('replace-cross'); // no element: from the prefix
    expect(old?.ids.arxiv).toBe('oai:arXiv.org:hep-th/9901001v3');
    expect(r.skipped).toEqual([
      { entryKey: 'oai:arXiv.org:2610.00001v1', reason: 'no title' },
      { reason: 'no guid or link' },
    ]);
  });

  it('an empty weekend channel is zero entries, not an error', async () => {
    const r = await parse('arxiv-rss', fixture('arxiv-rss-empty-weekend.xml'));
    expect(r).toEqual({ feedTitle: 'cs.AI updates on arXiv.org', entries: [], skipped: [] });
  });

  it('RDF item without a title suffix keeps its title and has no announce type', async () => {
    const rdf = `<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
      <channel rdf:about="http://arxiv.org/"><title>math updates on arXiv.org</title><dc:date>2019-01-02T20:30:00-05:00</dc:date></channel>
      <item rdf:about="http://arxiv.org/abs/math/0601001"><title>Old style (arXiv:math/0601001v2 [math.AG] UPDATED)</title><link>http://arxiv.org/abs/math/0601001</link></item>
      <item rdf:about="http://arxiv.org/abs/1901.00001"><title>No suffix at all</title><link>http://arxiv.org/abs/1901.00001</link></item>
    </rdf:RDF>`;
    const r = await parse('arxiv-rss', rdf);
    expect(r.entries.map((e) => [e.title, e.ids.arxiv, e.announceType, e.primaryCategory])).toEqual([
      ['Old style', 'arXiv:math/0601001v2', 'replace', 'math.AG'],
      ['No suffix at all', 'http://arxiv.org/abs/1901.00001', undefined, undefined],
    ]);
    expect(r.entries[0]?.publishedAt).toBe('2019-01-03T01:30:00.000Z');
  });
});

describe('arxiv-api: our cases', () => {
  const feed = (entries: string, total = 1) =>
    `<?xml version='1.0' encoding='UTF-8'?><feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom"><title>arXiv Query: x</title><opensearch:itemsPerPage>10</opensearch:itemsPerPage><opensearch:totalResults>${total}</opensearch:totalResults><opensearch:startIndex>0</opensearch:startIndex>${entries}</feed>`;

  it('an empty result is zero entries; paging numbers still read', async () => {
    const body = feed('', 0);
    expect((await parse('arxiv-api', body)).entries).toEqual([]);
    await expect(parseArxivApiPage(body)).resolves.toEqual({
      totalResults: 0,
      startIndex: 0,
      itemsPerPage: 10,
    });
  });

  it('author affiliations do not leak into names; entries without id or title are skipped', async () => {
    const r = await parse(
      'arxiv-api',
      feed(`<entry><id>http://arxiv.org/abs/astro-ph/0601001v1</id><title>T</title>
        <author><name>Jane Roe</name><arxiv:affiliation>MIT</arxiv:affiliation></author>
        <link rel="alternate" href="http://arxiv.org/abs/astro-ph/0601001v1"/>
        <link href="http://arxiv.org/pdf/astro-ph/0601001v1" title="pdf" rel="related"/></entry>
        <entry><title>No id</title></entry>
        <entry><id>http://arxiv.org/abs/2610.00009v1</id><title> </title></entry>`),
    );
    expect(r.entries).toHaveLength(1);
    expect(r.entries[0]?.authors).toEqual(['Jane Roe']);
    expect(r.entries[0]?.links).toEqual(['http://arxiv.org/pdf/astro-ph/0601001v1']);
    expect(r.entries[0]?.primaryCategory).toBeUndefined();
    expect(r.skipped).toEqual([
      { reason: 'no id' },
      { entryKey: 'http://arxiv.org/abs/2610.00009v1', reason: 'no title' },
    ]);
  });

  it('parseArxivApiPage rejects a feed without opensearch numbers', async () => {
    await expect(parseArxivApiPage('<feed xmlns="http://www.w3.org/2005/Atom"></feed>')).rejects.toThrow(
      /^sources: arxiv-api: not-a-feed: missing or invalid opensearch:totalResults/,
    );
  });

  it('truncated XML is a FeedParseError', async () => {
    const err = await parseFailure('arxiv-api', fixture('truncated.xml'));
    expect(err.failure).toBe('bad-xml');
    expect(err.message).toMatch(/^sources: arxiv-api: bad-xml: .* at line \d+, column \d+$/);
    await expect(parseArxivApiPage(fixture('truncated.xml'))).rejects.toBeInstanceOf(FeedParseError);
  });
});

describe('payloads that are not feeds', () => {
  it.each(XML_KINDS)('%s: an HTML page is a FeedParseError', async (kind) => {
    await parseFailure(kind, fixture('html-page.html'));
  });

  it.each(XML_KINDS)('%s: well-formed XHTML is a FeedParseError', async (kind) => {
    await parseFailure(kind, fixture('xhtml-page.xml'));
  });

  it.each(XML_KINDS)('%s: truncated XML is a FeedParseError', async (kind) => {
    await parseFailure(
      kind,
      fixture('truncated.xml').replace('<feed', kind === 'arxiv-rss' ? '<rss' : '<feed'),
    );
  });

  it.each(['hf-daily', 'hn', 'reddit'] as const)('%s: an HTML page is a FeedParseError', async (kind) => {
    await parseFailure(kind, fixture('html-page.html'));
  });

  it.each([
    ['hf-daily', '{"error":"Invalid date"}'],
    ['hf-daily', '[{"paper": '],
    ['hn', '[]'],
    ['hn', '{"hits": "none"}'],
    ['reddit', '{"kind": "t3", "data": {}}'],
    ['reddit', '{"kind": "Listing", "data": {"children": {}}}'],
    ['reddit', 'plain text'],
    ['hf-daily', ''],
  ] as const)('%s: %s is a FeedParseError', async (kind, body) => {
    await parseFailure(kind, body);
  });

  it('an empty JSON array / hits list / listing is zero entries', async () => {
    expect((await parse('hf-daily', '[]')).entries).toEqual([]);
    expect((await parse('hn', '{"hits":[]}')).entries).toEqual([]);
    expect((await parse('reddit', '{"kind":"Listing","data":{"children":[]}}')).entries).toEqual([]);
  });
});

describe('a failure is classified and located, never quoted', () => {
  // Looks like a secret in every way a payload could: a passwd line, a key, a token in markup and JSON.
  const SECRET = 'root:x:0:0:TOP-SECRET-4b1d:/root:/bin/bash';
  const cases: [FeedKind, string, string, RegExp][] = [
    ['rss', `${SECRET}\n`, 'not-xml', /the body does not begin with "<"$/],
    ['atom', `  \n${SECRET}`, 'not-xml', /the body does not begin with "<"$/],
    ['arxiv-rss', `${SECRET}\u0000\u0000`, 'bad-encoding', /first KiB/],
    ['rss', `<rss><channel><title>${SECRET}</b></channel></rss>`, 'bad-xml', / at line 1, column \d+$/],
    ['rss', `<rss>\n<x>\n</${SECRET}></rss>`, 'bad-xml', / at line 3, column \d+$/],
    [
      'rss',
      `<secret-TOP-SECRET-4b1d key="${SECRET}"/>`,
      'not-a-feed',
      /the root element is not <rss>, <rdf:RDF> or an Atom <feed>/,
    ],
    ['arxiv-rss', `<secret>${SECRET}</secret>`, 'not-a-feed', /neither <rss> nor <rdf:RDF>/],
    ['arxiv-api', `<TOP-SECRET-4b1d>${SECRET}</TOP-SECRET-4b1d>`, 'not-a-feed', /not an Atom <feed>/],
    ['reddit', `<TOP-SECRET-4b1d>${SECRET}</TOP-SECRET-4b1d>`, 'not-a-feed', /not an Atom <feed>/],
    ['reddit', SECRET, 'not-a-feed', /neither "\{"/],
    ['hf-daily', SECRET, 'not-json', /does not begin like JSON/],
    ['hf-daily', `<html>${SECRET}</html>`, 'not-json', /markup/],
    ['hf-daily', `{"token": "${SECRET}",}`, 'bad-json', /invalid JSON/],
    ['hn', `["${SECRET}"`, 'bad-json', /ends early|invalid JSON at line 1/],
    ['hf-daily', `{"error": "${SECRET}"}`, 'api-error', /\{"error": …\} object/],
    ['hn', `{"hits": "${SECRET}"}`, 'not-a-feed', /`hits` array/],
    ['hf-daily', ' \n ', 'empty', /empty/],
    [
      'arxiv-api',
      `<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/api/errors#${SECRET}</id><summary>${SECRET}</summary></entry></feed>`,
      'api-error',
      /arXiv API error entry/,
    ],
  ];
  it.each(cases)('%s: %j is %s', async (kind, body, failure, where) => {
    const err = await parseFailure(kind, body);
    expect(err.failure).toBe(failure);
    expect(err.message.startsWith(`sources: ${kind}: ${failure}: `)).toBe(true);
    expect(err.message).toMatch(where);
    expect(err.message).not.toContain('TOP-SECRET');
    expect(err.message).not.toContain('root:x');
    expect(err.cause).toBeUndefined();
  });
});

describe('XML entity attacks', () => {
  const passwd = /root:.*:0:0:/;

  it.each(XML_KINDS)('%s: billion laughs is not expanded', async (kind) => {
    const body = fixture('billion-laughs.xml');
    const outcome = await parse(kind, body).then(
      (r) => JSON.stringify(r),
      (err: unknown) => err,
    );
    if (typeof outcome === 'string') {
      expect(outcome.length).toBeLessThan(body.length * 4);
      expect(outcome).not.toContain('lollollol');
    } else {
      expect(outcome).toBeInstanceOf(FeedParseError);
      expect(String((outcome as Error).message).length).toBeLessThan(500);
    }
  });

  it.each(XML_KINDS)('%s: an external entity is not resolved', async (kind) => {
    const body = fixture('xxe.xml');
    const outcome = await parse(kind, body).then(
      (r) => JSON.stringify(r),
      (err: unknown) => err,
    );
    if (typeof outcome === 'string') {
      expect(outcome).not.toMatch(passwd);
      expect(outcome.length).toBeLessThan(body.length * 4);
    } else {
      expect(outcome).toBeInstanceOf(FeedParseError);
      expect(String((outcome as Error).message)).not.toMatch(passwd);
    }
  });
});

describe('hostile JSON', () => {
  it('hf-daily: __proto__/constructor keys pollute nothing and are never read as fields', async () => {
    const r = await parse('hf-daily', fixture('hf-daily-hostile.json'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    const [first, fallback] = r.entries;
    expect(first?.title).toBe('A paper whose payload tries prototype pollution');
    // "Not Really Hidden" has `hidden` only on its (JSON) __proto__ key, so it is not hidden.
    expect(first?.authors).toEqual(['Visible Author', 'Not Really Hidden']);
    // Wrong types drop the signal or field instead of crashing or coercing.
    expect(first?.signals).toEqual({});
    expect(first?.codeUrl).toBeUndefined();
    expect(first?.organization).toBe('real-org');
    expect(first?.publishedAt).toBe('2026-10-05T20:00:00.000Z'); // paper date invalid → outer
    expect(fallback?.title).toBe('Outer title used as the fallback');
    expect(fallback?.signals).toEqual({ upvotes: 3, comments: 4 });
    expect(r.skipped).toEqual([
      { reason: 'item 1: no paper.id' },
      { entryKey: '2610.00004', reason: 'no title' },
      { reason: 'item 4: no paper.id' },
      { reason: 'item 5: no paper.id' },
    ]);
    for (const e of r.entries) expect(e).not.toHaveProperty('polluted');
  });

  it('hn: url on __proto__ is not a url; string/object/infinite counts are ignored', async () => {
    const r = await parse('hn', fixture('hn-hostile.json'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(r.entries.map((e) => e.provenance.entryKey)).toEqual(['1002', '1005']);
    expect(r.entries[0]?.signals).toEqual({});
    expect(r.entries[0]?.publishedAt).toBe('2026-10-05T11:33:20.000Z'); // from created_at_i
    expect(r.entries[1]?.signals).toEqual({ comments: 2 });
    expect(r.skipped).toEqual([
      { entryKey: '1001', reason: 'no url (Ask/Show HN text post)' },
      { entryKey: '1003', reason: 'no url (Ask/Show HN text post)' },
      { reason: 'hit 3: no objectID' },
    ]);
  });

  it('reddit: float created_utc, &amp; in urls, id without name, wrong-type counts, non-posts', async () => {
    const r = await parse('reddit', fixture('reddit-hostile.json'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const [a, b] = r.entries;
    expect(a?.provenance.entryKey).toBe('t3_abc123');
    expect(a?.url).toBe('https://example.org/paper?a=1&b=2');
    expect(a?.links).toEqual([
      'https://example.org/paper?a=1&b=2',
      'https://www.reddit.com/r/MachineLearning/comments/abc123/float_created_utc/',
    ]);
    expect(a?.publishedAt).toBe('2026-10-05T11:33:20.500Z');
    expect(a?.signals).toEqual({ comments: 17 });
    expect(a?.summary).toBeUndefined();
    expect(a?.categories).toEqual(['MachineLearning']);
    expect(b?.provenance.entryKey).toBe('t3_def456');
    expect(b?.signals).toEqual({ score: 5 });
    expect(b?.publishedAt).toBeUndefined();
    expect(r.skipped).toEqual([
      { entryKey: 't1_comment', reason: 'child 2: not a post (kind t1)' },
      { entryKey: 't3_notitle', reason: 'no title' },
      { reason: 'child 4: no name or id' },
    ]);
  });
});

describe('rss/atom: generic feeds', () => {
  it('Atom: all authors, categories by term, published/updated, alternate link, skipped entries', async () => {
    const atom = `<?xml version="1.0" encoding="utf-8"?>
      <feed xmlns="http://www.w3.org/2005/Atom"><title>Lab blog</title>
        <entry><id>tag:lab.example,2026:1</id><title type="html">Paper &amp;amp; code</title>
          <link rel="alternate" href="https://lab.example/posts/1"/><link rel="related" href="https://arxiv.org/abs/2610.00001v2"/>
          <author><name>Ann One</name></author><author><name>Bob Two</name></author>
          <category term="ml"/><category term="nlp"/>
          <published>2026-10-01T10:00:00+02:00</published><updated>2026-10-02T10:00:00Z</updated>
          <summary>Short.</summary></entry>
        <entry><id>tag:lab.example,2026:2</id></entry>
      </feed>`;
    const r = await parse('atom', atom);
    expect(r.feedTitle).toBe('Lab blog');
    expect(r.entries).toHaveLength(1);
    const [e] = r.entries;
    expect(e?.provenance).toMatchObject({ source: 'web', entryKey: 'tag:lab.example,2026:1' });
    expect(e?.title).toBe('Paper & code'); // type="html": rendered as text, the HTML kept beside it
    expect(e?.titleHtml).toBe('Paper &amp; code');
    expect(e?.authors).toEqual(['Ann One', 'Bob Two']);
    expect(e?.categories).toEqual(['ml', 'nlp']);
    expect(e?.url).toBe('https://lab.example/posts/1');
    expect(e?.links).toEqual(['https://arxiv.org/abs/2610.00001v2']);
    expect(e?.publishedAt).toBe('2026-10-01T08:00:00.000Z');
    expect(e?.updatedAt).toBe('2026-10-02T10:00:00.000Z');
    expect(e?.summary).toBe('Short.');
    expect(r.skipped).toEqual([{ entryKey: 'tag:lab.example,2026:2', reason: 'no title' }]);
  });

  it('RSS 2.0: prism:doi, huggingface.co/papers links, an item with nothing to key on', async () => {
    const rss = `<rss version="2.0" xmlns:prism="http://prismstandard.org/namespaces/basic/2.0/">
      <channel><title>Mirror</title>
        <item><title>HF mirror item</title><link>https://huggingface.co/papers/2610.00001</link>
          <prism:doi>10.1000/abc</prism:doi><pubDate>Mon, 05 Oct 2026 00:00:00 GMT</pubDate>
          <category>AI</category></item>
        <item><title>No key</title></item>
      </channel></rss>`;
    const r = await parse('rss', rss);
    expect(r.entries[0]?.ids).toEqual({ doi: '10.1000/abc', arxiv: '2610.00001', hf: '2610.00001' });
    expect(r.entries[0]?.provenance.entryKey).toBe('https://huggingface.co/papers/2610.00001');
    expect(r.entries[0]?.categories).toEqual(['AI']);
    expect(r.entries[0]?.publishedAt).toBe('2026-10-05T00:00:00.000Z');
    expect(r.skipped).toEqual([{ reason: 'no guid, id or link' }]);
  });
});

describe('URL builders', () => {
  it('arxivApiUrl', () => {
    expect(arxivApiUrl({ searchQuery: 'cat:cs.LG OR cat:cs.AI', start: 0, maxResults: 100 })).toBe(
      'https://export.arxiv.org/api/query?search_query=cat%3Acs.LG+OR+cat%3Acs.AI&start=0&max_results=100',
    );
    const url = new URL(
      arxivApiUrl({
        searchQuery: 'all:"large language"',
        start: 200,
        maxResults: 50,
        sortBy: 'submittedDate',
        sortOrder: 'descending',
      }),
    );
    expect(url.searchParams.get('search_query')).toBe('all:"large language"');
    expect(url.searchParams.get('sortBy')).toBe('submittedDate');
    expect(url.searchParams.get('sortOrder')).toBe('descending');
    expect(() => arxivApiUrl({ searchQuery: 'x', start: -1, maxResults: 10 })).toThrow(RangeError);
    expect(() => arxivApiUrl({ searchQuery: 'x', start: 0, maxResults: 5000 })).toThrow(RangeError);
    expect(() => arxivApiUrl({ searchQuery: ' ', start: 0, maxResults: 10 })).toThrow(RangeError);
  });

  it('hfDailyUrl', () => {
    expect(hfDailyUrl('2026-06-12')).toBe('https://huggingface.co/api/daily_papers?date=2026-06-12');
    expect(() => hfDailyUrl('2026-6-12')).toThrow(RangeError);
    expect(() => hfDailyUrl('2026-06-12&limit=1')).toThrow(RangeError);
  });

  it('hnSearchUrl', () => {
    expect(hnSearchUrl('arxiv.org')).toBe(
      'https://hn.algolia.com/api/v1/search_by_date?query=arxiv.org&tags=story&restrictSearchableAttributes=url&hitsPerPage=100',
    );
    const url = new URL(
      hnSearchUrl('huggingface.co/papers', { byDate: false, hitsPerPage: 50, createdAfter: 1790000000.7 }),
    );
    expect(url.pathname).toBe('/api/v1/search');
    expect(url.searchParams.get('query')).toBe('huggingface.co/papers');
    expect(url.searchParams.get('numericFilters')).toBe('created_at_i>=1790000000');
    expect(() => hnSearchUrl('')).toThrow(RangeError);
  });

  it('redditListingUrl', () => {
    expect(redditListingUrl('MachineLearning', 'top', { t: 'day', limit: 50 })).toBe(
      'https://www.reddit.com/r/MachineLearning/top.json?raw_json=1&t=day&limit=50',
    );
    expect(redditListingUrl('MachineLearning', 'new')).toBe(
      'https://www.reddit.com/r/MachineLearning/new.json?raw_json=1',
    );
    expect(() => redditListingUrl('../etc', 'new')).toThrow(RangeError);
  });
});
