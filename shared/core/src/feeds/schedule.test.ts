import { describe, expect, it } from 'vitest';
import {
  MAX_BACKOFF_MINUTES,
  MAX_POLL_MINUTES,
  MIN_POLL_MINUTES,
  maxAgeFromCacheControl,
  nextPollAfterFailure,
  nextPollAfterSuccess,
} from './schedule.ts';

const now = new Date('2026-11-29T12:00:00Z');
const minutesAfter = (d: Date) => (d.getTime() - now.getTime()) / 60_000;

describe('nextPollAfterSuccess', () => {
  it.each([
    ['interval only', 15, {}, 15],
    ['ttl longer than interval wins', 15, { ttlMinutes: 60 }, 60],
    ['max-age longer wins', 15, { maxAgeSeconds: 7200 }, 120],
    ['expires later wins', 15, { expiresAt: '2026-11-29T14:00:00Z' }, 120],
    ['expires in the past ignored', 15, { expiresAt: '2026-11-29T11:00:00Z' }, 15],
    ['retry-after wins', 15, { retryAfterMs: 30 * 60_000 }, 30],
    ['clamped below', 1, {}, MIN_POLL_MINUTES],
    ['clamped above', 15, { maxAgeSeconds: 10 * 24 * 3600 }, MAX_POLL_MINUTES],
  ])('%s', (_name, interval, hints, expected) => {
    expect(minutesAfter(nextPollAfterSuccess(now, interval, hints))).toBe(expected);
  });
});

describe('nextPollAfterFailure', () => {
  it.each([
    [1, 0.5, 15],
    [2, 0.5, 30],
    [3, 0.5, 60],
    [30, 0.5, MAX_BACKOFF_MINUTES],
  ])('failure %i backs off exponentially and caps', (failures, rnd, expected) => {
    expect(minutesAfter(nextPollAfterFailure(now, 15, failures, rnd))).toBeCloseTo(expected, 6);
  });

  it('jitters within ±20%', () => {
    expect(minutesAfter(nextPollAfterFailure(now, 15, 1, 0))).toBeCloseTo(12, 6);
    expect(minutesAfter(nextPollAfterFailure(now, 15, 1, 1))).toBeCloseTo(18, 6);
  });

  it('never polls before Retry-After', () => {
    expect(minutesAfter(nextPollAfterFailure(now, 15, 1, 0.5, 90 * 60_000))).toBe(90);
  });

  it('is never dropped: even after many failures there is a next poll', () => {
    expect(Number.isFinite(nextPollAfterFailure(now, 15, 10_000, 0.5).getTime())).toBe(true);
  });
});

describe('maxAgeFromCacheControl', () => {
  it.each([
    ['public, max-age=600', 600],
    ['max-age="60"', 60],
    ['no-cache', undefined],
    [undefined, undefined],
    ['s-maxage=5', undefined],
  ])('%s', (value, expected) => {
    expect(maxAgeFromCacheControl(value)).toBe(expected);
  });
});
