// Replays a Hugging Face daily-papers capture in the present, for the trending eval (eval-trending.ts): the
// payload's times are moved so that the capture's day ends at the eval's `now`, and its arXiv ids with
// them, so the pipeline sees the papers exactly as old as they were on the capture day. Pure: `now` and
// the payload are arguments, and every date is read and written in UTC (the machine's time zone plays no
// part).
//
// Why the ids move too: the scorer ages a paper from the earliest date it knows, and one of those is the
// latest date its arXiv id's YYMM allows (`arxivIdAppearedBy` in shared/core/src/scoring/from-paper.ts: the
// start of the month after, plus a week). On the capture day that bound lies ahead of every HF date and
// changes nothing. Moved to the present with their ids as captured, papers of 2026-06 would be bounded by
// 2026-07-08 months before their moved dates: every paper would get that same age and the 24h board would
// lose its decay, which never happens to a live daily list. The ids move by whole calendar months (their
// only resolution), which keeps that bound after the moved capture day as it was after the real one.

const DAY_MS = 86_400_000;

/** An ISO-8601 date-time with a zone (what HF writes: `2026-06-12T00:00:00.000Z`); date-only strings are not. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;

/** A new-style arXiv id, versionless or not: `2606.13681`, `2410.17243v2`. */
const ARXIV_ID = /^(\d{2})(\d{2})\.(\d{4,5}(?:v\d+)?)$/;

/** The capture's UTC day from a `…YYYY-MM-DD…` file name, as the instant it starts; undefined without one. */
export function captureDayStart(file: string): number | undefined {
  const m = /(\d{4})-(\d{2})-(\d{2})/.exec(file);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  // Date.UTC rolls 2026-02-30 over into March: such a name is no date.
  const back = new Date(ms);
  return back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d
    ? ms
    : undefined;
}

/** A copy of `value` with every ISO-8601 date-time string moved by `offsetMs` (written back in UTC). */
export function shiftTimestamps(value: unknown, offsetMs: number): unknown {
  if (typeof value === 'string') {
    const t = ISO_INSTANT.test(value) ? Date.parse(value) : Number.NaN;
    return Number.isFinite(t) ? new Date(t + offsetMs).toISOString() : value;
  }
  if (Array.isArray(value)) return value.map((v) => shiftTimestamps(v, offsetMs));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shiftTimestamps(v, offsetMs)]));
  }
  return value;
}

/** Calendar months (UTC) from the month of `fromMs` to the month of `toMs`. */
export function monthsBetween(fromMs: number, toMs: number): number {
  const a = new Date(fromMs);
  const b = new Date(toMs);
  return (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + (b.getUTCMonth() - a.getUTCMonth());
}

/**
 * A new-style arXiv id with its YYMM moved by `months` (`2606.13681`, 6 → `2612.13681`; 7 → `2701.13681`);
 * anything else (old-style ids, a move out of 2000–2099) is returned as it is.
 */
export function shiftArxivId(id: string, months: number): string {
  const m = ARXIV_ID.exec(id);
  if (!m) return id;
  const index = Number(m[1]) * 12 + (Number(m[2]) - 1) + months;
  if (Number(m[2]) < 1 || Number(m[2]) > 12 || index < 0 || index >= 100 * 12) return id;
  const yy = String(Math.floor(index / 12)).padStart(2, '0');
  const mm = String((index % 12) + 1).padStart(2, '0');
  return `${yy}${mm}.${m[3]}`;
}

export interface HfReplay {
  /** The payload to serve. */
  payload: unknown;
  /** How far its times moved. */
  offsetMs: number;
  /** How far its arXiv ids moved, in months (0 with `moveIds: false`). */
  idMonths: number;
  /** Served `paper.id` → captured `paper.id`. */
  capturedId: Map<string, string>;
}

/**
 * The capture `data` (HF's JSON array) moved so that its day, starting at `dayStartMs`, ends at `now`:
 * every date-time by one offset, and (unless `moveIds` is false) each `paper.id` by the calendar months
 * between the day and the moved day. Items that are not `{ paper: { id } }` are moved in time only.
 */
export function replayHfCapture(
  data: unknown,
  dayStartMs: number,
  now: Date,
  opts: { moveIds: boolean } = { moveIds: true },
): HfReplay {
  const offsetMs = now.getTime() - (dayStartMs + DAY_MS);
  const idMonths = opts.moveIds ? monthsBetween(dayStartMs, dayStartMs + offsetMs) : 0;
  const capturedId = new Map<string, string>();
  const moved = shiftTimestamps(data, offsetMs);
  const payload = Array.isArray(moved)
    ? moved.map((item: unknown) => {
        const paper = isRecord(item) ? item.paper : undefined;
        const captured = isRecord(paper) ? paper.id : undefined;
        if (!isRecord(paper) || typeof captured !== 'string') return item;
        const id = shiftArxivId(captured, idMonths);
        capturedId.set(id, captured);
        return { ...(item as Record<string, unknown>), paper: { ...paper, id } };
      })
    : moved;
  return { payload, offsetMs, idMonths, capturedId };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
