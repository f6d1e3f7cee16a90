import { describe, expect, it } from 'vitest';
import {
  type HfDayRecord,
  type HfRepollPolicy,
  hfDaysToPoll,
  hfDayUrl,
  hfRepollWindow,
  repollsHfDays,
  updateHfDays,
} from './hf-days.ts';

const now = new Date('2026-11-29T00:30:00Z');
const policy: HfRepollPolicy = { days: 2, stableAfter: 2 };
const day = (date: string, hash: string, unchangedPolls: number): HfDayRecord => ({
  date,
  hash,
  unchangedPolls,
});

describe('repollsHfDays', () => {
  it.each([
    ['hf-daily', 'https://huggingface.co/api/daily_papers', true],
    ['hf-daily', 'https://huggingface.co/api/daily_papers?limit=50', true],
    ['hf-daily', 'https://huggingface.co/api/daily_papers?date=2026-11-20', false],
    ['hn', 'https://hn.algolia.com/api/v1/search_by_date?query=arxiv.org', false],
    ['hf-daily', 'not a url', false],
    ['hf-daily', 'file:///srv/feeds/daily_papers.json', false],
    ['hf-daily', 'file:///srv/feeds/', false],
  ])('%s %s → %s', (kind, url, expected) => {
    expect(repollsHfDays({ kind, url })).toBe(expected);
  });
});

describe('hfDayUrl', () => {
  it.each([
    ['https://huggingface.co/api/daily_papers', 'https://huggingface.co/api/daily_papers?date=2026-11-28'],
    [
      'http://127.0.0.1:8080/api/daily_papers?limit=5',
      'http://127.0.0.1:8080/api/daily_papers?limit=5&date=2026-11-28',
    ],
  ])('%s', (feedUrl, expected) => {
    expect(hfDayUrl(feedUrl, '2026-11-28')).toBe(expected);
  });
});

describe('hfRepollWindow', () => {
  it.each([
    [new Date('2026-11-29T00:30:00Z'), 2, ['2026-11-28', '2026-11-27']],
    [new Date('2026-11-29T23:59:59.999Z'), 1, ['2026-11-28']],
    [new Date('2026-03-01T05:00:00Z'), 2, ['2026-02-28', '2026-02-27']],
    [new Date('2027-01-01T00:00:00Z'), 1, ['2026-12-31']],
    [now, 0, []],
  ])('%s, %i days', (at, days, expected) => {
    expect(hfRepollWindow(at, days)).toEqual(expected);
  });
});

describe('hfDaysToPoll', () => {
  it.each<[string, HfDayRecord[] | undefined, HfRepollPolicy, string[]]>([
    ['no record: every day of the window', undefined, policy, ['2026-11-28', '2026-11-27']],
    [
      'unsettled days are polled, settled ones not',
      [day('2026-11-28', 'a', 1), day('2026-11-27', 'b', 2)],
      policy,
      ['2026-11-28'],
    ],
    ['all settled', [day('2026-11-28', 'a', 2), day('2026-11-27', 'b', 3)], policy, []],
    [
      'days outside the window are ignored',
      [day('2026-11-20', 'x', 0)],
      { days: 1, stableAfter: 2 },
      ['2026-11-28'],
    ],
    [
      'stableAfter 0: each day polled once',
      [day('2026-11-28', 'a', 0)],
      { days: 2, stableAfter: 0 },
      ['2026-11-27'],
    ],
    ['re-polling off', undefined, { days: 0, stableAfter: 2 }, []],
  ])('%s', (_name, record, p, expected) => {
    expect(hfDaysToPoll(record, now, p)).toEqual(expected);
  });
});

describe('updateHfDays', () => {
  it.each<[string, HfDayRecord[] | undefined, { date: string; hash: string }[], HfDayRecord[], string[]]>([
    [
      'first polls: recorded with 0 unchanged, all changed',
      undefined,
      [
        { date: '2026-11-28', hash: 'a' },
        { date: '2026-11-27', hash: 'b' },
      ],
      [day('2026-11-28', 'a', 0), day('2026-11-27', 'b', 0)],
      ['2026-11-28', '2026-11-27'],
    ],
    [
      'same body counts an unchanged poll; a new body resets the count',
      [day('2026-11-28', 'a', 1), day('2026-11-27', 'b', 1)],
      [
        { date: '2026-11-28', hash: 'a' },
        { date: '2026-11-27', hash: 'c' },
      ],
      [day('2026-11-28', 'a', 2), day('2026-11-27', 'c', 0)],
      ['2026-11-27'],
    ],
    [
      'days not polled keep their record; days that left the window are dropped',
      [day('2026-11-27', 'b', 2), day('2026-11-26', 'z', 2)],
      [{ date: '2026-11-28', hash: 'a' }],
      [day('2026-11-28', 'a', 0), day('2026-11-27', 'b', 2)],
      ['2026-11-28'],
    ],
  ])('%s', (_name, record, polled, expectedRecord, expectedChanged) => {
    expect(updateHfDays(record, polled, now, policy)).toEqual({
      record: expectedRecord,
      changed: expectedChanged,
    });
  });

  it('settles a day after stableAfter unchanged polls, then stops polling it', () => {
    let record: HfDayRecord[] | undefined;
    const polls: string[][] = [];
    for (let i = 0; i < 5; i++) {
      const due = hfDaysToPoll(record, now, { days: 1, stableAfter: 2 });
      polls.push(due);
      record = updateHfDays(
        record,
        due.map((date) => ({ date, hash: 'same' })),
        now,
        policy,
      ).record;
    }
    expect(polls).toEqual([['2026-11-28'], ['2026-11-28'], ['2026-11-28'], [], []]);
  });
});
