import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../src/retry-after.ts';

const NOW = new Date('2025-03-01T12:00:00Z');

describe('parseRetryAfter', () => {
  it.each<[string | undefined, number | undefined]>([
    [undefined, undefined],
    ['', undefined],
    ['120', 120_000],
    [' 0 ', 0],
    ['Sat, 01 Mar 2025 12:01:30 GMT', 90_000],
    ['Saturday, 01-Mar-25 12:00:10 GMT', 10_000],
    ['Sat Mar  1 12:00:05 2025', 5_000],
    ['Sat, 01 Mar 2025 11:00:00 GMT', 0],
    ['-5', undefined],
    ['1.5', undefined],
    ['soon', undefined],
    ['Mon 5', undefined],
  ])('%j → %j', (value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });
});
