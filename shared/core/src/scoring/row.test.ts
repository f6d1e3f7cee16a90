import { describe, expect, it } from 'vitest';
import type { Paper } from '../types.ts';
import { scoreInputFromPaper } from './from-paper.ts';
import { rankByCategory, rankWindow } from './rank.ts';
import {
  bareRow,
  hfPageUrl,
  paperRow,
  ROW_AUTHORS_MAX,
  ROW_HISTORY_POINTS,
  rankedPaperSchema,
  rowCategories,
  signalSeriesView,
} from './row.ts';
import { DEFAULT_SCORE_CONSTANTS } from './score.ts';
import { iso, NOW } from './test-helpers.ts';
import { HOUR_MS } from './windows.ts';

const ago = (h: number) => iso(NOW.getTime() - h * HOUR_MS);

const paper = (over: Partial<Paper> = {}): Paper => ({
  _id: 'arxiv:2603.01234',
  ids: { arxiv: '2603.01234', hf: '2603.01234' },
  versions: [{ version: 1, seenAt: ago(5) }],
  title: 'Retrieval for Long Contexts',
  abstract: 'We study retrieval.',
  authors: Array.from({ length: 33 }, (_, i) => ({ name: `Author ${i}`, key: `a ${i}` })),
  organization: 'Example Lab',
  primaryCategory: 'cs.LG',
  categories: ['cs.LG', 'cs.CL', 'cs.LG'],
  firstSeenAt: ago(5),
  publishedAt: ago(6),
  links: {
    abs: 'https://arxiv.org/abs/2603.01234',
    pdf: 'https://arxiv.org/pdf/2603.01234',
    code: 'https://github.com/x/y',
  },
  sightings: [
    {
      feedId: 'hf-daily',
      source: 'huggingface',
      entryKey: '2603.01234',
      firstSeenAt: ago(5),
      lastSeenAt: ago(1),
      signals: { upvotes: 40, comments: 2 },
    },
    {
      feedId: 'hf-trending',
      source: 'huggingface',
      entryKey: '2603.01234',
      firstSeenAt: ago(5),
      lastSeenAt: ago(1),
      signals: { upvotes: 2 },
    },
    {
      feedId: 'hn',
      source: 'hackernews',
      entryKey: '1',
      firstSeenAt: ago(3),
      lastSeenAt: ago(1),
      signals: { points: 90 },
    },
  ],
  textSource: { rank: 0, version: 1, at: ago(5) },
  ...over,
});

describe('paperRow', () => {
  const points = Array.from({ length: 40 }, (_, i) => ({ at: ago(40 - i), signals: { upvotes: i } }));
  const row = paperRow(paper(), { huggingface: { feeds: ['hf-daily'], points } }, ago(6));

  it('carries what a page shows: text, bounded authors with their count, dates, organisation, links', () => {
    expect(rankedPaperSchema.safeParse({ ...row, rank: 1, score: 1, breakdown: {} }).success).toBe(true);
    expect(row).toMatchObject({
      paperId: 'arxiv:2603.01234',
      title: 'Retrieval for Long Contexts',
      abstract: 'We study retrieval.',
      authorCount: 33,
      organization: 'Example Lab',
      primaryCategory: 'cs.LG',
      categories: ['cs.LG', 'cs.CL'],
      firstSeenAt: ago(6),
      publishedAt: ago(6),
      links: {
        abs: 'https://arxiv.org/abs/2603.01234',
        pdf: 'https://arxiv.org/pdf/2603.01234',
        hf: 'https://huggingface.co/papers/2603.01234',
        code: 'https://github.com/x/y',
      },
    });
    expect(row.authors).toHaveLength(ROW_AUTHORS_MAX);
    expect(row.authors[0]).toEqual({ name: 'Author 0', key: 'a 0' });
  });

  it('sums current signals per source and keeps the latest history points', () => {
    expect(row.signals).toEqual([
      { source: 'hackernews', name: 'points', value: 90 },
      { source: 'huggingface', name: 'comments', value: 2 },
      { source: 'huggingface', name: 'upvotes', value: 42 },
    ]);
    expect(row.history).toHaveLength(1);
    expect(row.history[0]!.points).toHaveLength(ROW_HISTORY_POINTS);
    expect(row.history[0]!.points.at(-1)).toEqual({ at: ago(1), value: 39 });
  });

  it('leaves out what is unknown rather than writing empty values', () => {
    const bare = paperRow(
      paper({ abstract: undefined, organization: undefined, ids: {}, links: {}, sightings: [] }),
      {},
      ago(1),
    );
    expect(bare).not.toHaveProperty('abstract');
    expect(bare).not.toHaveProperty('organization');
    expect(bare.links).toEqual({});
    expect(bare.signals).toEqual([]);
    expect(bare.history).toEqual([]);
    expect(
      rankedPaperSchema.safeParse({ ...bareRow('x', 't', ago(1)), rank: 1, score: 0, breakdown: {} }).success,
    ).toBe(true);
  });

  it.each([
    [{ primaryCategory: 'cs.LG', categories: ['cs.CL', 'cs.LG'] }, ['cs.LG', 'cs.CL']],
    [{ primaryCategory: undefined, categories: ['math.OC'] }, ['math.OC']],
    [{ primaryCategory: undefined, categories: [] }, []],
  ])('categories %j → %j (primary first, each once)', (p, expected) => {
    expect(rowCategories(p)).toEqual(expected);
  });

  it('links the HF page only for papers Hugging Face lists', () => {
    expect(hfPageUrl(undefined)).toBeUndefined();
    expect(hfPageUrl('2603.01234')).toBe('https://huggingface.co/papers/2603.01234');
  });

  it('turns stored points into one series per source and signal, oldest first', () => {
    expect(
      signalSeriesView({
        huggingface: {
          points: [
            { at: ago(1), signals: { upvotes: 3, comments: 1 } },
            { at: ago(2), signals: { upvotes: 1 } },
          ],
        },
      }),
    ).toEqual([
      { source: 'huggingface', signal: 'comments', points: [{ at: ago(1), value: 1 }] },
      {
        source: 'huggingface',
        signal: 'upvotes',
        points: [
          { at: ago(2), value: 1 },
          { at: ago(1), value: 3 },
        ],
      },
    ]);
  });
});

describe('category boards include cross-lists', () => {
  const lg = scoreInputFromPaper(paper(), {});
  const cl = scoreInputFromPaper(
    paper({ _id: 'arxiv:2603.05555', primaryCategory: 'cs.CL', categories: ['cs.CL'], sightings: [] }),
    {},
  );
  const opts = { window: '24h' as const, now: NOW, constants: DEFAULT_SCORE_CONSTANTS, limit: 10 };

  it('lists a cs.LG paper cross-listed to cs.CL on the cs.CL board, marked as a cross-list', () => {
    const board = rankWindow([lg, cl], { ...opts, category: 'cs.CL' });
    expect(board.map((e) => [e.paperId, e.primaryCategory, e.crossListed])).toEqual([
      ['arxiv:2603.01234', 'cs.LG', true],
      ['arxiv:2603.05555', 'cs.CL', undefined],
    ]);
    const own = rankWindow([lg, cl], { ...opts, category: 'cs.LG' });
    expect(own.map((e) => [e.paperId, e.crossListed])).toEqual([['arxiv:2603.01234', undefined]]);
  });

  it('rankByCategory makes the same boards', () => {
    const boards = rankByCategory([lg, cl], opts);
    expect([...boards.keys()]).toEqual(['cs.CL', 'cs.LG']);
    expect(boards.get('cs.CL')).toEqual(rankWindow([lg, cl], { ...opts, category: 'cs.CL' }));
    // The overall board marks no row as a cross-list.
    expect(rankWindow([lg, cl], opts).every((e) => e.crossListed === undefined)).toBe(true);
  });
});
