// Ranking windows as durations. A window ends at `now` (a parameter: the core reads no clock).
import type { Window } from '../types.ts';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

export const WINDOW_MS: Readonly<Record<Window, number>> = {
  '24h': DAY_MS,
  '7d': 7 * DAY_MS,
  '30d': 30 * DAY_MS,
};

/** First instant of `window` ending at `now` (inclusive). */
export function windowStart(window: Window, now: Date): Date {
  return new Date(now.getTime() - WINDOW_MS[window]);
}
