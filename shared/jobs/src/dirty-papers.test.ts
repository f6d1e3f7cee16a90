import { describe, expect, it } from 'vitest';
import { MAX_SCORE_DEBOUNCE_MS, SCORE_DEBOUNCE_MS, SCORE_PACE, scoreDebounceMs } from './dirty-papers.ts';

describe('scoreDebounceMs', () => {
  it('is the plain debounce with no job recorded, or after fast jobs', () => {
    expect(scoreDebounceMs(undefined)).toBe(SCORE_DEBOUNCE_MS);
    expect(scoreDebounceMs(0)).toBe(SCORE_DEBOUNCE_MS);
    expect(scoreDebounceMs(SCORE_DEBOUNCE_MS / SCORE_PACE)).toBe(SCORE_DEBOUNCE_MS);
  });

  it('waits at least SCORE_PACE times a slow job, in doubling steps, so scoring takes at most about a fifth of the time', () => {
    expect(SCORE_PACE).toBe(4);
    expect(scoreDebounceMs(501)).toBe(4_000);
    expect(scoreDebounceMs(1_000)).toBe(4_000);
    expect(scoreDebounceMs(1_500)).toBe(8_000);
    expect(scoreDebounceMs(6_000)).toBe(32_000);
  });

  it('moves only when a job takes twice as long or half as long: nearby durations give one debounce', () => {
    const debounces = new Set([1_050, 1_250, 1_550, 1_950].map(scoreDebounceMs));
    expect([...debounces]).toEqual([8_000]);
  });

  it('never waits longer than the cap, and ignores a record that is not a number', () => {
    expect(scoreDebounceMs(10 * MAX_SCORE_DEBOUNCE_MS)).toBe(MAX_SCORE_DEBOUNCE_MS);
    expect(MAX_SCORE_DEBOUNCE_MS).toBe(64_000);
    expect(scoreDebounceMs(Number.NaN)).toBe(SCORE_DEBOUNCE_MS);
    expect(scoreDebounceMs(Number.POSITIVE_INFINITY)).toBe(SCORE_DEBOUNCE_MS);
  });
});
