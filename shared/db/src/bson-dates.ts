// Timestamps are BSON dates in the database and ISO-8601 strings everywhere else (core types, API, events):
// the repositories convert at the database edge, so a reader with its own driver sees dates, and the rest
// of the pipeline is unchanged. A timestamp is a field named `at`, `asOf` or `…At` holding an ISO instant;
// other strings (dated-board keys such as `2026-12-03`, ids) stay strings.

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;

/** Whether a field of this name holds a timestamp. */
export const isTimestampKey = (key: string): boolean =>
  key === 'at' || key === 'asOf' || /[a-z]At$/.test(key);

const isPlain = (v: unknown): v is Record<string, unknown> =>
  v !== null &&
  typeof v === 'object' &&
  (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

/** An ISO instant as a Date, anything else unchanged. */
export function asDate(value: unknown): unknown {
  if (typeof value !== 'string' || !ISO_INSTANT.test(value)) return value;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : d;
}

/**
 * A copy of `value` with every timestamp field's ISO string a Date, all the way down (plain objects and
 * arrays; Buffers and other objects are kept as they are). Also for update operators and filters:
 * `{ $set: { 'health.lastError': { at } , 'state.lastFetchAt': x } }` and `{ firstSeenAt: { $gte: x } }`.
 */
export function toBsonDates<T>(value: T): T {
  return convert(value, false) as T;
}

function convert(value: unknown, timestamp: boolean): unknown {
  if (Array.isArray(value)) return value.map((v) => convert(v, timestamp));
  if (isPlain(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      // An operator (`$gte`, `$set`) inherits its parent's kind; a dotted path is judged by its last part.
      const last = k.slice(k.lastIndexOf('.') + 1);
      out[k] = convert(v, k.startsWith('$') ? timestamp : isTimestampKey(last));
    }
    return out;
  }
  return timestamp ? asDate(value) : value;
}

/** A copy of `value` with every Date an ISO string (`toISOString`), all the way down. */
export function toIsoDates<T>(value: T): T {
  if (value instanceof Date) return value.toISOString() as T;
  if (Array.isArray(value)) return value.map(toIsoDates) as T;
  if (isPlain(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toIsoDates(v);
    return out as T;
  }
  return value;
}

/** Whether `value` holds a timestamp field still stored as an ISO string (what `toBsonDates` would change). */
export function hasIsoTimestamps(value: unknown, timestamp = false): boolean {
  if (Array.isArray(value)) return value.some((v) => hasIsoTimestamps(v, timestamp));
  if (isPlain(value)) {
    return Object.entries(value).some(([k, v]) =>
      hasIsoTimestamps(v, k.startsWith('$') ? timestamp : isTimestampKey(k.slice(k.lastIndexOf('.') + 1))),
    );
  }
  return timestamp && typeof value === 'string' && asDate(value) instanceof Date;
}
