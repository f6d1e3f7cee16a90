import { describe, expect, it } from 'vitest';
import { digestPeriod } from '../digests/subscription.ts';
import {
  frozenAtMs,
  isFrozen,
  isoWeeksInYear,
  openPeriods,
  PERIOD_GRACE_MS,
  PERIOD_KINDS,
  parsePeriod,
  periodAt,
  previousPeriod,
} from './periods.ts';
import { DAY_MS } from './windows.ts';

const at = (s: string) => Date.parse(s);
const iso = (ms: number) => new Date(ms).toISOString();

describe('periodAt', () => {
  it.each([
    // Month and year boundaries, leap days, ISO week 53 and week 1 across New Year.
    [
      'daily',
      '2026-12-31T23:59:59.999Z',
      '2026-12-31',
      '2026-12-31T00:00:00.000Z',
      '2027-01-01T00:00:00.000Z',
    ],
    [
      'daily',
      '2027-01-01T00:00:00.000Z',
      '2027-01-01',
      '2027-01-01T00:00:00.000Z',
      '2027-01-02T00:00:00.000Z',
    ],
    [
      'daily',
      '2028-02-29T12:00:00.000Z',
      '2028-02-29',
      '2028-02-29T00:00:00.000Z',
      '2028-03-01T00:00:00.000Z',
    ],
    [
      'daily',
      '2026-11-30T23:00:00.000Z',
      '2026-11-30',
      '2026-11-30T00:00:00.000Z',
      '2026-12-01T00:00:00.000Z',
    ],
    [
      'monthly',
      '2026-12-31T23:59:59.999Z',
      '2026-12',
      '2026-12-01T00:00:00.000Z',
      '2027-01-01T00:00:00.000Z',
    ],
    [
      'monthly',
      '2027-01-01T00:00:00.000Z',
      '2027-01',
      '2027-01-01T00:00:00.000Z',
      '2027-02-01T00:00:00.000Z',
    ],
    [
      'monthly',
      '2028-02-29T00:00:00.000Z',
      '2028-02',
      '2028-02-01T00:00:00.000Z',
      '2028-03-01T00:00:00.000Z',
    ],
    [
      'monthly',
      '2026-02-28T23:59:59.999Z',
      '2026-02',
      '2026-02-01T00:00:00.000Z',
      '2026-03-01T00:00:00.000Z',
    ],
    // 2026 has 53 ISO weeks (1 January 2026 is a Thursday): 31 Dec 2026 and 1–3 Jan 2027 are in 2026-W53.
    [
      'weekly',
      '2026-12-31T12:00:00.000Z',
      '2026-W53',
      '2026-12-28T00:00:00.000Z',
      '2027-01-04T00:00:00.000Z',
    ],
    [
      'weekly',
      '2027-01-03T23:59:59.999Z',
      '2026-W53',
      '2026-12-28T00:00:00.000Z',
      '2027-01-04T00:00:00.000Z',
    ],
    [
      'weekly',
      '2027-01-04T00:00:00.000Z',
      '2027-W01',
      '2027-01-04T00:00:00.000Z',
      '2027-01-11T00:00:00.000Z',
    ],
    // 29 Dec 2025 belongs to 2026-W01 (its Thursday is 1 Jan 2026).
    [
      'weekly',
      '2025-12-29T00:00:00.000Z',
      '2026-W01',
      '2025-12-29T00:00:00.000Z',
      '2026-01-05T00:00:00.000Z',
    ],
    [
      'weekly',
      '2025-12-28T23:59:59.999Z',
      '2025-W52',
      '2025-12-22T00:00:00.000Z',
      '2025-12-29T00:00:00.000Z',
    ],
    // 2027 ends in W52; 1 Jan 2028 (a Saturday) is in 2027-W52.
    [
      'weekly',
      '2028-01-01T00:00:00.000Z',
      '2027-W52',
      '2027-12-27T00:00:00.000Z',
      '2028-01-03T00:00:00.000Z',
    ],
    [
      'weekly',
      '2026-12-03T10:00:00.000Z',
      '2026-W49',
      '2026-11-30T00:00:00.000Z',
      '2026-12-07T00:00:00.000Z',
    ],
    // A leap day inside a week.
    [
      'weekly',
      '2028-02-29T00:00:00.000Z',
      '2028-W09',
      '2028-02-28T00:00:00.000Z',
      '2028-03-06T00:00:00.000Z',
    ],
  ] as const)('%s at %s is %s [%s, %s)', (kind, instant, key, start, end) => {
    const p = periodAt(kind, at(instant));
    expect(p).toEqual({ kind, key, startMs: at(start), endMs: at(end) });
    expect(parsePeriod(kind, key)).toEqual(p);
  });
});

describe('parsePeriod', () => {
  it.each([
    ['daily', '2026-02-29'],
    ['daily', '2026-02-30'],
    ['daily', '2026-13-01'],
    ['daily', '2026-00-10'],
    ['daily', '2026-12-32'],
    ['daily', '2026-1-01'],
    ['daily', '1969-12-31'],
    ['weekly', '2027-W53'],
    ['weekly', '2026-W00'],
    ['weekly', '2026-W54'],
    ['weekly', '2026-49'],
    ['monthly', '2026-13'],
    ['monthly', '2026-00'],
    ['monthly', '2026-1'],
    ['monthly', '2026-12-01'],
  ] as const)('%s %s names no period', (kind, key) => {
    expect(parsePeriod(kind, key)).toBeUndefined();
  });

  it.each([
    ['daily', '2028-02-29'],
    ['daily', '2000-02-29'],
    ['weekly', '2026-W53'],
    ['weekly', '2020-W53'],
    ['weekly', '2027-W01'],
    ['monthly', '2026-12'],
  ] as const)('%s %s round-trips', (kind, key) => {
    expect(parsePeriod(kind, key)?.key).toBe(key);
  });
});

describe('ISO weeks', () => {
  it.each([
    [2015, 53],
    [2020, 53],
    [2021, 52],
    [2026, 53],
    [2027, 52],
    [2032, 53],
  ])('%i has %i weeks', (year, weeks) => {
    expect(isoWeeksInYear(year)).toBe(weeks);
  });

  it('every day of 2020–2029 is in exactly one period of each kind, and periods tile without gaps', () => {
    for (const kind of PERIOD_KINDS) {
      let p = periodAt(kind, at('2020-01-01T00:00:00.000Z'));
      while (p.startMs < at('2030-01-01T00:00:00.000Z')) {
        const next = periodAt(kind, p.endMs);
        expect(next.startMs).toBe(p.endMs);
        expect(previousPeriod(next)).toEqual(p);
        expect(parsePeriod(kind, p.key)).toEqual(p);
        expect(periodAt(kind, p.endMs - 1)).toEqual(p);
        p = next;
      }
    }
  });

  it('the digests’ weekly period is the same ISO week', () => {
    for (let ms = at('2026-12-20T00:00:00.000Z'); ms < at('2027-01-15T00:00:00.000Z'); ms += DAY_MS / 2) {
      expect(digestPeriod('weekly', new Date(ms), 0)).toBe(periodAt('weekly', ms).key);
    }
  });
});

describe('freezing', () => {
  it.each([
    // The day 2026-12-31: open through 1 January, frozen from 2027-01-02T00:00Z.
    ['daily', '2026-12-31', '2027-01-01T23:59:59.999Z', false],
    ['daily', '2026-12-31', '2027-01-02T00:00:00.000Z', true],
    ['monthly', '2026-12', '2027-01-01T12:00:00.000Z', false],
    ['monthly', '2026-12', '2027-01-02T00:00:00.000Z', true],
    ['weekly', '2026-W53', '2027-01-04T23:00:00.000Z', false],
    ['weekly', '2026-W53', '2027-01-05T00:00:00.000Z', true],
    ['daily', '2028-02-29', '2028-03-01T10:00:00.000Z', false],
    ['daily', '2028-02-29', '2028-03-02T00:00:00.000Z', true],
  ] as const)('%s %s at %s frozen: %s', (kind, key, now, frozen) => {
    const p = parsePeriod(kind, key)!;
    expect(isFrozen(p, at(now))).toBe(frozen);
    expect(iso(frozenAtMs(p))).toBe(iso(p.endMs + PERIOD_GRACE_MS));
  });

  it.each([
    ['daily', '2027-01-01T10:00:00.000Z', ['2026-12-31', '2027-01-01']],
    // A day's grace is a day: the previous day's board is always open, the one before never.
    ['daily', '2027-01-02T00:00:00.000Z', ['2027-01-01', '2027-01-02']],
    ['monthly', '2027-01-01T10:00:00.000Z', ['2026-12', '2027-01']],
    ['monthly', '2027-01-15T00:00:00.000Z', ['2027-01']],
    ['weekly', '2027-01-04T10:00:00.000Z', ['2026-W53', '2027-W01']],
    ['weekly', '2027-01-06T00:00:00.000Z', ['2027-W01']],
  ] as const)('%s boards open at %s: %j', (kind, now, keys) => {
    expect(openPeriods(kind, at(now)).map((p) => p.key)).toEqual(keys);
  });
});
