// Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. Pure: `now` is a parameter.

/**
 * Milliseconds to wait before retrying, or undefined when the value is absent or unparseable.
 * A date in the past yields 0. No upper bound is applied here: that is the scheduler's decision.
 */
export function parseRetryAfter(value: string | undefined, now: Date): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // HTTP-date: IMF-fixdate, plus the obsolete RFC 850 and asctime forms, all of which Date.parse reads.
  // All three carry a weekday/month name and hh:mm:ss; require both so "-5" or "1.5" are not read as dates.
  if (!/[a-z]/i.test(trimmed) || !/\d\d:\d\d:\d\d/.test(trimmed)) return undefined;
  // An HTTP-date is always GMT (RFC 9110 §5.6.7); asctime carries no zone, which Date.parse would read as
  // the host's local time.
  const at = Date.parse(/\b(?:GMT|UTC|UT|Z)\b|[+-]\d{4}\b/i.test(trimmed) ? trimmed : `${trimmed} GMT`);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}
