import { describe, expect, it } from 'vitest';
import type { Observation, SourceEntry } from '../types.ts';
import {
  MAX_ABSTRACT_CHARS,
  MAX_AUTHORS,
  MAX_ENTRY_KEY_IN_ID,
  MAX_TITLE_CHARS,
  normaliseEntry,
  truncateText,
} from './index.ts';

function entry(overrides: Partial<SourceEntry> = {}): SourceEntry {
  return {
    provenance: {
      feedId: 'arxiv-cs-lg',
      source: 'arxiv',
      entryKey: 'oai:arXiv.org:2609.26811v1',
      fetchedAt: '2026-09-24T09:00:00.000Z',
    },
    title: 'The Drift Contract: Spectral Updates for Depth-Robust Local Learning',
    summary:
      'arXiv:2609.26811v1 Announce Type: new \nAbstract: Local learning trains each layer with its own loss.',
    authors: ['Fabien Polly'],
    url: 'https://arxiv.org/abs/2609.26811',
    links: [],
    ids: { arxiv: 'oai:arXiv.org:2609.26811v1' },
    categories: ['cs.LG'],
    publishedAt: 'Thu, 24 Sep 2026 00:00:00 -0400',
    signals: {},
    ...overrides,
  };
}

function ok(e: SourceEntry): Observation {
  const result = normaliseEntry(e);
  if (!result.ok) throw new Error(`expected ok, got ${result.reason}`);
  return result.observation;
}

describe('normaliseEntry: a current rss.arxiv.org item', () => {
  const obs = ok(entry({ announceType: 'new' }));

  it('builds the observation', () => {
    expect(obs).toEqual({
      _id: expect.stringMatching(/^arxiv-cs-lg\|oai:arXiv\.org:2609\.26811v1\|[0-9a-f]{16}$/),
      provenance: {
        feedId: 'arxiv-cs-lg',
        source: 'arxiv',
        entryKey: 'oai:arXiv.org:2609.26811v1',
        fetchedAt: '2026-09-24T09:00:00.000Z',
      },
      ids: { arxiv: '2609.26811' },
      arxivVersion: 1,
      identityKeys: ['arxiv:2609.26811'],
      title: 'The Drift Contract: Spectral Updates for Depth-Robust Local Learning',
      abstract: 'Local learning trains each layer with its own loss.',
      authors: [{ name: 'Fabien Polly', key: 'f polly' }],
      categories: ['cs.LG'],
      primaryCategory: 'cs.LG',
      announceType: 'new',
      publishedAt: '2026-09-24T04:00:00.000Z',
      links: {
        abs: 'https://arxiv.org/abs/2609.26811',
        pdf: 'https://arxiv.org/pdf/2609.26811',
        html: 'https://arxiv.org/html/2609.26811',
      },
      signals: {},
    });
  });

  it('stores no undefined-valued keys (the Mongo driver would write null)', () => {
    for (const [key, value] of Object.entries(obs)) expect(value, key).not.toBeUndefined();
  });
});

describe('normaliseEntry: ids', () => {
  it.each<
    [string, Partial<SourceEntry>, Pick<Observation, 'ids' | 'identityKeys'> & { arxivVersion?: number }]
  >([
    [
      'version only in the guid hint, link has none',
      { ids: { arxiv: 'oai:arXiv.org:2609.26811v1' }, url: 'https://arxiv.org/abs/2609.26811', summary: 'x' },
      { ids: { arxiv: '2609.26811' }, arxivVersion: 1, identityKeys: ['arxiv:2609.26811'] },
    ],
    [
      'version only in the description prefix',
      {
        ids: {},
        url: 'https://arxiv.org/abs/2609.26811',
        summary: 'arXiv:2609.26811v3 Announce Type: replace \nAbstract: x',
      },
      { ids: { arxiv: '2609.26811' }, arxivVersion: 3, identityKeys: ['arxiv:2609.26811'] },
    ],
    [
      'hint wins over url',
      { ids: { arxiv: '2401.01234v2' }, url: 'https://arxiv.org/abs/2402.05678v7', summary: undefined },
      { ids: { arxiv: '2401.01234' }, arxivVersion: 2, identityKeys: ['arxiv:2401.01234'] },
    ],
    [
      'hint version wins over a higher version elsewhere',
      { ids: { arxiv: '2401.01234v2' }, url: 'https://arxiv.org/abs/2401.01234v5', summary: undefined },
      { ids: { arxiv: '2401.01234' }, arxivVersion: 2, identityKeys: ['arxiv:2401.01234'] },
    ],
    [
      'without a hint version the highest version for the same id',
      {
        ids: { arxiv: '2401.01234' },
        url: 'https://arxiv.org/abs/2401.01234v2',
        links: ['https://arxiv.org/pdf/2401.01234v4', 'https://arxiv.org/abs/2402.05678v9'],
        summary: undefined,
      },
      { ids: { arxiv: '2401.01234' }, arxivVersion: 4, identityKeys: ['arxiv:2401.01234'] },
    ],
    [
      'invalid hint falls back to the url',
      { ids: { arxiv: 'not-an-id' }, url: 'https://arxiv.org/abs/2401.01234v1', summary: undefined },
      { ids: { arxiv: '2401.01234' }, arxivVersion: 1, identityKeys: ['arxiv:2401.01234'] },
    ],
    [
      'legacy API: old-style id, doi hint and dx.doi.org link',
      {
        ids: { arxiv: 'http://arxiv.org/abs/cond-mat/0412498v1', doi: '10.1103/PhysRevB.71.184511' },
        url: 'http://arxiv.org/abs/cond-mat/0412498v1',
        links: ['http://dx.doi.org/10.1103/PhysRevB.71.184511', 'http://arxiv.org/pdf/cond-mat/0412498v1'],
        summary: undefined,
      },
      {
        ids: { arxiv: 'cond-mat/0412498', doi: '10.1103/physrevb.71.184511' },
        arxivVersion: 1,
        identityKeys: ['arxiv:cond-mat/0412498', 'doi:10.1103/physrevb.71.184511'],
      },
    ],
    [
      'doi only in links',
      {
        ids: {},
        url: 'https://arxiv.org/abs/2401.01234',
        links: ['https://doi.org/10.1000/XYZ'],
        summary: undefined,
      },
      {
        ids: { arxiv: '2401.01234', doi: '10.1000/xyz' },
        identityKeys: ['arxiv:2401.01234', 'doi:10.1000/xyz'],
      },
    ],
    [
      "arXiv's DataCite DOI hint is the arXiv id, not a doi",
      { ids: { doi: '10.48550/arXiv.2401.01234' }, url: undefined, summary: undefined },
      { ids: { arxiv: '2401.01234' }, identityKeys: ['arxiv:2401.01234'] },
    ],
    [
      'HF daily papers: hf hint implies arxiv',
      { ids: { hf: '2606.00467' }, url: 'https://huggingface.co/papers/2606.00467', summary: undefined },
      { ids: { arxiv: '2606.00467', hf: '2606.00467' }, identityKeys: ['arxiv:2606.00467', 'hf:2606.00467'] },
    ],
    [
      'HF url without hint',
      { ids: {}, url: 'https://huggingface.co/papers/2606.00467', summary: undefined },
      { ids: { arxiv: '2606.00467', hf: '2606.00467' }, identityKeys: ['arxiv:2606.00467', 'hf:2606.00467'] },
    ],
    [
      'takara mirror: id only in the url',
      { ids: {}, url: 'https://tldr.takara.ai/p/2604.21003', summary: 'abstract' },
      { ids: { arxiv: '2604.21003' }, identityKeys: ['arxiv:2604.21003'] },
    ],
    [
      'HN story linking an arXiv pdf',
      { ids: {}, url: 'https://arxiv.org/pdf/2401.01234v2.pdf?utm_source=hn', summary: undefined },
      { ids: { arxiv: '2401.01234' }, arxivVersion: 2, identityKeys: ['arxiv:2401.01234'] },
    ],
    [
      'Reddit link post: ids in links only',
      {
        ids: {},
        url: 'https://www.reddit.com/r/MachineLearning/comments/abc/x/',
        links: ['https://openreview.net/forum?id=rJ4km2R5t7'],
        summary: undefined,
      },
      { ids: { openreview: 'rJ4km2R5t7' }, identityKeys: ['openreview:rJ4km2R5t7'] },
    ],
    [
      'S2 and OpenAlex hints as URLs',
      {
        ids: {
          s2: 'https://www.semanticscholar.org/paper/204e3073870fae3d05bcbc2f6a8e263d9b72e776',
          openalex: 'https://openalex.org/W2741809807',
          doi: 'https://doi.org/10.48550/arxiv.1706.03762',
        },
        url: undefined,
        summary: undefined,
      },
      {
        ids: { arxiv: '1706.03762', s2: '204e3073870fae3d05bcbc2f6a8e263d9b72e776', openalex: 'W2741809807' },
        identityKeys: [
          'arxiv:1706.03762',
          's2:204e3073870fae3d05bcbc2f6a8e263d9b72e776',
          'openalex:W2741809807',
        ],
      },
    ],
    [
      'bioRxiv RSS 1.0 item',
      {
        ids: { doi: '10.1101/2023.12.16.571984' },
        url: 'http://biorxiv.org/cgi/content/short/2023.12.16.571984v1?rss=1',
        summary: undefined,
      },
      { ids: { doi: '10.1101/2023.12.16.571984' }, identityKeys: ['doi:10.1101/2023.12.16.571984'] },
    ],
    [
      'ids in the summary body are not taken (they cite other papers)',
      {
        ids: {},
        url: 'https://example.com/post',
        summary: 'We build on arXiv:2401.01234 and doi:10.1000/x.',
      },
      { ids: {}, identityKeys: [] },
    ],
  ])('%s', (_name, overrides, expected) => {
    const obs = ok(entry(overrides));
    expect({ ids: obs.ids, identityKeys: obs.identityKeys, arxivVersion: obs.arxivVersion }).toEqual({
      arxivVersion: undefined,
      ...expected,
    });
  });
});

describe('normaliseEntry: legacy RDF item', () => {
  const obs = ok(
    entry({
      provenance: {
        feedId: 'arxiv-rdf-cs',
        source: 'arxiv',
        entryKey: 'http://arxiv.org/abs/1808.09955',
        fetchedAt: 'x',
      },
      title: 'Quasar Classification. (arXiv:1808.09955v1 [astro-ph.IM])',
      summary: '<p>We use $99.51\\pm0.03$\\% of \\emph{all}\n    quasars.</p>',
      authors: [
        ' <a href="http://arxiv.org/find/astro-ph/1/au:+Busca_N/0/1/0/all/0/1">Nicolas Busca</a>, <a href="http://arxiv.org/find/astro-ph/1/au:+Balland_C/0/1/0/all/0/1">Christophe Balland</a>',
      ],
      url: 'http://arxiv.org/abs/1808.09955',
      ids: {},
      categories: [],
      publishedAt: undefined,
    }),
  );

  it.each<[keyof Observation, unknown]>([
    ['title', 'Quasar Classification'],
    ['abstract', 'We use $99.51\\pm0.03$% of all quasars.'],
    ['ids', { arxiv: '1808.09955' }],
    ['arxivVersion', 1],
    ['primaryCategory', 'astro-ph.IM'],
    ['categories', ['astro-ph.IM']],
    [
      'authors',
      [
        { name: 'Nicolas Busca', key: 'n busca' },
        { name: 'Christophe Balland', key: 'c balland' },
      ],
    ],
    ['links', { abs: 'https://arxiv.org/abs/1808.09955', pdf: 'https://arxiv.org/pdf/1808.09955' }],
  ])('%s', (field, expected) => {
    expect(obs[field]).toEqual(expected);
  });

  it('strips an UPDATED suffix too', () => {
    expect(ok(entry({ title: 'Title. (arXiv:1301.1107v6 [cs.NA] UPDATED)', ids: {} })).title).toBe('Title');
  });

  it('keeps a parenthesis that is not an arXiv suffix', () => {
    expect(ok(entry({ title: 'A Study (of Things)' })).title).toBe('A Study (of Things)');
  });
});

describe('normaliseEntry: fields', () => {
  it.each<[string, Partial<SourceEntry>, Partial<Observation>]>([
    [
      'legacy API title and summary wraps, LaTeX accents',
      {
        title: 'Dirty bosons in the presence\n  of quenched disorder',
        summary:
          "  We consider the R\\'{e}nyi entanglement entropy of bosonic Luttinger liquids\nunder a particle bipartition",
      },
      {
        title: 'Dirty bosons in the presence of quenched disorder',
        abstract:
          'We consider the Rényi entanglement entropy of bosonic Luttinger liquids under a particle bipartition',
      },
    ],
    ['empty summary is omitted', { summary: '   ' }, { abstract: undefined }],
    [
      'prefix-only summary is omitted',
      { summary: 'arXiv:2609.26811v1 Announce Type: new \nAbstract: ' },
      { abstract: undefined },
    ],
    [
      'categories de-duplicated, first is primary',
      { categories: ['cs.LG', ' cs.AI ', 'cs.LG', ''] },
      { categories: ['cs.LG', 'cs.AI'], primaryCategory: 'cs.LG' },
    ],
    [
      'cross-list: primary not in the feed categories is put first',
      { categories: ['cs.LG', 'stat.ML'], primaryCategory: 'stat.ME' },
      { categories: ['stat.ME', 'cs.LG', 'stat.ML'], primaryCategory: 'stat.ME' },
    ],
    [
      'primary already present keeps the order',
      { categories: ['cs.AI', 'cs.LG'], primaryCategory: 'cs.LG' },
      { categories: ['cs.LG', 'cs.AI'] },
    ],
    ['no categories', { categories: [] }, { categories: [], primaryCategory: undefined }],
    ['announce type from the prefix', { announceType: undefined }, { announceType: 'new' }],
    ['explicit announce type wins', { announceType: 'cross' }, { announceType: 'cross' }],
    [
      'unknown announce type ignored',
      { announceType: 'bogus' as never, summary: 'x' },
      { announceType: undefined },
    ],
    [
      'dates normalised',
      { publishedAt: '2016-10-09T00:00:00-04:00', updatedAt: '2016-10-10T12:00:00Z' },
      { publishedAt: '2016-10-09T04:00:00.000Z', updatedAt: '2016-10-10T12:00:00.000Z' },
    ],
    [
      'absurd dates dropped, not fatal',
      { publishedAt: '1970-01-01T00:00:00Z', updatedAt: '2999-01-01' },
      { publishedAt: undefined, updatedAt: undefined },
    ],
    ['garbage date dropped', { publishedAt: 'yesterday' }, { publishedAt: undefined }],
    [
      'signals: only finite non-negative numbers of known names',
      {
        signals: {
          upvotes: 118,
          points: -1,
          score: Number.NaN,
          comments: Number.POSITIVE_INFINITY,
          stars: '5' as unknown as number,
          bogus: 3,
        } as SourceEntry['signals'],
      },
      { signals: { upvotes: 118 } },
    ],
    ['zero is a signal', { signals: { upvotes: 0, comments: 0 } }, { signals: { upvotes: 0, comments: 0 } }],
    ['organization cleaned', { organization: '  Google\n DeepMind ' }, { organization: 'Google DeepMind' }],
    ['empty organization omitted', { organization: '  ' }, { organization: undefined }],
    [
      'code and project links',
      { codeUrl: 'https://github.com/org/repo?utm_source=hf', projectUrl: 'https://proj.github.io/' },
      {
        links: {
          abs: 'https://arxiv.org/abs/2609.26811',
          pdf: 'https://arxiv.org/pdf/2609.26811',
          html: 'https://arxiv.org/html/2609.26811',
          code: 'https://github.com/org/repo',
          project: 'https://proj.github.io/',
        },
      },
    ],
    [
      'unsafe code link dropped',
      { codeUrl: 'javascript:alert(1)', url: undefined, ids: {}, summary: undefined },
      { links: {} },
    ],
    [
      'old-style id: no html link',
      { ids: { arxiv: 'hep-th/9901001v2' }, url: undefined },
      { links: { abs: 'https://arxiv.org/abs/hep-th/9901001', pdf: 'https://arxiv.org/pdf/hep-th/9901001' } },
    ],
    [
      'pre-Dec-2023 id: no html link',
      { ids: { arxiv: '2311.01234' }, url: undefined, summary: undefined },
      { links: { abs: 'https://arxiv.org/abs/2311.01234', pdf: 'https://arxiv.org/pdf/2311.01234' } },
    ],
    [
      'doi-only paper links to doi.org (suffix URL-encoded)',
      {
        ids: { doi: '10.1002/(SICI)1097-4636(199706)35:4<507::AID-JBM11>3.0.CO;2-J' },
        url: undefined,
        summary: undefined,
      },
      {
        links: {
          abs: 'https://doi.org/10.1002/(sici)1097-4636(199706)35%3A4%3C507%3A%3Aaid-jbm11%3E3.0.co%3B2-j',
        },
      },
    ],
    [
      'openreview-only paper',
      { ids: { openreview: 'rJ4km2R5t7' }, url: undefined, summary: undefined },
      {
        links: {
          abs: 'https://openreview.net/forum?id=rJ4km2R5t7',
          pdf: 'https://openreview.net/pdf?id=rJ4km2R5t7',
        },
      },
    ],
    [
      'no ids: the entry url is the landing page',
      { ids: {}, url: 'https://tokenspend.dev/?utm_source=hn', summary: undefined },
      { links: { abs: 'https://tokenspend.dev/' } },
    ],
    [
      'HF feedgen HTML description cleaned',
      {
        summary:
          '<p><img src="https://cdn-thumbnails.huggingface.co/x.png" alt="Paper thumbnail" /></p><p><b>Summary:</b> AI agents -- navigating apps</p>',
      },
      { abstract: 'Summary: AI agents -- navigating apps' },
    ],
  ])('%s', (_name, overrides, expected) => {
    const obs = ok(entry(overrides));
    for (const [key, value] of Object.entries(expected))
      expect(obs[key as keyof Observation], key).toEqual(value);
  });
});

describe('normaliseEntry: rejects', () => {
  it.each<[string, Partial<SourceEntry>, string]>([
    ['empty title', { title: '' }, 'normalise: empty title'],
    ['blank title', { title: ' \n ' }, 'normalise: empty title'],
    ['markup-only title', { title: '<p></p>&#32;' }, 'normalise: empty title'],
    ['RDF suffix only', { title: '(arXiv:1808.09955v1 [astro-ph.IM])' }, 'normalise: empty title'],
    ['non-string title', { title: 42 as unknown as string }, 'normalise: empty title'],
    [
      'missing entry key',
      { provenance: { feedId: 'f', source: 'arxiv', entryKey: '', fetchedAt: 'x' } },
      'normalise: missing provenance (feedId, entryKey or source)',
    ],
    [
      'unknown source',
      { provenance: { feedId: 'f', source: 'myspace' as never, entryKey: 'k', fetchedAt: 'x' } },
      'normalise: missing provenance (feedId, entryKey or source)',
    ],
  ])('%s', (_name, overrides, reason) => {
    expect(normaliseEntry(entry(overrides))).toEqual({ ok: false, reason });
  });
});

describe('normaliseEntry: _id', () => {
  const base = ok(entry());

  it('is the same for an unchanged re-fetch (fetchedAt is not content)', () => {
    const again = ok(entry({ provenance: { ...entry().provenance, fetchedAt: '2026-09-25T09:00:00.000Z' } }));
    expect(again._id).toBe(base._id);
  });

  it('is the same when only presentation noise differs', () => {
    const noisy = ok(
      entry({
        title: '  The Drift Contract:\n  Spectral Updates for Depth-Robust Local Learning ',
        categories: ['cs.LG', 'cs.LG'],
        url: 'https://arxiv.org/abs/2609.26811?utm_source=x',
      }),
    );
    expect(noisy._id).toBe(base._id);
  });

  it.each<[string, Partial<SourceEntry>]>([
    ['new signals', { signals: { upvotes: 5 } }],
    [
      'new version',
      {
        ids: { arxiv: 'oai:arXiv.org:2609.26811v2' },
        summary:
          'arXiv:2609.26811v2 Announce Type: replace \nAbstract: Local learning trains each layer with its own loss.',
      },
    ],
    ['changed title', { title: 'The Drift Contract, revised' }],
    ['changed abstract', { summary: 'Something else.' }],
    ['changed authors', { authors: ['Fabien Polly', 'Jane Doe'] }],
    ['changed categories', { categories: ['cs.LG', 'cs.AI'] }],
    ['changed date', { publishedAt: '2026-09-25' }],
    ['new code link', { codeUrl: 'https://github.com/x/y' }],
  ])('changes with %s', (_name, overrides) => {
    expect(ok(entry(overrides))._id).not.toBe(base._id);
  });

  it('differs per feed and per entry key', () => {
    const otherFeed = ok(entry({ provenance: { ...entry().provenance, feedId: 'other' } }));
    expect(otherFeed._id.split('|')[2]).toBe(base._id.split('|')[2]);
    expect(otherFeed._id).not.toBe(base._id);
  });

  it('hashes very long entry keys', () => {
    const longKey = `https://example.com/${'a'.repeat(1_000)}`;
    const obs = ok(entry({ provenance: { ...entry().provenance, entryKey: longKey } }));
    expect(obs._id).toMatch(/^arxiv-cs-lg\|sha256:[0-9a-f]{32}\|[0-9a-f]{16}$/);
    expect(obs.provenance.entryKey).toBe(longKey);
    expect(longKey.length).toBeGreaterThan(MAX_ENTRY_KEY_IN_ID);
  });
});

describe('normaliseEntry: hostile input', () => {
  it('truncates a 10 MB abstract', () => {
    const obs = ok(entry({ summary: 'word '.repeat(2_000_000) }));
    expect(obs.abstract!.length).toBeLessThanOrEqual(MAX_ABSTRACT_CHARS);
    expect(obs.abstract!.length).toBeGreaterThan(MAX_ABSTRACT_CHARS - 10);
  });

  it('truncates a huge title', () => {
    expect(ok(entry({ title: 'T'.repeat(1_000_000) })).title).toHaveLength(MAX_TITLE_CHARS);
  });

  it('keeps the first 1,000 authors', () => {
    const authors = Array.from({ length: 5_000 }, (_, i) => `First${i} Last${i}`);
    const obs = ok(entry({ authors }));
    expect(obs.authors).toHaveLength(MAX_AUTHORS);
    expect(obs.authors[0]).toEqual({ name: 'First0 Last0', key: 'f last0' });
    expect(obs.authors.at(-1)!.name).toBe('First999 Last999');
  });

  it('keeps the first 1,000 authors of one joined string', () => {
    const joined = Array.from({ length: 3_000 }, (_, i) => `First${i} Last${i}`).join(', ');
    expect(ok(entry({ authors: [joined] })).authors).toHaveLength(MAX_AUTHORS);
  });

  it('does not let __proto__ / constructor keys pollute anything', () => {
    const hostile = JSON.parse(
      '{"ids": {"__proto__": {"arxiv": "9999.99999", "polluted": true}, "constructor": "x"},' +
        ' "signals": {"__proto__": {"upvotes": 1e9}, "constructor": 5, "points": 3}}',
    );
    const obs = ok(
      entry({
        ids: hostile.ids,
        signals: hostile.signals,
        categories: ['__proto__', 'constructor'],
        authors: ['__proto__'],
      }),
    );
    expect(obs.ids).toEqual({ arxiv: '2609.26811' });
    expect(obs.signals).toEqual({ points: 3 });
    expect(obs.categories).toEqual(['__proto__', 'constructor']);
    expect(obs.authors).toEqual([{ name: '__proto__', key: 'proto' }]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).upvotes).toBeUndefined();
    expect(Object.getPrototypeOf(obs.signals)).toBe(Object.prototype);
  });

  it('survives wrong runtime types', () => {
    const weird = {
      ...entry(),
      authors: 'Jane Doe',
      links: null,
      categories: [1, 'cs.LG'],
      ids: null,
      signals: null,
      summary: 5,
    } as unknown as SourceEntry;
    const obs = ok(weird);
    expect(obs.authors).toEqual([]);
    expect(obs.categories).toEqual(['cs.LG']);
    expect(obs.ids).toEqual({ arxiv: '2609.26811' });
    expect(obs.abstract).toBeUndefined();
    expect(obs.signals).toEqual({});
  });
});

describe('truncateText', () => {
  it.each<[string, number, string]>([
    ['abc', 5, 'abc'],
    ['abcdef', 3, 'abc'],
    ['ab cd', 3, 'ab'],
    ['a🚀b', 2, 'a'],
    ['a🚀b', 3, 'a🚀'],
  ])('%j cut at %i', (input, max, expected) => {
    expect(truncateText(input, max)).toBe(expected);
  });
});

describe('normaliseEntry: dated versions', () => {
  it('keeps whole versions 1…999 with valid dates, one per number (earliest), ascending', () => {
    const o = ok(
      entry({
        versions: [
          { version: 2, date: 'Thu, 5 Nov 2026 10:00:00 GMT' },
          { version: 1, date: 'Mon, 2 Nov 2026 10:00:00 GMT' },
          { version: 2, date: 'Fri, 6 Nov 2026 10:00:00 GMT' },
          { version: 0, date: 'Mon, 2 Nov 2026 10:00:00 GMT' },
          { version: 1.5, date: 'Mon, 2 Nov 2026 10:00:00 GMT' },
          { version: 3, date: 'yesterday' },
        ],
      }),
    );
    expect(o.versions).toEqual([
      { version: 1, seenAt: '2026-11-02T10:00:00.000Z' },
      { version: 2, seenAt: '2026-11-05T10:00:00.000Z' },
    ]);
  });

  it('an entry without dated versions has no versions field (its _id does not change)', () => {
    expect(ok(entry())).not.toHaveProperty('versions');
    expect(ok(entry({ versions: [{ version: 0, date: 'x' }] }))).not.toHaveProperty('versions');
    expect(ok(entry({ versions: [] }))._id).toBe(ok(entry())._id);
  });
});
