// Small RSS 2.0 documents for behaviour tests. Each test gives its feed a distinct channel title, so no two
// feeds serve the same bytes (the payload archive is keyed by content hash alone).

export interface Item {
  title?: string;
  guid?: string;
  link?: string;
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** `count` well-formed items: `<name> paper <i>`, guid `<name>-<i>`, an example.org link. */
export function papers(name: string, count: number): Item[] {
  return Array.from({ length: count }, (_, i) => ({
    title: `${name} paper ${i + 1}`,
    guid: `${name}-${i + 1}`,
    link: `https://example.org/${encodeURIComponent(name)}/${i + 1}`,
  }));
}

export function rss(channelTitle: string, items: Item[]): string {
  const body = items
    .map((item) =>
      [
        '    <item>',
        item.title === undefined ? '' : `      <title>${escapeXml(item.title)}</title>`,
        item.link === undefined ? '' : `      <link>${escapeXml(item.link)}</link>`,
        item.guid === undefined ? '' : `      <guid isPermaLink="false">${escapeXml(item.guid)}</guid>`,
        '      <pubDate>Fri, 27 Nov 2026 10:00:00 GMT</pubDate>',
        '      <description>Written for the fetcher integration tests.</description>',
        '    </item>',
      ]
        .filter((line) => line !== '')
        .join('\n'),
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
  <channel>
    <title>${escapeXml(channelTitle)}</title>
    <link>https://example.org/</link>
    <description>Paperwire fetcher test feed</description>
${body}
  </channel>
</rss>
`;
}

export const RSS_TYPE = 'application/rss+xml; charset=utf-8';

/** Items shaped like rss.arxiv.org's: guid `oai:arXiv.org:<id>v1`, abs link, the description prefix. */
export function arxivPapers(category: string, count: number, firstNumber: number): Item[] {
  return Array.from({ length: count }, (_, i) => {
    const id = `2611.${String(firstNumber + i).padStart(5, '0')}`;
    return {
      title: `${category} result ${i + 1}`,
      guid: `oai:arXiv.org:${id}v1`,
      link: `https://arxiv.org/abs/${id}`,
    };
  });
}
