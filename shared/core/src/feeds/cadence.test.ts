import { describe, expect, it } from 'vitest';
import { CADENCE_ALPHA, type FeedCadence, nextCadence } from './cadence.ts';

const HOUR = 3_600_000;
const t0 = Date.parse('2026-11-29T00:00:00Z');
const at = (hours: number) => new Date(t0 + hours * HOUR);
const iso = (hours: number) => at(hours).toISOString();

describe('nextCadence: a fetch with new observations', () => {
  it.each<[string, Parameters<typeof nextCadence>[0], number, FeedCadence]>([
    ['first new entries: no gap yet', {}, 1, { lastNewEntriesAt: iso(1), quiet: false }],
    [
      'second: the gap becomes the typical gap',
      { lastNewEntriesAt: iso(0) },
      2,
      { lastNewEntriesAt: iso(2), typicalGapMs: 2 * HOUR, quiet: false },
    ],
    [
      'later: an EWMA of the gaps',
      { lastNewEntriesAt: iso(0), typicalGapMs: 2 * HOUR },
      12,
      {
        lastNewEntriesAt: iso(12),
        typicalGapMs: Math.round(CADENCE_ALPHA * 12 * HOUR + (1 - CADENCE_ALPHA) * 2 * HOUR),
        quiet: false,
      },
    ],
    [
      'a clock behind the last new entries keeps the estimate',
      { lastNewEntriesAt: iso(5), typicalGapMs: HOUR },
      4,
      { lastNewEntriesAt: iso(4), typicalGapMs: HOUR, quiet: false },
    ],
    [
      'an unreadable last time is no history',
      { lastNewEntriesAt: 'yesterday' },
      3,
      { lastNewEntriesAt: iso(3), quiet: false },
    ],
  ])('%s', (_name, previous, hours, expected) => {
    expect(nextCadence(previous, 4, at(hours), 30)).toEqual(expected);
  });

  it('a quiet feed with new entries is no longer quiet', () => {
    const previous = { lastNewEntriesAt: iso(0), typicalGapMs: HOUR };
    expect(nextCadence(previous, 0, at(10), 30).quiet).toBe(true);
    expect(nextCadence(previous, 1, at(10), 30).quiet).toBe(false);
  });
});

describe('nextCadence: a fetch without new observations', () => {
  it.each<[string, Parameters<typeof nextCadence>[0], number, number, boolean]>([
    ['a new feed', {}, 100, 30, false],
    ['new entries once, no gap yet (no history)', { lastNewEntriesAt: iso(0) }, 100, 30, false],
    ['within 3 typical gaps', { lastNewEntriesAt: iso(0), typicalGapMs: HOUR }, 3, 30, false],
    ['past 3 typical gaps and 2 intervals', { lastNewEntriesAt: iso(0), typicalGapMs: HOUR }, 3.5, 30, true],
    [
      'past 3 typical gaps but not 2 poll intervals',
      { lastNewEntriesAt: iso(0), typicalGapMs: HOUR },
      3.5,
      120,
      false,
    ],
    ['exactly 2 intervals and past 3 gaps', { lastNewEntriesAt: iso(0), typicalGapMs: HOUR }, 4, 120, true],
    ['a nonsense typical gap is no history', { lastNewEntriesAt: iso(0), typicalGapMs: 0 }, 100, 30, false],
  ])('%s', (_name, previous, hours, intervalMinutes, quiet) => {
    const next = nextCadence(previous, 0, at(hours), intervalMinutes);
    expect(next.quiet).toBe(quiet);
    // Nothing else moves without new entries.
    expect(next.lastNewEntriesAt).toBe(
      previous.lastNewEntriesAt === undefined ? undefined : new Date(previous.lastNewEntriesAt).toISOString(),
    );
  });

  it('keeps the typical gap as it was', () => {
    expect(nextCadence({ lastNewEntriesAt: iso(0), typicalGapMs: HOUR }, 0, at(1), 30)).toEqual({
      lastNewEntriesAt: iso(0),
      typicalGapMs: HOUR,
      quiet: false,
    });
  });
});
