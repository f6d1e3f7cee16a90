// A feed's cadence: how often its fetches bring new entries, and whether it has gone quiet. Pure: the
// fetcher passes what the fetch stored and when; the feeds repository keeps the result in the feed's health.
import type { FeedHealth } from './feed.ts';

export type FeedCadence = Required<Pick<FeedHealth, 'quiet'>> &
  Pick<FeedHealth, 'lastNewEntriesAt' | 'typicalGapMs'>;

/** Weight of the newest gap in the typical-gap EWMA. */
export const CADENCE_ALPHA = 0.3;
/** Quiet after this many typical gaps without new entries… */
export const QUIET_GAPS = 3;
/** …and at least this many poll intervals (a feed polled rarely is not quiet after one missed poll). */
export const QUIET_MIN_INTERVALS = 2;

/**
 * The cadence after a successful fetch (a 304 and an unchanged body count, with 0 new observations).
 * A fetch with new observations moves `lastNewEntriesAt` and folds the gap since the previous one into
 * `typicalGapMs`. `quiet`: no new entries for more than QUIET_GAPS × the typical gap and at least
 * QUIET_MIN_INTERVALS × the poll interval; never without a typical gap.
 */
export function nextCadence(
  previous: Pick<FeedHealth, 'lastNewEntriesAt' | 'typicalGapMs'>,
  newObservations: number,
  now: Date,
  intervalMinutes: number,
): FeedCadence {
  const lastMs = previous.lastNewEntriesAt ? Date.parse(previous.lastNewEntriesAt) : Number.NaN;
  const last = Number.isFinite(lastMs) ? lastMs : undefined;
  const previousGap =
    previous.typicalGapMs !== undefined && Number.isFinite(previous.typicalGapMs) && previous.typicalGapMs > 0
      ? previous.typicalGapMs
      : undefined;
  if (newObservations > 0) {
    const gap = last === undefined ? undefined : now.getTime() - last;
    // A clock that went backwards (or a replayed `now`) gives no gap; the old estimate stands.
    const typicalGapMs =
      gap === undefined || gap <= 0
        ? previousGap
        : previousGap === undefined
          ? gap
          : Math.round(CADENCE_ALPHA * gap + (1 - CADENCE_ALPHA) * previousGap);
    return {
      lastNewEntriesAt: now.toISOString(),
      ...(typicalGapMs === undefined ? {} : { typicalGapMs }),
      quiet: false,
    };
  }
  const silentMs = last === undefined ? 0 : now.getTime() - last;
  const quiet =
    previousGap !== undefined &&
    silentMs > QUIET_GAPS * previousGap &&
    silentMs >= QUIET_MIN_INTERVALS * intervalMinutes * 60_000;
  return {
    ...(last === undefined ? {} : { lastNewEntriesAt: new Date(last).toISOString() }),
    ...(previousGap === undefined ? {} : { typicalGapMs: previousGap }),
    quiet,
  };
}
