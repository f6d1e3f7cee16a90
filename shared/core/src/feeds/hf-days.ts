// Hugging Face daily papers: a feed without `?date=` gets today's list, but upvotes on the previous days'
// lists keep changing for a while. Such a feed also polls `?date=` for the last few days until each day's
// body has been unchanged for a number of polls in a row. Pure: which days to poll and how the record of
// recent days changes; the fetch job does the requests. The record is an array of small objects, not an
// object keyed by date, so it stays portable to FerretDB.

export interface HfDayRecord {
  /** `YYYY-MM-DD` (UTC). */
  date: string;
  /** sha256 of the day's last body. */
  hash: string;
  /** Polls in a row that returned the same body. */
  unchangedPolls: number;
}

export interface HfRepollPolicy {
  /** How many previous days to re-poll (0: none). */
  days: number;
  /** A day is settled, and no longer polled, once its body was unchanged this many polls in a row. */
  stableAfter: number;
}

const DAY_MS = 86_400_000;

/**
 * Whether a feed re-polls previous days: an http(s) `hf-daily` feed whose URL names no `date`. A file://
 * feed is read as given (a query on a file URL names no file).
 */
export function repollsHfDays(feed: { kind: string; url: string }): boolean {
  if (feed.kind !== 'hf-daily') return false;
  try {
    const url = new URL(feed.url);
    return (url.protocol === 'http:' || url.protocol === 'https:') && !url.searchParams.has('date');
  } catch {
    return false;
  }
}

/** The feed's URL for one day: its own query kept, `date` set. */
export function hfDayUrl(feedUrl: string, date: string): string {
  const url = new URL(feedUrl);
  url.searchParams.set('date', date);
  return url.toString();
}

/** The previous `days` UTC dates before `now`'s, newest first. */
export function hfRepollWindow(now: Date, days: number): string[] {
  const today = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  return Array.from({ length: Math.max(0, days) }, (_, i) =>
    new Date(today - (i + 1) * DAY_MS).toISOString().slice(0, 10),
  );
}

/** The days in the window that are not settled yet, newest first. */
export function hfDaysToPoll(
  record: readonly HfDayRecord[] | undefined,
  now: Date,
  policy: HfRepollPolicy,
): string[] {
  const byDate = new Map((record ?? []).map((d) => [d.date, d]));
  return hfRepollWindow(now, policy.days).filter(
    (date) => (byDate.get(date)?.unchangedPolls ?? -1) < policy.stableAfter,
  );
}

export interface HfDaysUpdate {
  /** The new record: the window's days only (older ones are dropped), newest first. */
  record: HfDayRecord[];
  /** Days whose body is new or differs from the last one: these bodies are ingested. */
  changed: string[];
}

/** Folds the polled days' body hashes into the record. */
export function updateHfDays(
  record: readonly HfDayRecord[] | undefined,
  polled: readonly { date: string; hash: string }[],
  now: Date,
  policy: HfRepollPolicy,
): HfDaysUpdate {
  const byDate = new Map((record ?? []).map((d) => [d.date, d]));
  const changed: string[] = [];
  for (const { date, hash } of polled) {
    const before = byDate.get(date);
    if (before?.hash === hash) byDate.set(date, { date, hash, unchangedPolls: before.unchangedPolls + 1 });
    else {
      byDate.set(date, { date, hash, unchangedPolls: 0 });
      changed.push(date);
    }
  }
  const next = hfRepollWindow(now, policy.days)
    .map((date) => byDate.get(date))
    .filter((d): d is HfDayRecord => d !== undefined);
  return { record: next, changed };
}
