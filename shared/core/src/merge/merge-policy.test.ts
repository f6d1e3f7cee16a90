import { describe, expect, it } from 'vitest';
import type { Observation, Source } from '../types.ts';
import {
  applyObservation,
  arxivIdMonthEnd,
  firstAppearance,
  mergePapers,
  paperFromObservation,
  sameRecord,
  survivorId,
} from './merge-policy.ts';

let seq = 0;
function obs(
  partial: Partial<Observation> & { source?: Source; fetchedAt?: string; feedId?: string },
): Observation {
  const { source = 'arxiv', fetchedAt = '2026-11-20T10:00:00.000Z', feedId = 'feed-a', ...rest } = partial;
  seq++;
  return {
    _id: `o${seq}`,
    provenance: { feedId, source, entryKey: rest._id ?? `e${seq}`, fetchedAt },
    ids: { arxiv: '2611.04321' },
    identityKeys: ['arxiv:2611.04321'],
    title: 'A paper',
    authors: [{ name: 'Ada Lovelace', key: 'a lovelace' }],
    categories: ['cs.LG'],
    links: {},
    signals: {},
    ...rest,
  };
}

const permutations = <T>(xs: T[]): T[][] =>
  xs.length <= 1
    ? [xs]
    : xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));

describe('applyObservation', () => {
  it('is idempotent: applying the same observation twice changes nothing', () => {
    const o = obs({ arxivVersion: 1, signals: { upvotes: 3 } });
    const once = applyObservation(undefined, 'arxiv:2611.04321', o);
    expect(sameRecord(applyObservation(once, 'arxiv:2611.04321', o), once)).toBe(true);
  });

  it('gives the same paper whatever order observations arrive in', () => {
    const list = [
      obs({ arxivVersion: 1, title: 'Tiny experts v1', fetchedAt: '2026-11-20T10:00:00.000Z' }),
      obs({
        arxivVersion: 2,
        title: 'Tiny experts v2',
        fetchedAt: '2026-11-22T10:00:00.000Z',
        announceType: 'replace',
      }),
      obs({
        source: 'huggingface',
        feedId: 'hf',
        title: 'Tiny Experts (HF)',
        organization: 'Lab',
        links: { code: 'https://github.com/x/y' },
        signals: { upvotes: 40, comments: 2 },
        fetchedAt: '2026-11-21T00:00:00.000Z',
      }),
      obs({ source: 'hackernews', feedId: 'hn', title: 'Show HN: tiny experts', signals: { points: 100 } }),
    ];
    const results = permutations(list).map((order) =>
      order.reduce<ReturnType<typeof applyObservation> | undefined>(
        (paper, o) => applyObservation(paper, 'arxiv:2611.04321', o),
        undefined,
      ),
    );
    for (const r of results) expect(sameRecord(r, results[0])).toBe(true);
    const p = results[0]!;
    expect(p.title).toBe('Tiny experts v2'); // arXiv wins, newest version wins
    expect(p.organization).toBe('Lab'); // HF adds organisation and repo
    expect(p.links.code).toBe('https://github.com/x/y');
    expect(p.latestVersion).toBe(2);
    expect(p.versions.map((v) => v.version)).toEqual([1, 2]);
    expect(p.sightings).toHaveLength(4);
  });

  it('a revision never makes a paper look newer', () => {
    const v1 = obs({
      arxivVersion: 1,
      fetchedAt: '2026-11-20T10:00:00.000Z',
      publishedAt: '2026-11-19T00:00:00.000Z',
    });
    const v2 = obs({ arxivVersion: 2, fetchedAt: '2026-11-28T10:00:00.000Z', announceType: 'replace' });
    const p = applyObservation(applyObservation(undefined, 'p', v1), 'p', v2);
    expect(p.firstSeenAt).toBe('2026-11-19T00:00:00.000Z');
  });

  it('keeps the latest signals of each sighting', () => {
    const early = obs({
      _id: 'same',
      source: 'huggingface',
      feedId: 'hf',
      signals: { upvotes: 3 },
      fetchedAt: '2026-11-20T00:00:00.000Z',
    });
    const late = obs({
      _id: 'same',
      source: 'huggingface',
      feedId: 'hf',
      signals: { upvotes: 9 },
      fetchedAt: '2026-11-21T00:00:00.000Z',
    });
    const a = applyObservation(applyObservation(undefined, 'p', late), 'p', early);
    const b = applyObservation(applyObservation(undefined, 'p', early), 'p', late);
    expect(a.sightings).toEqual(b.sightings);
    expect(a.sightings[0]).toMatchObject({
      signals: { upvotes: 9 },
      firstSeenAt: '2026-11-20T00:00:00.000Z',
      lastSeenAt: '2026-11-21T00:00:00.000Z',
    });
  });
});

describe('firstAppearance', () => {
  it.each([
    [
      'a new announcement: its date',
      { announceType: 'new' as const, publishedAt: '2026-11-19T00:00:00.000Z' },
      '2026-11-19T00:00:00.000Z',
    ],
    [
      'seen before published: when seen',
      { publishedAt: '2026-11-25T00:00:00.000Z' },
      '2026-11-20T10:00:00.000Z',
    ],
    [
      'an old paper cross-listed again: its id month',
      {
        announceType: 'cross' as const,
        ids: { arxiv: '2205.06398' },
        publishedAt: '2026-11-20T00:00:00.000Z',
      },
      '2022-05-31T23:59:59.000Z',
    ],
    [
      'a replacement RSS date is not a first appearance',
      {
        announceType: 'replace' as const,
        arxivVersion: 3,
        ids: { arxiv: '2611.00001' },
        publishedAt: '2026-11-19T00:00:00.000Z',
      },
      '2026-11-20T10:00:00.000Z',
    ],
  ])('%s', (_name, partial, expected) => {
    expect(firstAppearance(obs(partial))).toBe(expected);
  });

  it.each([
    ['2205.06398', '2022-05-31T23:59:59.000Z'],
    ['hep-th/9901001', '1999-01-31T23:59:59.000Z'],
    ['2213.00001', undefined],
    ['nonsense', undefined],
  ])('arxivIdMonthEnd(%s)', (id, expected) => {
    expect(arxivIdMonthEnd(id)).toBe(expected);
  });
});

describe('mergePapers and survivorId', () => {
  it('the strongest identity key survives', () => {
    expect(survivorId(['doi:10.1/x', 'arxiv:2611.04321'])).toBe('arxiv:2611.04321');
    expect(survivorId(['fp:abc', 'doi:10.1/x'])).toBe('doi:10.1/x');
    expect(survivorId(['arxiv:2611.2', 'arxiv:2611.1'])).toBe('arxiv:2611.1');
    expect(() => survivorId([])).toThrow();
  });

  it('merging is commutative and keeps both papers’ sightings and ids', () => {
    const a = paperFromObservation('arxiv:2611.04321', obs({ feedId: 'arxiv-feed' }));
    const b = paperFromObservation(
      'doi:10.1/x',
      obs({
        source: 'web',
        feedId: 'journal',
        ids: { doi: '10.1/x' },
        identityKeys: ['doi:10.1/x'],
        title: 'Journal version',
      }),
    );
    const ab = mergePapers('arxiv:2611.04321', a, b);
    const ba = mergePapers('arxiv:2611.04321', b, a);
    expect(sameRecord(ab, ba)).toBe(true);
    expect(ab.ids).toEqual({ arxiv: '2611.04321', doi: '10.1/x' });
    expect(ab.title).toBe('A paper'); // arXiv text wins over the web record
    expect(ab.sightings.map((s) => s.feedId).sort()).toEqual(['arxiv-feed', 'journal']);
  });
});

describe('sameRecord', () => {
  it.each([
    [{ a: 1, b: 2 }, { b: 2, a: 1 }, true],
    [{ a: 1, b: undefined }, { a: 1 }, true],
    [{ a: [1, 2] }, { a: [2, 1] }, false],
    [{ a: { x: 1 } }, { a: { x: 2 } }, false],
  ])('%j vs %j', (a, b, expected) => {
    expect(sameRecord(a, b)).toBe(expected);
  });
});

describe('dated versions (OAI-PMH arXivRaw)', () => {
  const dated = obs({
    arxivVersion: 3,
    publishedAt: '2026-11-02T10:00:00.000Z',
    versions: [
      { version: 1, seenAt: '2026-11-02T10:00:00.000Z' },
      { version: 2, seenAt: '2026-11-05T10:00:00.000Z' },
      { version: 3, seenAt: '2026-11-09T10:00:00.000Z' },
    ],
    fetchedAt: '2026-12-01T00:00:00.000Z',
    feedId: 'arxiv-oai-cs',
  });
  const rssReplace = obs({
    arxivVersion: 2,
    announceType: 'replace',
    publishedAt: '2026-11-06T04:00:00.000Z',
    fetchedAt: '2026-11-06T05:00:00.000Z',
    feedId: 'arxiv-rss-cs',
  });

  it("starts the paper at v1's date and keeps every version's own date", () => {
    expect(firstAppearance(dated)).toBe('2026-11-02T10:00:00.000Z');
    const paper = paperFromObservation('arxiv:2611.04321', dated);
    expect(paper.latestVersion).toBe(3);
    expect(paper.versions.map((v) => v.seenAt)).toEqual([
      '2026-11-02T10:00:00.000Z',
      '2026-11-05T10:00:00.000Z',
      '2026-11-09T10:00:00.000Z',
    ]);
  });

  it('merged with a revision seen in RSS, in any order: the earliest evidence dates each version', () => {
    const results = permutations([dated, rssReplace]).map((order) =>
      order.reduce<ReturnType<typeof paperFromObservation> | undefined>(
        (p, o) => applyObservation(p, 'arxiv:2611.04321', o),
        undefined,
      ),
    );
    for (const r of results) expect(sameRecord(r, results[0])).toBe(true);
    expect(results[0]?.firstSeenAt).toBe('2026-11-02T10:00:00.000Z');
    expect(results[0]?.versions).toEqual([
      { version: 1, seenAt: '2026-11-02T10:00:00.000Z' },
      { version: 2, seenAt: '2026-11-05T10:00:00.000Z' },
      { version: 3, seenAt: '2026-11-09T10:00:00.000Z' },
    ]);
  });
});
