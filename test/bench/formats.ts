// Payload writers for the benchmark corpus, one per feed kind, in each source's real wire format (the
// arXiv RSS writer is shared with test/eval/dedup/generate-fixtures.ts; the others carry per-entry signals). Here the signals (upvotes, points, scores) and dates are per entry, so the corpus
// can serve a second version of a payload with changed signals.

export interface ArxivApiEntry {
  id: string;
  version: number;
  title: string;
  authors: string[];
  doi?: string;
  day: number;
}
export interface ArxivRssEntry {
  id: string;
  version: number;
  title: string;
  authors: string[];
  type: 'new' | 'replace' | 'cross';
}
export interface HfEntry {
  id: string;
  title: string;
  authors: string[];
  upvotes: number;
  comments: number;
  day: number;
}
export interface HnEntry {
  objectID: string;
  title: string;
  url: string;
  points: number;
  comments: number;
  day: number;
}
export interface RedditEntry {
  id: string;
  title: string;
  url: string;
  score: number;
  comments: number;
  day: number;
}
export interface BlogEntry {
  guid: string;
  title: string;
  link: string;
  authors: string[];
  day: number;
}
export interface AtomEntry {
  id: string;
  title: string;
  link: string;
  authors: string[];
  day: number;
}

const xml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const day = (i: number): string =>
  new Date(Date.UTC(2026, 2, 2 + (i % 28), 9, 0, 0)).toISOString().replace('.000Z', 'Z');
const rfc822 = (i: number): string => new Date(Date.UTC(2026, 2, 2 + (i % 28), 9, 0, 0)).toUTCString();
const abstract = (title: string): string =>
  `We study ${title.toLowerCase()}. Experiments on three benchmarks show consistent gains.`;
const slug = (title: string): string =>
  title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');

export function arxivApiXml(entries: readonly ArxivApiEntry[]): string {
  const items = entries.map(
    (e) => `  <entry>
    <id>http://arxiv.org/abs/${e.id}v${e.version}</id>
    <title>${xml(e.title)}</title>
    <updated>${day(e.day + e.version)}</updated>
    <link href="https://arxiv.org/abs/${e.id}v${e.version}" rel="alternate" type="text/html"/>
    <link href="https://arxiv.org/pdf/${e.id}v${e.version}" rel="related" type="application/pdf" title="pdf"/>
    <summary>${xml(abstract(e.title))}</summary>
    <category term="cs.LG" scheme="http://arxiv.org/schemas/atom"/>
    <published>${day(e.day)}</published>
    <arxiv:primary_category term="cs.LG"/>${e.doi ? `\n    <arxiv:doi>${e.doi}</arxiv:doi>` : ''}
${e.authors.map((a) => `    <author>\n      <name>${xml(a)}</name>\n    </author>`).join('\n')}
  </entry>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom">
  <id>https://arxiv.org/api/paperwire-bench</id>
  <title>arXiv Query: search_query=cat:cs.LG&amp;start=0&amp;max_results=${entries.length}</title>
  <updated>2026-03-02T00:00:00Z</updated>
  <opensearch:itemsPerPage>${entries.length}</opensearch:itemsPerPage>
  <opensearch:totalResults>${entries.length}</opensearch:totalResults>
  <opensearch:startIndex>0</opensearch:startIndex>
${items.join('\n')}
</feed>
`;
}

export function arxivRssXml(entries: readonly ArxivRssEntry[]): string {
  const items = entries.map(
    (e) => `    <item>
      <title>${xml(e.title)}</title>
      <link>https://arxiv.org/abs/${e.id}</link>
      <description>arXiv:${e.id}v${e.version} Announce Type: ${e.type} 
Abstract: ${xml(abstract(e.title))}</description>
      <guid isPermaLink="false">oai:arXiv.org:${e.id}v${e.version}</guid>
      <category>${e.type === 'cross' ? 'stat.ML' : 'cs.LG'}</category>
      <pubDate>Tue, 03 Mar 2026 00:00:00 -0500</pubDate>
      <arxiv:announce_type>${e.type}</arxiv:announce_type>
      <dc:rights>http://creativecommons.org/licenses/by/4.0/</dc:rights>
      <dc:creator>${xml(e.authors.join(', '))}</dc:creator>
    </item>`,
  );
  return `<?xml version='1.0' encoding='UTF-8'?>
<rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" version="2.0">
  <channel>
    <title>cs.LG updates on arXiv.org</title>
    <link>http://rss.arxiv.org/rss/cs.LG</link>
    <description>cs.LG updates on the arXiv.org e-print archive.</description>
    <language>en-us</language>
    <pubDate>Tue, 03 Mar 2026 00:00:00 -0500</pubDate>
${items.join('\n')}
  </channel>
</rss>
`;
}

export function hfJson(entries: readonly HfEntry[]): string {
  const items = entries.map((e, i) => ({
    paper: {
      id: e.id,
      authors: e.authors.map((name, j) => ({
        _id: `65f0${String(i).padStart(6, '0')}${String(j).padStart(2, '0')}`,
        name,
        hidden: false,
      })),
      publishedAt: `${day(e.day).slice(0, 10)}T00:00:00.000Z`,
      submittedOnDailyAt: `${day(e.day + 1).slice(0, 10)}T00:00:00.000Z`,
      title: e.title,
      summary: abstract(e.title),
      upvotes: e.upvotes,
      discussionId: `65f1${String(i).padStart(8, '0')}`,
    },
    publishedAt: `${day(e.day).slice(0, 10)}T20:00:00.000Z`,
    title: e.title,
    summary: abstract(e.title),
    thumbnail: `https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/${e.id}.png`,
    numComments: e.comments,
    isAuthorParticipating: i % 3 === 0,
  }));
  return `${JSON.stringify(items)}\n`;
}

export function hnJson(entries: readonly HnEntry[]): string {
  const hits = entries.map((e, i) => ({
    _tags: ['story', `author_user${i}`, `story_${e.objectID}`],
    author: `user${i}`,
    created_at: day(e.day),
    created_at_i: Math.floor(Date.parse(day(e.day)) / 1000),
    num_comments: e.comments,
    objectID: e.objectID,
    points: e.points,
    story_id: Number(e.objectID),
    title: e.title,
    updated_at: day(e.day),
    url: e.url,
  }));
  return `${JSON.stringify({ hits, nbHits: hits.length, page: 0, nbPages: 1, hitsPerPage: hits.length, params: 'query=arxiv.org&tags=story' })}\n`;
}

export function redditJson(entries: readonly RedditEntry[]): string {
  const children = entries.map((e) => ({
    kind: 't3',
    data: {
      subreddit: 'MachineLearning',
      selftext: '',
      title: e.title,
      name: `t3_${e.id}`,
      id: e.id,
      score: e.score,
      num_comments: e.comments,
      // Without raw_json=1 Reddit escapes `&` in URLs.
      url: e.url.replace(/&/g, '&amp;'),
      permalink: `/r/MachineLearning/comments/${e.id}/${slug(e.title).slice(0, 40)}/`,
      created_utc: Math.floor(Date.parse(day(e.day)) / 1000),
      is_self: false,
    },
  }));
  return `${JSON.stringify({ kind: 'Listing', data: { after: null, dist: children.length, children, before: null } })}\n`;
}

export function blogRssXml(entries: readonly BlogEntry[], title: string): string {
  const items = entries.map(
    (e) => `    <item>
      <title>${xml(e.title)}</title>
      <link>${xml(e.link)}</link>
      <guid isPermaLink="false">${e.guid}</guid>${e.authors.length > 0 ? `\n      <dc:creator>${xml(e.authors.join(', '))}</dc:creator>` : ''}
      <pubDate>${rfc822(e.day)}</pubDate>
      <description>${xml(`<p>Notes on ${e.title}.</p>`)}</description>
    </item>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>${xml(title)}</title>
    <link>https://lab.example.org/</link>
    <description>A generated feed for Paperwire's benchmark.</description>
${items.join('\n')}
  </channel>
</rss>
`;
}

export function atomXml(entries: readonly AtomEntry[], title: string): string {
  const items = entries.map(
    (e) => `  <entry>
    <id>${e.id}</id>
    <title type="html">${xml(e.title)}</title>
    <link rel="alternate" href="${xml(e.link)}"/>
    <published>${day(e.day)}</published>
    <updated>${day(e.day)}</updated>
${e.authors.map((a) => `    <author><name>${xml(a)}</name></author>`).join('\n')}
    <summary>Accepted paper.</summary>
  </entry>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>urn:paperwire-bench:${slug(title)}</id>
  <title>${xml(title)}</title>
  <updated>2026-03-30T00:00:00Z</updated>
${items.join('\n')}
</feed>
`;
}
