import { bareRow, type RankedPaper } from '@paperwire/core';
import { describe, expect, it } from 'vitest';
import {
  ALL_CATEGORIES,
  boardsToRank,
  type InputChange,
  isPartial,
  publishesBoard,
  type ScoreJob,
} from './boards.ts';

const change = (paperId: string, before: string[], after: string[]): InputChange => ({
  paperId,
  before,
  after,
});

describe('isPartial', () => {
  it.each<[ScoreJob, boolean]>([
    [{ reason: 'dirty' }, false],
    [{ reason: 'periodic' }, false],
    [{ reason: 'manual' }, false],
    [{ reason: 'manual', windows: ['7d'] }, true],
    [{ reason: 'manual', categories: ['cs.LG'] }, true],
    [{ reason: 'dirty', windows: ['24h'], categories: ['all'] }, true],
  ])('%j → %s', (job, partial) => {
    expect(isPartial(job)).toBe(partial);
  });
});

describe('boardsToRank', () => {
  const changes = [change('a', ['cs.LG'], ['cs.LG'])];
  it.each<[string, ScoreJob, InputChange[] | undefined, readonly string[] | undefined]>([
    ['a periodic job: every board', { reason: 'periodic' }, changes, undefined],
    ['a manual job: every board', { reason: 'manual' }, changes, undefined],
    ['a periodic job after a whole load: every board', { reason: 'periodic' }, undefined, undefined],
    ['a debounced job after a whole load: every board', { reason: 'dirty' }, undefined, undefined],
    ['a debounced job, nothing changed: the overall board', { reason: 'dirty' }, [], [ALL_CATEGORIES]],
    [
      'a debounced job: the overall board and the changed paper’s',
      { reason: 'dirty' },
      changes,
      [ALL_CATEGORIES, 'cs.LG'],
    ],
    [
      'a partial job keeps its boards',
      { reason: 'manual', categories: ['q-bio.NC', 'all'] },
      changes,
      ['q-bio.NC', 'all'],
    ],
    [
      'a partial job of some windows: every board of them',
      { reason: 'dirty', windows: ['7d'] },
      changes,
      undefined,
    ],
    [
      'a partial job of some windows and boards: those boards',
      { reason: 'periodic', windows: ['7d'], categories: ['cs.CV'] },
      undefined,
      ['cs.CV'],
    ],
  ])('%s', (_name, job, given, boards) => {
    expect(boardsToRank(job, given)).toEqual(boards);
  });

  it.each<[string, InputChange[], string[]]>([
    ['a new paper: the boards it is on', [change('a', [], ['cs.CL'])], ['cs.CL']],
    [
      'a paper that moved: the board it left and the one it joined',
      [change('a', ['cs.LG'], ['cs.CV'])],
      ['cs.CV', 'cs.LG'],
    ],
    [
      'cross-lists before and after, each board once',
      [change('a', ['cs.LG', 'stat.ML'], ['cs.LG', 'cs.AI'])],
      ['cs.AI', 'cs.LG', 'stat.ML'],
    ],
    [
      'a paper merged away or gone: the boards it was on',
      [change('loser', ['math.OC', 'cs.LG'], [])],
      ['cs.LG', 'math.OC'],
    ],
    ['an uncategorised paper', [change('a', [], ['uncategorised'])], ['uncategorised']],
    [
      'several papers, overlapping boards, in code-unit order',
      [
        change('b', ['q-bio.NC'], ['q-bio.NC']),
        change('a', [], ['cs.LG', 'q-bio.NC']),
        change('a', ['cs.LG'], ['cs.LG']),
      ],
      ['cs.LG', 'q-bio.NC'],
    ],
    [
      'a category named like the overall board is not listed twice',
      [change('a', ['all'], ['cs.LG'])],
      ['cs.LG'],
    ],
  ])('a debounced job: %s, and the overall board first', (_name, given, categories) => {
    expect(boardsToRank({ reason: 'dirty' }, given)).toEqual([ALL_CATEGORIES, ...categories]);
  });
});

describe('publishesBoard', () => {
  const entries = (...ids: string[]): RankedPaper[] =>
    ids.map((paperId, i) => ({
      ...bareRow(paperId, paperId, '2026-01-01T00:00:00.000Z'),
      rank: i + 1,
      score: 10 - i,
      breakdown: {},
    }));
  const snapshot = (
    ids: string[],
    over: { category?: string; scoreVersion?: string; constants?: Record<string, number> } = {},
  ) => ({
    category: over.category ?? 'cs.LG',
    entries: entries(...ids),
    scoreVersion: over.scoreVersion ?? 'v3',
    constants: over.constants ?? { 'halfLifeHours.24h': 8, categoryTopK: 5 },
  });
  const ab = snapshot(['a', 'b']);
  const dirty: ScoreJob = { reason: 'dirty' };

  it.each<[string, ScoreJob, ReturnType<typeof snapshot> | undefined, ReturnType<typeof snapshot>, boolean]>([
    ['dirty, same order: skipped', dirty, ab, snapshot(['a', 'b']), false],
    [
      'dirty, same order, other scores and rows: skipped',
      dirty,
      ab,
      { ...ab, entries: entries('a', 'b').map((e) => ({ ...e, score: 99, title: 'new' })) },
      false,
    ],
    ['dirty, both empty: skipped', dirty, snapshot([]), snapshot([]), false],
    ['dirty, a swap: published', dirty, ab, snapshot(['b', 'a']), true],
    ['dirty, a paper more: published', dirty, ab, snapshot(['a', 'b', 'c']), true],
    ['dirty, a paper fewer: published', dirty, ab, snapshot(['a']), true],
    ['dirty, a paper replaced: published', dirty, ab, snapshot(['a', 'c']), true],
    ['dirty, no snapshot yet: published', dirty, undefined, snapshot(['a']), true],
    ['dirty, its last paper left: published (emptied)', dirty, ab, snapshot([]), true],
    ['no category board yet and no paper for it: not created', dirty, undefined, snapshot([]), false],
    [
      'periodic: an empty category board is not created either',
      { reason: 'periodic' },
      undefined,
      snapshot([]),
      false,
    ],
    [
      'a partial job: an empty category board is not created either',
      { reason: 'manual', categories: ['q-bio.NC'] },
      undefined,
      snapshot([], { category: 'q-bio.NC' }),
      false,
    ],
    [
      'no overall board yet, no active paper: the empty overall board is published',
      dirty,
      undefined,
      snapshot([], { category: ALL_CATEGORIES }),
      true,
    ],
    [
      'dirty, another score version: published',
      dirty,
      ab,
      snapshot(['a', 'b'], { scoreVersion: 'v4' }),
      true,
    ],
    [
      'dirty, another constant value: published',
      dirty,
      ab,
      snapshot(['a', 'b'], { constants: { 'halfLifeHours.24h': 6, categoryTopK: 5 } }),
      true,
    ],
    [
      'dirty, a constant more: published',
      dirty,
      ab,
      snapshot(['a', 'b'], { constants: { 'halfLifeHours.24h': 8, categoryTopK: 5, extra: 1 } }),
      true,
    ],
    [
      'dirty, same constants in another key order: skipped',
      dirty,
      ab,
      snapshot(['a', 'b'], { constants: { categoryTopK: 5, 'halfLifeHours.24h': 8 } }),
      false,
    ],
    [
      'periodic, same order: published (decay and asOf)',
      { reason: 'periodic' },
      ab,
      snapshot(['a', 'b']),
      true,
    ],
    ['manual, same order: published', { reason: 'manual' }, ab, snapshot(['a', 'b']), true],
    [
      'a partial dirty job, same order: published',
      { reason: 'dirty', categories: ['all'] },
      ab,
      snapshot(['a', 'b']),
      true,
    ],
  ])('%s', (_name, job, current, next, publishes) => {
    expect(publishesBoard(job, current, next)).toBe(publishes);
  });
});
