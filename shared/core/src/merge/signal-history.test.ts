import { describe, expect, it } from 'vitest';
import type { Paper, Sighting } from '../types.ts';
import { appendSignalPoints, currentSignals, sourceTotals } from './signal-history.ts';

const sighting = (feedId: string, source: Sighting['source'], signals: Sighting['signals']): Sighting => ({
  feedId,
  source,
  entryKey: `${feedId}-e`,
  firstSeenAt: '2026-11-20T00:00:00.000Z',
  lastSeenAt: '2026-11-20T00:00:00.000Z',
  signals,
});

const paper = (sightings: Sighting[]): Paper => ({
  _id: 'arxiv:2611.00001',
  ids: { arxiv: '2611.00001' },
  versions: [],
  title: 't',
  authors: [],
  categories: [],
  firstSeenAt: '2026-11-20T00:00:00.000Z',
  links: {},
  sightings,
  textSource: { rank: 3, version: 1, at: '2026-11-20T00:00:00.000Z' },
});

describe('sourceTotals', () => {
  it('adds up the sightings of one source and lists its feeds', () => {
    const totals = sourceTotals(
      paper([
        sighting('hn-a', 'hackernews', { points: 10, comments: 2 }),
        sighting('hn-b', 'hackernews', { points: 5 }),
        sighting('rss', 'web', {}),
      ]),
    );
    expect(totals.get('hackernews')).toEqual({
      feeds: ['hn-a', 'hn-b'],
      signals: { points: 15, comments: 2 },
    });
    expect(totals.get('web')).toEqual({ feeds: ['rss'], signals: {} });
  });
});

describe('appendSignalPoints', () => {
  const p1 = paper([sighting('hf', 'huggingface', { upvotes: 3 })]);
  const p2 = paper([sighting('hf', 'huggingface', { upvotes: 7 })]);

  it('adds a point only when a source’s totals change', () => {
    const s1 = appendSignalPoints({}, p1, '2026-11-20T01:00:00.000Z');
    const same = appendSignalPoints(s1, p1, '2026-11-20T02:00:00.000Z');
    const s2 = appendSignalPoints(same, p2, '2026-11-20T03:00:00.000Z');
    expect(s1.huggingface?.points).toHaveLength(1);
    expect(same).toEqual(s1);
    expect(s2.huggingface?.points.map((p) => p.signals.upvotes)).toEqual([3, 7]);
  });

  it('keeps feeds but no points for sources without signals', () => {
    const s = appendSignalPoints({}, paper([sighting('rss', 'web', {})]), '2026-11-20T01:00:00.000Z');
    expect(s.web).toEqual({ feeds: ['rss'], points: [] });
  });

  it('never writes a point earlier than the last one', () => {
    const s1 = appendSignalPoints({}, p1, '2026-11-20T05:00:00.000Z');
    const s2 = appendSignalPoints(s1, p2, '2026-11-20T04:00:00.000Z');
    expect(s2.huggingface?.points.map((p) => p.at)).toEqual([
      '2026-11-20T05:00:00.000Z',
      '2026-11-20T05:00:00.000Z',
    ]);
  });
});

describe('currentSignals', () => {
  it('gives each reporting source its totals over its sightings, and leaves silent sources out', () => {
    const p = paper([
      sighting('arxiv', 'arxiv', {}),
      sighting('hf', 'huggingface', { upvotes: 7, comments: 2 }),
      sighting('hn-front', 'hackernews', { points: 10, comments: 4 }),
      sighting('hn-new', 'hackernews', { points: 5 }),
    ]);
    expect(currentSignals(p)).toEqual({
      hackernews: { points: 15, comments: 4 },
      huggingface: { upvotes: 7, comments: 2 },
    });
    expect(currentSignals(paper([sighting('arxiv', 'arxiv', {})]))).toEqual({});
  });
});
