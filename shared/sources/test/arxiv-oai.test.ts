// arxiv-oai against OAI-PMH 2.0 ListRecords responses we wrote from the OAI-PMH and arXivRaw schemas
// (test/fixtures/feeds/oai/), dated from this test's clock.
import { FeedParseError, normaliseEntry, type Observation, paperFromObservation } from '@paperwire/core';
import { describe, expect, it } from 'vitest';
import { oaiDate, oaiFixture, oaiYymm } from '../../../test/support/oai.ts';
import {
  type AdapterContext,
  backfillPageUrl,
  oaiListRecordsUrl,
  parseOaiPage,
  parsePayload,
  sourceOfKind,
} from '../src/index.ts';

const now = new Date();
const ctx: AdapterContext = { feedId: 'arxiv-oai-cs', fetchedAt: now.toISOString() };
const iso = (n: number) => oaiDate(now, n).toISOString();
const id = (month: number, n: string) => `${oaiYymm(now, month)}.${n}`;
const parse = (name: string) => parsePayload('arxiv-oai', oaiFixture(name, now), ctx);

function observe(entry: Parameters<typeof normaliseEntry>[0]): Observation {
  const r = normaliseEntry(entry);
  if (!r.ok) throw new Error(r.reason);
  return r.observation;
}

async function failure(name: string): Promise<FeedParseError> {
  const err = await parse(name).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FeedParseError);
  return err as FeedParseError;
}

describe('arxiv-oai: a three-page resumption-token sequence', () => {
  it('is an arXiv source', () => {
    expect(sourceOfKind('arxiv-oai')).toBe('arxiv');
  });

  it('page 1: arXivRaw fields, primary category first, versions with their dates, a deleted record', async () => {
    const r = await parse('list-records-page-1.xml');
    expect(r.entries.map((e) => e.provenance.entryKey)).toEqual([
      `oai:arXiv.org:${id(1, '90001')}`,
      `oai:arXiv.org:${id(2, '90002')}`,
    ]);
    expect(r.skipped).toEqual([{ entryKey: `oai:arXiv.org:${id(2, '90003')}`, reason: 'deleted record' }]);
    const [sparse, calibrated] = r.entries;
    expect(sparse).toMatchObject({
      provenance: { feedId: 'arxiv-oai-cs', source: 'arxiv', fetchedAt: now.toISOString() },
      ids: { arxiv: `${id(1, '90001')}v2` },
      url: `https://arxiv.org/abs/${id(1, '90001')}`,
      categories: ['cs.IR', 'cs.LG', 'stat.ML'],
      primaryCategory: 'cs.IR',
      authors: ['Ada Lovelace, Alan Turing and Grace Hopper'],
      comment: '12 pages, 4 figures; v2 adds ablations',
      publishedAt: iso(1),
      updatedAt: iso(6),
      versions: [
        { version: 1, date: iso(1) },
        { version: 2, date: iso(6) },
      ],
    });
    expect(sparse?.summary).toMatch(/^We study sparse mixtures .* third of the cost\.$/s);
    expect(calibrated).toMatchObject({
      ids: { arxiv: `${id(2, '90002')}v1`, doi: '10.5555/calib.2026.0002' },
      journalRef: 'Journal of Calibration 12 (2026) 1-20',
      comment: 'Accepted at the Workshop on Calibration',
      categories: ['cs.CL', 'cs.LG'],
      primaryCategory: 'cs.CL',
      publishedAt: iso(2),
    });
    expect(await parseOaiPage(oaiFixture('list-records-page-1.xml', now))).toEqual({
      resumptionToken: '7391830|3',
      cursor: 0,
      completeListSize: 7,
      records: 3,
      noRecordsMatch: false,
    });
  });

  it('page 2 continues from its token; page 3 ends the list with an empty token', async () => {
    const two = await parse('list-records-page-2.xml');
    expect(two.entries.map((e) => e.ids.arxiv)).toEqual([
      `${id(3, '90004')}v1`,
      `${id(4, '90005')}v3`,
      `${id(4, '90006')}v1`,
    ]);
    expect(await parseOaiPage(oaiFixture('list-records-page-2.xml', now))).toMatchObject({
      resumptionToken: '7391830|6',
      cursor: 3,
      completeListSize: 7,
      records: 3,
    });
    const three = await parse('list-records-page-3.xml');
    expect(three.entries).toHaveLength(1);
    const last = await parseOaiPage(oaiFixture('list-records-page-3.xml', now));
    expect(last).toEqual({ cursor: 6, completeListSize: 7, records: 1, noRecordsMatch: false });
    // The whole list: every record once (cursor + records of the last page = completeListSize).
    expect((last.cursor ?? 0) + last.records).toBe(last.completeListSize);
  });

  it("a revision's paper starts at v1's date and keeps every version's own date", async () => {
    const [, latent] = (await parse('list-records-page-2.xml')).entries;
    const obs = observe(latent!);
    expect(obs.arxivVersion).toBe(3);
    expect(obs.identityKeys).toEqual([`arxiv:${id(4, '90005')}`]);
    const paper = paperFromObservation(`arxiv:${id(4, '90005')}`, obs);
    expect(paper.firstSeenAt).toBe(iso(4));
    expect(paper.latestVersion).toBe(3);
    expect(paper.versions).toEqual([
      { version: 1, seenAt: iso(4) },
      { version: 2, seenAt: iso(7) },
      { version: 3, seenAt: iso(9) },
    ]);
    expect(paper.authors.map((a) => a.name)).toEqual(['Frances Allen', 'John Backus']);
  });

  it('metadataPrefix=arXiv: structured authors, created as v1', async () => {
    const r = await parse('list-records-arxiv-format.xml');
    expect(r.entries).toHaveLength(1);
    expect(r.entries[0]).toMatchObject({
      ids: { arxiv: id(4, '90005') },
      authors: ['Frances Allen', 'John Backus Jr'],
      categories: ['cs.LG', 'cs.DB'],
      primaryCategory: 'cs.LG',
      publishedAt: `${iso(4).slice(0, 10)}T00:00:00.000Z`,
      updatedAt: `${iso(9).slice(0, 10)}T00:00:00.000Z`,
      versions: [{ version: 1, date: `${iso(4).slice(0, 10)}T00:00:00.000Z` }],
    });
    expect(await parseOaiPage(oaiFixture('list-records-arxiv-format.xml', now))).toEqual({
      records: 1,
      noRecordsMatch: false,
    });
  });
});

describe('arxiv-oai: OAI-PMH errors', () => {
  it('noRecordsMatch is an empty, finished list', async () => {
    expect(await parse('no-records-match.xml')).toEqual({ entries: [], skipped: [] });
    expect(await parseOaiPage(oaiFixture('no-records-match.xml', now))).toEqual({
      records: 0,
      noRecordsMatch: true,
    });
  });

  it.each([
    ['bad-resumption-token.xml', 'badResumptionToken', '7391830|999'],
    ['bad-argument.xml', 'badArgument', 'yesterday'],
  ])('%s is a FeedParseError naming %s, without echoing the payload', async (name, code, echoed) => {
    const err = await failure(name);
    expect(err.message).toBe(`sources: arxiv-oai: api-error: OAI-PMH error ${code}`);
    expect(err.failure).toBe('api-error');
    expect(err.message).not.toContain(echoed);
    expect(err.retryable).toBe(false);
    await expect(parseOaiPage(oaiFixture(name, now))).rejects.toBeInstanceOf(FeedParseError);
  });

  it('another document is not an OAI-PMH response', async () => {
    const err = await failure('../lab-blog.rss.xml');
    expect(err.message).toMatch(/not-a-feed: the root element is not <OAI-PMH>/);
    expect(err.message).not.toContain('<rss>');
  });
});

describe('oaiListRecordsUrl', () => {
  it('a first request carries metadataPrefix, set and dates; a resumption carries the token alone', () => {
    expect(
      oaiListRecordsUrl('https://export.arxiv.org/oai2', {
        metadataPrefix: 'arXivRaw',
        set: 'cs',
        from: '2026-11-01',
        until: '2026-11-30',
      }),
    ).toBe(
      'https://export.arxiv.org/oai2?verb=ListRecords&metadataPrefix=arXivRaw&set=cs&from=2026-11-01&until=2026-11-30',
    );
    expect(oaiListRecordsUrl('http://127.0.0.1:1/oai2', { resumptionToken: '7391830|3' })).toBe(
      'http://127.0.0.1:1/oai2?verb=ListRecords&resumptionToken=7391830%7C3',
    );
    expect(() => oaiListRecordsUrl('x', { metadataPrefix: 'arXiv', from: 'yesterday' })).toThrow(RangeError);
  });
});

describe('backfillPageUrl', () => {
  it('OAI-PMH: the first request from the source, then the stored token alone', () => {
    const source = {
      kind: 'arxiv-oai',
      base: 'http://127.0.0.1:1/oai2',
      metadataPrefix: 'arXivRaw',
      set: 'physics:hep-th',
      from: '2026-11-01',
    } as const;
    expect(backfillPageUrl(source, { next: 0 })).toBe(
      'http://127.0.0.1:1/oai2?verb=ListRecords&metadataPrefix=arXivRaw&set=physics%3Ahep-th&from=2026-11-01',
    );
    expect(backfillPageUrl(source, { next: 3, token: '7391830|3' })).toBe(
      'http://127.0.0.1:1/oai2?verb=ListRecords&resumptionToken=7391830%7C3',
    );
  });

  it('arXiv API: the stored start offset on the configured endpoint, oldest submissions first', () => {
    const url = new URL(
      backfillPageUrl(
        { kind: 'arxiv-api', base: 'http://127.0.0.1:1/api/query', searchQuery: 'cat:cs.LG', pageSize: 50 },
        { next: 150 },
      ),
    );
    expect(url.origin + url.pathname).toBe('http://127.0.0.1:1/api/query');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      search_query: 'cat:cs.LG',
      start: '150',
      max_results: '50',
      sortBy: 'submittedDate',
      sortOrder: 'ascending',
    });
  });
});
