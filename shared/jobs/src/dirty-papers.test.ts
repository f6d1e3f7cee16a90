import { describe, expect, it } from 'vitest';
import { MAX_SCORE_DEBOUNCE_MS, SCORE_DEBOUNCE_MS, SCORE_PACE, scoreDebounceMs } from './dirty-papers.ts';

describe('scoreDebounceMs', () => {
  it('is the plain debounce with no job recorded, or after fast jobs', () => {
    expect(scoreDebounceMs(undefined)).toBe(SCORE_DEBOUNCE_MS);
    expect(scoreDebounceMs(0)).toBe(SCORE_DEBOUNCE_MS);
    expect(scoreDebounceMs(SCORE_DEBOUNCE_MS / SCORE_PACE)).toBe(SCORE_DEBOUNCE_MS);
  });

  it('waits SCORE_PACE times a slow job, so scoring takes at most about half the time', () => {
    expect(SCORE_PACE).toBe(2);
    expect(scoreDebounceMs(3_000)).toBe(6_000);
    expect(scoreDebounceMs(12_345.4)).toBe(24_691);
  });

  it('never waits longer than the cap, and ignores a record that is not a number', () => {
    expect(scoreDebounceMs(10 * MAX_SCORE_DEBOUNCE_MS)).toBe(MAX_SCORE_DEBOUNCE_MS);
    expect(scoreDebounceMs(Number.NaN)).toBe(SCORE_DEBOUNCE_MS);
    expect(scoreDebounceMs(Number.POSITIVE_INFINITY)).toBe(SCORE_DEBOUNCE_MS);
  });
});
