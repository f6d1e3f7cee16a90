// Calendar periods of the dated boards, in UTC: a day (`2026-12-03`), an ISO 8601 week (`2026-W49`: Monday
// to Sunday, numbered in the year of its Thursday, so 2026-12-31 can be in 2026-W53 and 2027-01-01 in
// 2026-W53 too) and a month (`2026-12`). A period is [start, end) in ms. A dated board is immutable from
// `end + grace` on. Pure: instants are parameters.
import { DAY_MS } from './windows.ts';

export const PERIOD_KINDS = ['daily', 'weekly', 'monthly'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

export interface Period {
  kind: PeriodKind;
  /** `2026-12-03`, `2026-W49` or `2026-12`. */
  key: string;
  /** First instant (ms, inclusive). */
  startMs: number;
  /** First instant after the period (ms, exclusive). */
  endMs: number;
}

/** After a period ends, its board still moves for this long (late signals), then it is frozen. */
export const PERIOD_GRACE_MS = DAY_MS;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const WEEK_MS = 7 * DAY_MS;

/** Monday 00:00 UTC of ISO week 1 of `year`: the Monday of the week holding 4 January. */
function isoWeekOneMs(year: number): number {
  const jan4 = Date.UTC(year, 0, 4);
  const weekday = (new Date(jan4).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return jan4 - weekday * DAY_MS;
}

/** 52, or 53 for a year whose 1 January is a Thursday (or a Wednesday in a leap year). */
export function isoWeeksInYear(year: number): number {
  return (isoWeekOneMs(year + 1) - isoWeekOneMs(year)) / WEEK_MS;
}

/** The ISO week `ms` falls in: its year (of its Thursday) and number. */
export function isoWeekOf(ms: number): { year: number; week: number } {
  const d = new Date(ms);
  const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  const weekday = (d.getUTCDay() + 6) % 7;
  const thursday = new Date(day + (3 - weekday) * DAY_MS);
  const year = thursday.getUTCFullYear();
  return { year, week: Math.floor((thursday.getTime() - isoWeekOneMs(year)) / WEEK_MS) + 1 };
}

/** `2026-W49`. */
export const isoWeekKey = (ms: number): string => {
  const { year, week } = isoWeekOf(ms);
  return `${pad(year, 4)}-W${pad(week)}`;
};

/** The period of `kind` that holds the instant `ms`. */
export function periodAt(kind: PeriodKind, ms: number): Period {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  if (kind === 'daily') {
    const startMs = Date.UTC(y, m, d.getUTCDate());
    return {
      kind,
      key: `${pad(y, 4)}-${pad(m + 1)}-${pad(d.getUTCDate())}`,
      startMs,
      endMs: startMs + DAY_MS,
    };
  }
  if (kind === 'monthly') {
    return {
      kind,
      key: `${pad(y, 4)}-${pad(m + 1)}`,
      startMs: Date.UTC(y, m, 1),
      endMs: Date.UTC(y, m + 1, 1),
    };
  }
  const { year, week } = isoWeekOf(ms);
  const startMs = isoWeekOneMs(year) + (week - 1) * WEEK_MS;
  return { kind, key: `${pad(year, 4)}-W${pad(week)}`, startMs, endMs: startMs + WEEK_MS };
}

const KEY_FORMS: Record<PeriodKind, RegExp> = {
  daily: /^(\d{4})-(\d{2})-(\d{2})$/,
  weekly: /^(\d{4})-W(\d{2})$/,
  monthly: /^(\d{4})-(\d{2})$/,
};

/** The period a key names, or undefined when it names none (`2026-02-30`, `2026-W54`, `2026-13`). */
export function parsePeriod(kind: PeriodKind, key: string): Period | undefined {
  const m = KEY_FORMS[kind].exec(key);
  if (!m) return undefined;
  const year = Number(m[1]);
  const n = Number(m[2]);
  if (year < 1970) return undefined;
  if (kind === 'weekly') {
    if (n < 1 || n > isoWeeksInYear(year)) return undefined;
    return periodAt(kind, isoWeekOneMs(year) + (n - 1) * WEEK_MS);
  }
  if (n < 1 || n > 12) return undefined;
  const day = kind === 'daily' ? Number(m[3]) : 1;
  const ms = Date.UTC(year, n - 1, day);
  const p = periodAt(kind, ms);
  // Date.UTC rolls 30 February over into March: a key that does not come back unchanged names no day.
  return p.key === key ? p : undefined;
}

/** The period before `p` (the one holding the instant just before its start). */
export const previousPeriod = (p: Period): Period => periodAt(p.kind, p.startMs - 1);

/** When `p`'s board stops changing: its end plus the grace. */
export const frozenAtMs = (p: Period, graceMs = PERIOD_GRACE_MS): number => p.endMs + graceMs;

export const isFrozen = (p: Period, nowMs: number, graceMs = PERIOD_GRACE_MS): boolean =>
  nowMs >= frozenAtMs(p, graceMs);

/**
 * The periods of `kind` whose boards still change at `nowMs`: the current one, and the ones before it that
 * ended less than `graceMs` ago (the previous one, with a grace shorter than a period). Oldest first.
 */
export function openPeriods(kind: PeriodKind, nowMs: number, graceMs = PERIOD_GRACE_MS): Period[] {
  const out = [periodAt(kind, nowMs)];
  for (;;) {
    const before = previousPeriod(out[0]!);
    if (isFrozen(before, nowMs, graceMs)) return out;
    out.unshift(before);
  }
}

/** Whether `ms` falls in `p`. */
export const inPeriod = (p: Period, ms: number): boolean => ms >= p.startMs && ms < p.endMs;
