// Dates to ISO-8601 UTC (`2026-09-24T04:00:00.000Z`). Accepted: ISO-8601 (`2024-01-15`,
// `2024-01-15T10:20:30.123+02:00`, `…Z`, space instead of `T`; W3C-DTF `2024-01` and `2024` → the first day; basic `20240115T102030Z`),
// RFC 2822 (`Thu, 24 Sep 2026 00:00:00 -0400`, seconds or the whole time optional, zone names GMT/UT/UTC/Z,
// US and a few European zones, military letters, `GMT+05:00`) and asctime (`Sun Jan  4 16:29:06 2004`).
// A time without a zone is read as UTC, so the result never depends on the machine's time zone. An
// alphabetic zone we do not know gives undefined (Python's feedparser reads it as UTC: we would rather lose a
// date than be hours off). `Date.parse` is never used: it applies the host's zone to a zone-less date-time. Impossible dates (Feb 30, hour 25) and anything outside
// MIN_YEAR…MAX_YEAR give undefined. Other formats (`01/02/2024`, epoch numbers) are not guessed at.

/** Earliest accepted year; older dates are treated as garbage (arXiv itself starts in 1991). */
export const MIN_YEAR = 1990;
/** Latest accepted year. */
export const MAX_YEAR = 2100;

const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const RFC2822_RE =
  /^(?:[A-Za-z]{3,9},?\s*)?(\d{1,2})[\s-]+([A-Za-z]{3})[A-Za-z]*\.?[\s-]+(\d{4}|\d{2})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([+-]\d{2}:?\d{2}|(?:GMT|UTC?)[+-]\d{1,2}(?::?\d{2})?|[A-Za-z]{1,5}))?)?$/;
const W3CDTF_PARTIAL_RE = /^(\d{4})(?:-(\d{2}))?$/;
/** ISO 8601 basic format (`20240115`, `20240115T1020Z`, `20240115T102030+0100`); groups as in ISO_RE. */
const ISO_BASIC_RE =
  /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(?:(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const ASCTIME_RE =
  /^[A-Za-z]{3},?\s+([A-Za-z]{3})\s+(\d{1,2})\s+(\d{1,2}):(\d{2}):(\d{2})(?:\s+([A-Za-z]{1,5}|[+-]\d{4}))?\s+(\d{4})$/;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const ZONES: ReadonlyMap<string, number> = new Map([
  ['z', 0],
  ['gmt', 0],
  ['ut', 0],
  ['utc', 0],
  ['est', -300],
  ['edt', -240],
  ['cst', -360],
  ['cdt', -300],
  ['mst', -420],
  ['mdt', -360],
  ['pst', -480],
  ['pdt', -420],
  ['at', -240],
  ['ast', -240],
  ['adt', -180],
  ['et', -300],
  ['ct', -360],
  ['mt', -420],
  ['pt', -480],
  ['bst', 60],
  ['cet', 60],
  ['cest', 120],
  ['met', 60],
  ['mest', 120],
  ['eet', 120],
  ['eest', 180],
  ['jst', 540],
  ['a', -60],
  ['n', 60],
  ['m', -720],
  ['y', 720],
]);

function numericOffset(zone: string): number | undefined {
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (!m) return undefined;
  const hours = Number(m[2]);
  const minutes = Number(m[3] ?? '0');
  if (hours > 14 || minutes > 59) return undefined;
  return (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

function offsetMinutes(zone: string | undefined): number | undefined {
  if (zone === undefined) return 0;
  const gmt = /^(?:GMT|UTC?)([+-])(\d{1,2})(?::?(\d{2}))?$/i.exec(zone);
  if (gmt) return numericOffset(`${gmt[1]}${gmt[2]!.padStart(2, '0')}${gmt[3] ?? '00'}`);
  if (/^[A-Za-z]+$/.test(zone)) return ZONES.get(zone.toLowerCase());
  return numericOffset(zone);
}

function build(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  ms: number,
  offset: number | undefined,
): string | undefined {
  if (offset === undefined || hour > 23 || minute > 59 || second > 60) return undefined;
  const local = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59), ms);
  const check = new Date(local);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    return undefined;
  }
  const instant = new Date(local - offset * 60_000);
  const y = instant.getUTCFullYear();
  if (Number.isNaN(instant.getTime()) || y < MIN_YEAR || y > MAX_YEAR) return undefined;
  return instant.toISOString();
}

/** ISO-8601 UTC instant for an ISO-8601 or RFC 2822 date, or undefined when invalid or out of range. */
export function normaliseDate(raw: string | undefined): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const s = raw.trim();
  if (s.length === 0 || s.length > 64) return undefined;
  const iso = ISO_RE.exec(s) ?? ISO_BASIC_RE.exec(s);
  if (iso) {
    const ms = iso[7] ? Number(iso[7].slice(0, 3).padEnd(3, '0')) : 0;
    return build(
      Number(iso[1]),
      Number(iso[2]),
      Number(iso[3]),
      Number(iso[4] ?? 0),
      Number(iso[5] ?? 0),
      Number(iso[6] ?? 0),
      ms,
      offsetMinutes(iso[8]),
    );
  }
  const rfc = RFC2822_RE.exec(s);
  if (rfc) {
    const month = MONTHS.indexOf(rfc[2]!.toLowerCase()) + 1;
    if (month === 0) return undefined;
    const yy = Number(rfc[3]);
    const year = rfc[3]!.length === 2 ? (yy < 50 ? 2000 + yy : 1900 + yy) : yy;
    return build(
      year,
      month,
      Number(rfc[1]),
      Number(rfc[4] ?? 0),
      Number(rfc[5] ?? 0),
      Number(rfc[6] ?? 0),
      0,
      offsetMinutes(rfc[7]),
    );
  }
  const partial = W3CDTF_PARTIAL_RE.exec(s);
  if (partial) return build(Number(partial[1]), Number(partial[2] ?? 1), 1, 0, 0, 0, 0, 0);
  const asc = ASCTIME_RE.exec(s);
  if (asc) {
    const month = MONTHS.indexOf(asc[1]!.toLowerCase()) + 1;
    if (month === 0) return undefined;
    return build(
      Number(asc[7]),
      month,
      Number(asc[2]),
      Number(asc[3]),
      Number(asc[4]),
      Number(asc[5]),
      0,
      offsetMinutes(asc[6]),
    );
  }
  return undefined;
}
