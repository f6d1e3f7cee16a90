import { describe, expect, it } from 'vitest';
import { bareRow, paperRow } from '../scoring/row.ts';
import type { RankingSnapshot } from '../scoring/snapshot.ts';
import type { Paper } from '../types.ts';
import { escapeHtml, escapeXml, httpUrl, stripInvalidXmlChars } from './escape.ts';
import {
  formatScore,
  JSON_FEED_VERSION,
  paperEntryId,
  renderAtom,
  renderJsonFeed,
  rfc3339,
  trendingFeed,
  trendingFeedId,
} from './trending-feed.ts';

describe('stripInvalidXmlChars', () => {
  it.each([
    ['NUL', 'a\u0000b', 'ab'],
    ['C0 controls but tab, LF, CR', 'a\u0001\u0008\t\n\r\u000B\u000C\u001Fb', 'a\t\n\rb'],
    ['DEL and C1 stay (legal in XML 1.0)', 'a\u007F\u0085b', 'a\u007F\u0085b'],
    ['a lone high surrogate', 'a\uD800b', 'ab'],
    ['a lone low surrogate', 'a\uDC00b', 'ab'],
    ['U+FFFE and U+FFFF', 'a\uFFFE\uFFFFb', 'ab'],
    ['astral characters stay', 'a😀𝔸b', 'a😀𝔸b'],
    ['U+FFFD stays', 'a\uFFFDb', 'a\uFFFDb'],
    ['plain text is unchanged', 'Sparse models — über α', 'Sparse models — über α'],
  ])('%s', (_name, input, expected) => {
    expect(stripInvalidXmlChars(input)).toBe(expected);
  });
});

describe('escapeXml / escapeHtml', () => {
  it.each([
    ['markup', '<b>x</b>', '&lt;b&gt;x&lt;/b&gt;'],
    ['ampersands, already-escaped text too', 'a & b &amp; c', 'a &amp; b &amp;amp; c'],
    ['quotes', `"it's"`, '&quot;it&#39;s&quot;'],
    ['controls are dropped, then escaped', '\u0000<\u000C>', '&lt;&gt;'],
    ['a CDATA terminator', ']]>', ']]&gt;'],
  ])('%s', (_name, input, expected) => {
    expect(escapeXml(input)).toBe(expected);
    expect(escapeHtml(input)).toBe(expected);
  });
});

describe('httpUrl', () => {
  it.each([
    ['https://arxiv.org/abs/2611.01234', 'https://arxiv.org/abs/2611.01234'],
    ['http://example.org/a b', 'http://example.org/a%20b'],
    ['javascript:alert(1)', undefined],
    ['data:text/html,x', undefined],
    ['/relative', undefined],
    [undefined, undefined],
  ])('%s → %s', (input, expected) => {
    expect(httpUrl(input)).toBe(expected);
  });
});

describe('ids, dates, scores', () => {
  it.each([
    ['arxiv:2611.01234', 'urn:paperwire:paper:arxiv:2611.01234'],
    ['doi:10.1000/x y', 'urn:paperwire:paper:doi:10.1000/x%20y'],
    ['fp:ab<c>', 'urn:paperwire:paper:fp:ab%3Cc%3E'],
  ])('paperEntryId(%s)', (id, expected) => {
    expect(paperEntryId(id)).toBe(expected);
  });

  it('paper ids map to distinct entry ids, the same every time', () => {
    const ids = ['arxiv:1', 'arxiv:1/', 'doi:1', 'arxiv:1 '];
    expect(new Set(ids.map(paperEntryId)).size).toBe(ids.length);
    expect(paperEntryId('arxiv:1')).toBe(paperEntryId('arxiv:1'));
  });

  it('feed ids are per window and category', () => {
    expect(trendingFeedId('24h', 'all')).toBe('urn:paperwire:trending:24h:all');
    expect(trendingFeedId('7d', 'cs.LG')).toBe('urn:paperwire:trending:7d:cs.LG');
  });

  it.each([
    ['2026-11-26T00:00:00Z', '2026-11-26T00:00:00.000Z'],
    ['2026-11-26', '2026-11-26T00:00:00.000Z'],
    ['Tue, 24 Nov 2026 10:00:00 +0100', '2026-11-24T09:00:00.000Z'],
    ['not a date', undefined],
    [undefined, undefined],
  ])('rfc3339(%s)', (input, expected) => {
    expect(rfc3339(input)).toBe(expected);
  });

  it.each([
    [12.345678, '12.3457'],
    [3, '3'],
    [0.1 + 0.2, '0.3'],
  ])('formatScore(%s)', (score, expected) => {
    expect(formatScore(score)).toBe(expected);
  });
});

const AS_OF = '2026-11-28T10:00:00.000Z';

function paper(id: string, over: Partial<Paper> = {}): Paper {
  return {
    _id: id,
    ids: {},
    versions: [],
    title: `Title of ${id}`,
    abstract: `Abstract of ${id}.`,
    authors: [
      { name: 'Ada Lovelace', key: 'a lovelace' },
      { name: 'Alan Turing', key: 'a turing' },
    ],
    categories: ['cs.LG', 'cs.IR'],
    firstSeenAt: '2026-11-27T08:00:00.000Z',
    publishedAt: '2026-11-26T00:00:00Z',
    links: { abs: `https://arxiv.org/abs/${id.slice(6)}`, pdf: `https://arxiv.org/pdf/${id.slice(6)}` },
    sightings: [],
    textSource: { rank: 0, version: 1, at: AS_OF },
    ...over,
  };
}

const hostile = paper('arxiv:2611.00002', {
  title: 'Attacks <script>alert("x")</script> & \u0000nulls\u000C',
  abstract: 'Uses ]]> and <![CDATA[ and \uD800 lone surrogates & more',
  authors: [{ name: "O'Brien <ob@example.org>", key: 'o obrien' }],
  categories: ['cs.CR"'],
  publishedAt: 'garbage',
  links: { abs: 'javascript:alert(1)', pdf: 'https://arxiv.org/pdf/2611.00002?a=1&b=2' },
});

/** A snapshot row of a paper, as the scorer writes it. */
const rowOf = (p: Paper, rank: number, score: number) => ({
  ...paperRow(p, {}, p.firstSeenAt),
  rank,
  score,
  breakdown: {},
});

const snapshot: RankingSnapshot = {
  _id: `24h.all.${Date.parse(AS_OF)}`,
  window: '24h',
  category: 'all',
  asOf: AS_OF,
  scoreVersion: 's1',
  constants: {},
  // Out of order on purpose: the feed is in rank order.
  entries: [
    rowOf(hostile, 2, 5.5),
    rowOf(paper('arxiv:2611.00001'), 1, 9.25),
    { ...bareRow('arxiv:2611.00003', 'Ranked only', AS_OF, 'cs.CL'), rank: 3, score: 1, breakdown: {} },
  ],
};

const urls = {
  selfUrl: 'http://127.0.0.1:8080/feeds/trending/24h.atom?x=1&y=2',
  boardUrl: 'http://127.0.0.1:8080/trending?window=24h&category=all',
  paperUrl: (id: string) => `http://127.0.0.1:8080/papers/${encodeURIComponent(id)}`,
};

describe('trendingFeed', () => {
  const feed = trendingFeed(snapshot, urls);

  it('lists the snapshot in rank order, with the papers’ details', () => {
    expect(feed.entries.map((e) => [e.rank, e.paperId])).toEqual([
      [1, 'arxiv:2611.00001'],
      [2, 'arxiv:2611.00002'],
      [3, 'arxiv:2611.00003'],
    ]);
    expect(feed.entries[0]).toMatchObject({
      title: 'Title of arxiv:2611.00001',
      abstract: 'Abstract of arxiv:2611.00001.',
      authors: ['Ada Lovelace', 'Alan Turing'],
      categories: ['cs.LG', 'cs.IR'],
      url: 'https://arxiv.org/abs/2611.00001',
      published: '2026-11-26T00:00:00.000Z',
      score: 9.25,
    });
    expect(feed.title).toBe('Paperwire: trending papers, 24h, all categories');
  });

  it('falls back: first sighting for a bad date, API page for a non-http link, a bare row', () => {
    expect(feed.entries[1]).toMatchObject({
      published: '2026-11-27T08:00:00.000Z',
      url: 'http://127.0.0.1:8080/papers/arxiv%3A2611.00002',
    });
    expect(feed.entries[2]).toEqual({
      paperId: 'arxiv:2611.00003',
      rank: 3,
      score: 1,
      title: 'Ranked only',
      authors: [],
      categories: ['cs.CL'],
      url: 'http://127.0.0.1:8080/papers/arxiv%3A2611.00003',
      links: {},
      published: AS_OF,
    });
  });
});

describe('renderAtom', () => {
  const atom = renderAtom(trendingFeed(snapshot, urls));

  it('has the feed-level elements Atom requires', () => {
    expect(
      atom.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'),
    ).toBe(true);
    expect(atom).toContain('<id>urn:paperwire:trending:24h:all</id>');
    expect(atom).toContain(`<updated>${AS_OF}</updated>`);
    expect(atom).toContain(
      '<link rel="self" type="application/atom+xml" href="http://127.0.0.1:8080/feeds/trending/24h.atom?x=1&amp;y=2"/>',
    );
    expect(atom).toContain('<author><name>Paperwire</name></author>');
    expect(atom.trimEnd().endsWith('</feed>')).toBe(true);
  });

  it('writes one entry per ranked paper, in rank order, with id, dates, authors, links, categories and content', () => {
    const entries = atom.split('<entry>').slice(1);
    expect(entries).toHaveLength(3);
    expect(entries[0]).toContain('<id>urn:paperwire:paper:arxiv:2611.00001</id>');
    expect(entries[0]).toContain('<published>2026-11-26T00:00:00.000Z</published>');
    expect(entries[0]).toContain(`<updated>${AS_OF}</updated>`);
    expect(entries[0]).toContain('<author><name>Ada Lovelace</name></author>');
    expect(entries[0]).toContain(
      '<link rel="alternate" type="text/html" href="https://arxiv.org/abs/2611.00001"/>',
    );
    expect(entries[0]).toContain(
      '<link rel="related" type="application/pdf" href="https://arxiv.org/pdf/2611.00001"/>',
    );
    expect(entries[0]).toContain('<category term="cs.LG"/>');
    expect(entries[0]).toContain('<summary type="text">Abstract of arxiv:2611.00001.</summary>');
    // The content is HTML, escaped once more for XML; it carries the rank and score.
    expect(entries[0]).toContain('&lt;strong&gt;#1 on 24h · all · score 9.25&lt;/strong&gt;');
    expect(entries[1]).toContain('<id>urn:paperwire:paper:arxiv:2611.00002</id>');
    expect(entries[2]).toContain('<id>urn:paperwire:paper:arxiv:2611.00003</id>');
  });

  it('escapes everything a paper brings and drops characters XML 1.0 forbids', () => {
    for (const c of ['\u0000', '\u0001', '\u000B', '\u000C', '\u001F', '\uFFFE', '\uFFFF'])
      expect(atom.includes(c), JSON.stringify(c)).toBe(false);
    const loneSurrogate = [...atom].some((ch) => ch.length === 1 && /[\uD800-\uDFFF]/.test(ch));
    expect(loneSurrogate).toBe(false);
    expect(atom).not.toContain('<script>');
    expect(atom).not.toContain('javascript:');
    expect(atom).toContain(
      '<title type="text">Attacks &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; nulls</title>',
    );
    expect(atom).toContain('<author><name>O&#39;Brien &lt;ob@example.org&gt;</name></author>');
    expect(atom).toContain('<category term="cs.CR&quot;"/>');
    expect(atom).toContain('Uses ]]&gt; and &lt;![CDATA[ and  lone surrogates &amp; more');
    expect(atom).toContain('href="https://arxiv.org/pdf/2611.00002?a=1&amp;b=2"');
    // In the HTML content, the abstract is escaped for HTML and then for XML.
    expect(atom).toContain('&lt;p&gt;Uses ]]&amp;gt; and &amp;lt;![CDATA[');
  });

  it('every tag it opens is closed (a well-formedness smoke check; feedparser checks the rest)', () => {
    const opened = [
      ...atom.matchAll(/<(feed|entry|title|summary|content|id|updated|published|author|name)[ >]/g),
    ];
    const closed = [
      ...atom.matchAll(/<\/(feed|entry|title|summary|content|id|updated|published|author|name)>/g),
    ];
    expect(opened.length).toBe(closed.length);
  });
});

describe('renderJsonFeed', () => {
  const json = renderJsonFeed(trendingFeed(snapshot, urls));

  it('is a JSON Feed 1.1 with the required fields', () => {
    expect(json.version).toBe(JSON_FEED_VERSION);
    expect(json.title).toBe('Paperwire: trending papers, 24h, all categories');
    expect(json.feed_url).toBe(urls.selfUrl);
    expect(json.home_page_url).toBe(urls.boardUrl);
    expect(json._paperwire).toEqual({
      snapshot_id: snapshot._id,
      window: '24h',
      category: 'all',
      as_of: AS_OF,
    });
  });

  it('has one item per ranked paper, in rank order, with rank and score', () => {
    expect(json.items.map((i) => i.id)).toEqual([
      'urn:paperwire:paper:arxiv:2611.00001',
      'urn:paperwire:paper:arxiv:2611.00002',
      'urn:paperwire:paper:arxiv:2611.00003',
    ]);
    expect(json.items[0]).toMatchObject({
      url: 'https://arxiv.org/abs/2611.00001',
      title: 'Title of arxiv:2611.00001',
      summary: 'Abstract of arxiv:2611.00001.',
      date_published: '2026-11-26T00:00:00.000Z',
      date_modified: AS_OF,
      authors: [{ name: 'Ada Lovelace' }, { name: 'Alan Turing' }],
      tags: ['cs.LG', 'cs.IR'],
      external_url: 'https://arxiv.org/pdf/2611.00001',
      _paperwire: { paper_id: 'arxiv:2611.00001', rank: 1, score: 9.25, window: '24h', category: 'all' },
    });
    expect(json.items[0]!.content_text.startsWith('#1 on 24h · all · score 9.25')).toBe(true);
    expect(json.items[2]).not.toHaveProperty('authors');
    expect(json.items[2]).not.toHaveProperty('summary');
  });

  it('escapes HTML in content_html, keeps plain text as is, and round-trips through JSON', () => {
    const item = json.items[1]!;
    // The same text as the Atom entry: markup kept as text, XML-illegal characters gone.
    expect(item.title).toBe('Attacks <script>alert("x")</script> & nulls');
    expect(item.summary).toBe('Uses ]]> and <![CDATA[ and  lone surrogates & more');
    expect(item.content_html).not.toContain('<script>');
    expect(item.content_html).toContain('O&#39;Brien &lt;ob@example.org&gt;');
    expect(item.content_html).not.toContain('javascript:');
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });
});
