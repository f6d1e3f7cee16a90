// The generic RSS/RDF/Atom reader, one table per class of problem in issue 18, over the fixtures in
// test/fixtures/feeds/generic (written for these tests). Expected instants are UTC constants: the suite must
// pass under any TZ (CI runs it under a second one).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FeedParseError, type ParseResult } from '@paperwire/core';
import { describe, expect, it } from 'vitest';
import { type AdapterContext, parsePayload } from '../src/index.ts';

const dir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../test/fixtures/feeds/generic',
);
const bytes = (name: string) => readFileSync(path.join(dir, name));
const fixture = (name: string) => bytes(name).toString('utf8');
const ctx = (url?: string): AdapterContext => ({
  feedId: 'generic',
  fetchedAt: '2026-12-04T00:00:00.000Z',
  ...(url === undefined ? {} : { url }),
});
const read = (name: string, url?: string): Promise<ParseResult> =>
  parsePayload(name.includes('.atom.') ? 'atom' : 'rss', fixture(name), ctx(url));

describe('titles with markup: rendered as text, the markup kept in titleHtml', () => {
  it.each([
    [
      'title-markup.atom.xml',
      [
        ['CO2 reduction on copper electrodes', 'CO<sub>2</sub> reduction on <i>copper</i> electrodes'],
        [
          'Role of Drosophila odorant receptors in CO2 sensing',
          'Role of <i>Drosophila</i> odorant receptors in CO<sub>2</sub> sensing',
        ],
        ['Bounds for x < y & y > z in plain text', undefined],
      ],
    ],
    [
      'title-markup.rss.xml',
      [
        [
          'Role of Drosophila odorant receptors in CO2 sensing',
          'Role of <i>Drosophila</i> odorant receptors in CO<sub>2</sub> sensing',
        ],
        [
          'Spin liquids in κ-(BEDT-TTF)2Cu2(CN)3',
          'Spin liquids in <em>κ</em>-(BEDT-TTF)<sub>2</sub>Cu<sub>2</sub>(CN)<sub>3</sub>',
        ],
        [
          'Measuring H2O uptake in Arabidopsis roots',
          'Measuring H<sub>2</sub>O uptake in <i>Arabidopsis</i> roots',
        ],
      ],
    ],
    [
      'journal.rdf.xml',
      [
        [
          'Ultrafast in situ imaging of lithium plating',
          'Ultrafast <i>in situ</i> imaging of lithium plating',
        ],
        ['Sea-ice loss and Arctic amplification', undefined],
      ],
    ],
  ] as const)('%s', async (name, expected) => {
    const r = await read(name);
    expect(r.skipped).toEqual([]);
    expect(r.entries.map((e) => [e.title, e.titleHtml])).toEqual(expected);
  });
});

describe('undeclared HTML entities (&nbsp;, &eacute;) are read, DTD entities are not', () => {
  it('html-entities.rss.xml', async () => {
    const r = await read('html-entities.rss.xml');
    expect(r.entries.map((e) => [e.title, e.authors])).toEqual([
      ['Café mathematics – a naïve approach', ['Renée François']],
    ]);
  });

  it('an entity that is not an HTML character entity is still an error', async () => {
    const err = await parsePayload('rss', '<rss><channel><title>&lol9;</title></channel></rss>', ctx()).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(FeedParseError);
    expect((err as Error).message).toMatch(/bad-xml: undefined entity at line 1, column \d+$/);
  });
});

describe('authors: every author element, Name (email) / email (Name) split', () => {
  it.each([
    ['authors.rss.xml', [['Priya Raman', 'Tomás Ortega', 'Hannah Weiss'], ['Jane Doe'], ['John Smith']]],
    ['authors.atom.xml', [['Ada Lovelace', 'Grace Hopper', 'Katherine Johnson', 'Alan Turing']]],
    ['journal.rdf.xml', [['Olusegun Adeyemi', 'Chiara Bianchi'], ['Sigrid Nilsen']]],
    ['prefixed-channel.rdf.xml', [['Noor Haddad'], ['Jonas Keller']]],
    ['html-entities.rss.xml', [['Renée François']]],
  ] as const)('%s', async (name, expected) => {
    expect((await read(name)).entries.map((e) => e.authors)).toEqual(expected);
  });
});

describe('links: resolved against xml:base and the document URL', () => {
  it.each([
    [
      'xml-base.atom.xml',
      undefined,
      [
        'https://arxiv.org/abs/2401.01234',
        'https://lab.example/blog/2026/sparse-experts.html',
        'https://openreview.net/forum?id=AbCdEf123',
      ],
    ],
    [
      'relative-links.rss.xml',
      'https://lab.example/feeds/reading-group.xml',
      ['https://lab.example/papers/reading-group-week-48', 'https://lab.example/feeds/week-47.html'],
    ],
    // With no document URL a relative link cannot be made absolute: it is dropped, the guid still keys.
    ['relative-links.rss.xml', undefined, [undefined, undefined]],
    ['link-without-attributes.atom.xml', undefined, ['https://lab.example/bare-link/1', undefined]],
    // The HTML alternate wins over a PDF alternate; a PDF alternate is still better than no link.
    ['alternate-links.atom.xml', undefined, ['https://lab.example/alt/1', 'https://lab.example/alt/2.pdf']],
  ] as const)('%s (document URL %s)', async (name, url, expected) => {
    const r = await read(name, url);
    expect(r.entries.map((e) => e.url)).toEqual(expected);
  });

  it('an arXiv link made absolute by xml:base yields the arXiv id hint', async () => {
    const [first] = (await read('xml-base.atom.xml')).entries;
    expect(first?.ids.arxiv).toBe('https://arxiv.org/abs/2401.01234');
  });
});

describe('dates: every common element, zone-less means UTC', () => {
  it.each([
    [
      'dates.rss.xml',
      [
        ['2024-01-15T15:00:00.000Z', undefined],
        ['2024-01-15T10:00:00.000Z', undefined],
        ['2024-01-16T07:30:00.000Z', undefined],
        [undefined, '2024-01-17T12:00:00.000Z'],
        ['2024-01-18T00:00:00.000Z', undefined],
        ['2024-01-19T00:00:00.000Z', undefined],
        ['2024-01-20T17:15:00.000Z', undefined],
      ],
    ],
    [
      'dates-atom03.atom.xml',
      [
        ['2026-11-20T08:00:00.000Z', '2026-11-21T10:00:00.000Z'],
        ['2026-11-22T10:00:00.000Z', '2026-11-22T10:00:00.000Z'],
      ],
    ],
    [
      'journal.rdf.xml',
      [
        ['2026-11-20T00:00:00.000Z', undefined],
        ['2026-11-21T00:00:00.000Z', undefined],
      ],
    ],
  ] as const)('%s', async (name, expected) => {
    const r = await read(name);
    expect(r.entries.map((e) => [e.publishedAt, e.updatedAt])).toEqual(expected);
  });

  it.each(['2024-01-15T10:00:00', 'Mon, 15 Jan 2024 10:00:00'])(
    'zone-less %j is 10:00Z whatever the host zone',
    async (date) => {
      const rss = `<rss version="2.0"><channel><title>t</title><item><title>x</title><link>https://a.example/1</link><pubDate>${date}</pubDate></item></channel></rss>`;
      const [e] = (await parsePayload('rss', rss, ctx())).entries;
      expect(e?.publishedAt).toBe('2024-01-15T10:00:00.000Z');
    },
  );
});

describe('whole feeds: prefixes, no version, empty channels', () => {
  it.each([
    [
      'prefixed-channel.rdf.xml',
      'Paperwire fixture: RSS 1.0 with the rss: prefix',
      ['Prefixed item one', 'Prefixed item two'],
    ],
    ['prefixed-root.rss.xml', 'Paperwire fixture: RSS 2.0 under a prefix', ['An item under a prefixed root']],
    [
      'no-version.rss.xml',
      'Paperwire fixture: rss without a version attribute',
      ['An item of a version-less feed'],
    ],
    ['empty-channel.rss.xml', 'Paperwire fixture: a channel with no items', []],
    ['empty-feed.atom.xml', 'Paperwire fixture: an Atom feed with no entries', []],
    [
      'link-without-attributes.atom.xml',
      'Paperwire fixture: an Atom link with no attributes',
      ['Entry whose first link has no attributes', 'Entry with only an attribute-less link'],
    ],
  ] as const)('%s', async (name, feedTitle, titles) => {
    const r = await read(name);
    expect(r.feedTitle).toBe(feedTitle);
    expect(r.entries.map((e) => e.title)).toEqual(titles);
    expect(r.skipped).toEqual([]);
  });

  it('both adapters read every flavour (rss reads Atom, atom reads RSS 1.0)', async () => {
    const atomAsRss = await parsePayload('rss', fixture('authors.atom.xml'), ctx());
    const rdfAsAtom = await parsePayload('atom', fixture('journal.rdf.xml'), ctx());
    expect(atomAsRss.entries).toHaveLength(1);
    expect(rdfAsAtom.entries).toHaveLength(2);
  });
});

describe('UTF-16 / UTF-32: read once decoded, refused precisely when decoded wrongly', () => {
  const title = 'Schrödinger bridges over 𝔽₂ lattices';

  it.each([
    ['utf16le-bom.rss.xml', 'utf-16le'],
    ['utf16be-no-bom.rss.xml', 'utf-16be'],
  ] as const)('%s decoded as %s', async (name, encoding) => {
    const r = await parsePayload('rss', new TextDecoder(encoding).decode(bytes(name)), ctx());
    expect(r.entries.map((e) => [e.title, e.authors])).toEqual([[title, ['Zoë Ångström']]]);
  });

  it.each([
    ['utf32le-bom.rss.xml', 'utf-16le'],
    ['utf32be-no-bom.rss.xml', 'utf-16be'],
    ['utf32le-bom.rss.xml', 'utf-8'],
    ['utf16le-bom.rss.xml', 'latin1'],
    ['utf16be-no-bom.rss.xml', 'utf-8'],
  ] as const)('%s decoded as %s is a FeedParseError naming the encoding', async (name, encoding) => {
    const err = await parsePayload('rss', new TextDecoder(encoding).decode(bytes(name)), ctx()).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(FeedParseError);
    expect((err as Error).message).toMatch(/NUL characters|not XML/);
  });
});

describe('odd documents are read or refused with a FeedParseError, never a TypeError', () => {
  const RDF = 'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"';
  it.each([
    ['<rss version="2.0"/>', /<rss> has no <channel>/],
    ['<rss><title>no channel</title></rss>', /<rss> has no <channel>/],
    ['<html><body>hi</body></html>', /not-a-feed: the root element/],
    ['<rss><channel><item><title>x</title>', /bad-xml: /],
    ['<?xml version="1.0"?>', /bad-xml: document must contain a root element|empty: /],
    [`<rss><channel><title>${'<b>'.repeat(5000)}</title></channel></rss>`, /nested deeper than 256/],
  ])('%s is refused', async (body, message) => {
    const err = await parsePayload('rss', body, ctx()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FeedParseError);
    expect((err as Error).message).toMatch(message);
  });

  it.each([
    ['<rss><channel/></rss>', 0, 0],
    ['<rss><channel><item/></channel></rss>', 0, 1],
    [`<rdf:RDF ${RDF}/>`, 0, 0],
    [`<rdf:RDF ${RDF}><item><title>t</title><link>https://a.example/</link></item></rdf:RDF>`, 1, 0],
    ['<feed xmlns="http://www.w3.org/2005/Atom"><entry><link/><title/></entry></feed>', 0, 1],
    ['<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>i</id><title><b/></title></entry></feed>', 0, 1],
    ['<feed><entry><id>bare</id><title>No namespace at all</title></entry></feed>', 1, 0],
  ])('%s → %i entries, %i skipped', async (body, entries, skipped) => {
    const r = await parsePayload('rss', body, ctx());
    expect([r.entries.length, r.skipped.length]).toEqual([entries, skipped]);
  });
});

describe('a document that is not well-formed XML gets a lenient second reading (rss-parser)', () => {
  const broken = `<?xml version="1.0"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Lab & friends</title>
<item><title>Sparse Experts</title><link>https://lab.example/p?a=1&b=2</link><guid>p1</guid>
<dc:creator>Jane Doe (jane@lab.example)</dc:creator><pubDate>Mon, 15 Jan 2024 10:00:00</pubDate></p></item>
<item><title>Dense Experts</title><link>/p/2</link></item>
</channel></rss>`;

  it('reads the entries the strict reader refuses, with links made absolute and zone-less dates in UTC', async () => {
    const r = await parsePayload('rss', broken, ctx('https://lab.example/feed.xml'));
    expect(r.feedTitle).toBe('Lab & friends');
    expect(r.entries.map((e) => [e.title, e.url, e.authors, e.publishedAt])).toEqual([
      ['Sparse Experts', 'https://lab.example/p?a=1&b=2', ['Jane Doe'], '2024-01-15T10:00:00.000Z'],
      ['Dense Experts', 'https://lab.example/p/2', [], undefined],
    ]);
  });

  it('a broken document with no entry in it keeps the strict error', async () => {
    const err = await parsePayload('rss', '<rss><channel><item><title>x & y</title>', ctx()).catch((e) => e);
    expect(err).toBeInstanceOf(FeedParseError);
    expect((err as FeedParseError).failure).toBe('bad-xml');
  });
});
