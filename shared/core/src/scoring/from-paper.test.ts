// "A revision never resets age": ScoreInput has no revision fields at all, so the only way a revision
// could reach the score is through the Paper → ScoreInput adapter. These tests build inputs from papers
// that differ only in revision data (updatedAt, later versions, latestVersion) and assert the scores are
// identical, and that the age origin does move when firstSeenAt does (so the check is not vacuous).
import { describe, expect, it } from 'vitest';
import type { Paper } from '../types.ts';
import { ageOrigin, arxivIdAppearedBy, type SeriesBySource, scoreInputFromPaper } from './from-paper.ts';
import { rankWindow } from './rank.ts';
import { paperRow } from './row.ts';
import { DEFAULT_SCORE_CONSTANTS, scorePaper } from './score.ts';
import { iso, NOW, randomSeries, rng } from './test-helpers.ts';
import { DAY_MS, HOUR_MS } from './windows.ts';

const C = DEFAULT_SCORE_CONSTANTS;
const nowMs = NOW.getTime();
const ago = (hours: number) => iso(nowMs - hours * HOUR_MS);

const basePaper = (over: Partial<Paper> = {}): Paper => ({
  _id: 'arxiv:2603.01234',
  ids: { arxiv: '2603.01234' },
  latestVersion: 1,
  versions: [{ version: 1, seenAt: ago(30) }],
  title: 'A paper',
  authors: [],
  primaryCategory: 'cs.LG',
  categories: ['cs.LG'],
  firstSeenAt: ago(30),
  links: {},
  textSource: { rank: 0, version: 1, at: ago(30) },
  sightings: [
    {
      feedId: 'arxiv-cs.LG',
      source: 'arxiv',
      entryKey: 'x',
      firstSeenAt: ago(30),
      lastSeenAt: ago(30),
      signals: {},
    },
    {
      feedId: 'arxiv-stat.ML',
      source: 'arxiv',
      entryKey: 'y',
      firstSeenAt: ago(30),
      lastSeenAt: ago(30),
      signals: {},
    },
    {
      feedId: 'hf-daily',
      source: 'huggingface',
      entryKey: 'z',
      firstSeenAt: ago(20),
      lastSeenAt: ago(1),
      signals: {},
    },
  ],
  ...over,
});

describe('arxivIdAppearedBy', () => {
  it.each([
    ['2401.01234', Date.UTC(2024, 1, 8)],
    ['0704.0001', Date.UTC(2007, 4, 8)],
    ['2412.12345', Date.UTC(2025, 0, 8)],
    ['hep-th/9901001', Date.UTC(1999, 1, 8)],
    ['math.GT/0309136', Date.UTC(2003, 9, 8)],
    ['2413.00001', undefined],
    ['not-an-id', undefined],
  ])('%s', (id, expected) => {
    expect(arxivIdAppearedBy(id)).toBe(expected);
  });
});

describe('scoreInputFromPaper', () => {
  it('has one entry per mentioning source with its distinct feeds and stored points', () => {
    const series: SeriesBySource = {
      huggingface: { feeds: ['hf-daily', 'hf-trending'], points: [{ at: ago(2), signals: { upvotes: 12 } }] },
    };
    expect(scoreInputFromPaper(basePaper(), series)).toEqual({
      paperId: 'arxiv:2603.01234',
      title: 'A paper',
      primaryCategory: 'cs.LG',
      firstSeenAt: ago(30),
      sources: [
        { source: 'arxiv', feeds: 2, series: [] },
        { source: 'huggingface', feeds: 2, series: series.huggingface!.points },
      ],
      row: paperRow(basePaper(), series, ago(30)),
    });
  });

  it('ages a v2 of an old paper from the old paper, even when Paperwire first met it at v2', () => {
    // First seen today through the v2 "replace" announcement; the id says it appeared in January 2025.
    const v2 = basePaper({
      _id: 'arxiv:2501.00042',
      ids: { arxiv: '2501.00042' },
      latestVersion: 2,
      versions: [{ version: 2, seenAt: ago(2) }],
      firstSeenAt: ago(2),
      updatedAt: ago(2),
    });
    expect(ageOrigin(v2)).toBe(iso(Date.UTC(2025, 1, 8)));
    const fresh = basePaper({ firstSeenAt: ago(2), versions: [{ version: 1, seenAt: ago(2) }] });
    const series: SeriesBySource = {
      huggingface: { feeds: ['hf-daily'], points: [{ at: ago(1), signals: { upvotes: 30 } }] },
    };
    const ranked = rankWindow([scoreInputFromPaper(v2, series), scoreInputFromPaper(fresh, series)], {
      window: '7d',
      now: NOW,
      constants: C,
      limit: 10,
    });
    expect(ranked.map((p) => p.paperId)).toEqual(['arxiv:2603.01234', 'arxiv:2501.00042']);
    expect(ranked[1]!.score).toBeLessThan(ranked[0]!.score / 1000);
  });

  it('ignores implausible dates (epoch 0 from a feed) and passes an unusable firstSeenAt through', () => {
    expect(ageOrigin(basePaper({ publishedAt: iso(0) }))).toBe(ago(30));
    const broken = basePaper({ ids: {}, firstSeenAt: 'garbage', versions: [] });
    expect(ageOrigin(broken)).toBe('garbage');
  });

  it('property: revisions (updatedAt, later versions, latestVersion) never change the score (600 cases)', () => {
    for (let seed = 1; seed <= 600; seed++) {
      const r = rng(seed);
      const firstSeenMs = nowMs - r.int(0, 40 * 24) * HOUR_MS;
      const original = basePaper({
        firstSeenAt: iso(firstSeenMs),
        versions: [{ version: 1, seenAt: iso(firstSeenMs) }],
        ...(r.chance(0.5) ? { publishedAt: iso(firstSeenMs - r.int(0, 48) * HOUR_MS) } : {}),
      });
      const revisions = r.int(1, 4);
      const revised: Paper = {
        ...original,
        latestVersion: 1 + revisions,
        updatedAt: iso(firstSeenMs + r.int(0, 60 * 24) * HOUR_MS),
        versions: [
          ...original.versions,
          ...Array.from({ length: revisions }, (_, i) => ({
            version: i + 2,
            seenAt: iso(firstSeenMs + r.int(0, nowMs + DAY_MS - firstSeenMs)),
          })),
        ],
      };
      const series: SeriesBySource = { huggingface: { feeds: ['hf'], points: randomSeries(r, nowMs) } };
      const window = r.pick(['24h', '7d', '30d'] as const);
      const score = (p: Paper) => scorePaper(scoreInputFromPaper(p, series), window, NOW, C);
      expect(score(revised), `seed ${seed}`).toEqual(score(original));
      // …while an earlier first appearance does change it (the check above can fail).
      const earlier = {
        ...original,
        firstSeenAt: iso(firstSeenMs - DAY_MS - (original.publishedAt ? 2 * DAY_MS : 0)),
      };
      expect(score(earlier).breakdown.ageHours, `seed ${seed}`).toBeGreaterThan(
        score(original).breakdown.ageHours!,
      );
    }
  });
});
