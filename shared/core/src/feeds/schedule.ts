// When to poll a feed next. Success: the feed's own interval, stretched by what the server asked for
// (TTL, Cache-Control max-age, Expires, Retry-After), clamped. Failure: exponential backoff with jitter,
// capped — a feed is slowed down, never dropped.

export interface PollHints {
  /** RSS <ttl>, minutes. */
  ttlMinutes?: number;
  /** Cache-Control max-age, seconds. */
  maxAgeSeconds?: number;
  /** Expires header as a date. */
  expiresAt?: string;
  /** Retry-After, milliseconds. */
  retryAfterMs?: number;
}

export const MIN_POLL_MINUTES = 5;
export const MAX_POLL_MINUTES = 24 * 60;
export const MAX_BACKOFF_MINUTES = 6 * 60;

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** Next poll after a success (or a 304). */
export function nextPollAfterSuccess(now: Date, intervalMinutes: number, hints: PollHints = {}): Date {
  const candidatesMs = [intervalMinutes * 60_000];
  if (hints.ttlMinutes !== undefined && hints.ttlMinutes > 0) candidatesMs.push(hints.ttlMinutes * 60_000);
  if (hints.maxAgeSeconds !== undefined && hints.maxAgeSeconds > 0)
    candidatesMs.push(hints.maxAgeSeconds * 1000);
  if (hints.expiresAt) {
    const t = Date.parse(hints.expiresAt) - now.getTime();
    if (Number.isFinite(t) && t > 0) candidatesMs.push(t);
  }
  if (hints.retryAfterMs !== undefined && hints.retryAfterMs > 0) candidatesMs.push(hints.retryAfterMs);
  const waitMs = clamp(Math.max(...candidatesMs), MIN_POLL_MINUTES * 60_000, MAX_POLL_MINUTES * 60_000);
  return new Date(now.getTime() + waitMs);
}

/**
 * Next poll after `consecutiveFailures` failures in a row (1 for the first): interval × 2^(n-1), with
 * ±20% jitter from `random01`, capped at MAX_BACKOFF_MINUTES, and never before a Retry-After.
 */
export function nextPollAfterFailure(
  now: Date,
  intervalMinutes: number,
  consecutiveFailures: number,
  random01: number,
  retryAfterMs?: number,
): Date {
  const base = intervalMinutes * 2 ** Math.max(0, Math.min(consecutiveFailures - 1, 16));
  const capped = Math.min(Math.max(base, MIN_POLL_MINUTES), MAX_BACKOFF_MINUTES);
  const jittered = capped * (0.8 + 0.4 * clamp(random01, 0, 1));
  const waitMs = Math.max(jittered * 60_000, retryAfterMs ?? 0);
  return new Date(now.getTime() + waitMs);
}

/** Cache-Control max-age in seconds, if any. */
export function maxAgeFromCacheControl(value: string | undefined): number | undefined {
  const m = value ? /(?:^|,)\s*max-age\s*=\s*"?(\d+)"?/i.exec(value) : null;
  return m ? Number(m[1]) : undefined;
}
