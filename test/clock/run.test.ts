import { describe, expect, it } from 'vitest';
import { clockTargets } from './run.ts';

const iso = (now: string) => clockTargets(new Date(now)).map((t) => `${t.name} ${t.at.toISOString()}`);

describe('clockTargets', () => {
  it.each([
    [
      '2026-12-04T16:00:00Z',
      ['month 2027-01-31T23:56:00.000Z', 'year 2026-12-31T23:56:00.000Z', 'leap 2028-02-29T23:56:00.000Z'],
    ],
    [
      '2027-03-15T00:00:00Z',
      ['month 2027-03-31T23:56:00.000Z', 'year 2027-12-31T23:56:00.000Z', 'leap 2028-02-29T23:56:00.000Z'],
    ],
    [
      '2028-02-29T23:59:00Z',
      ['month 2028-03-31T23:56:00.000Z', 'year 2028-12-31T23:56:00.000Z', 'leap 2032-02-29T23:56:00.000Z'],
    ],
    [
      '2099-06-01T00:00:00Z',
      ['month 2099-06-30T23:56:00.000Z', 'year 2099-12-31T23:56:00.000Z', 'leap 2104-02-29T23:56:00.000Z'],
    ],
  ])('from %s', (now, expected) => {
    expect(iso(now)).toEqual(expected);
  });

  it('each instant is in the future and just before a boundary', () => {
    const now = new Date('2026-01-31T23:57:00Z');
    for (const t of clockTargets(now)) {
      expect(t.at.getTime()).toBeGreaterThan(now.getTime());
      expect(new Date(t.at.getTime() + 4 * 60_000).getUTCDate()).toBe(1);
    }
  });
});
