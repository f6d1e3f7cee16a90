// Small helpers shared by the adapters: safe reads from untrusted parsed JSON/XML, dates.
import { type FeedKind, FeedParseError, normaliseDate, type ParseFailure } from '@paperwire/core';

export type Rec = Record<string, unknown>;

export function isRecord(value: unknown): value is Rec {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Own property only: `__proto__`/`constructor` keys in a payload never reach Object.prototype. */
export function own(obj: Rec, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/** A non-empty trimmed string, or undefined (wrong types are ignored, not coerced). */
export function str(obj: Rec, key: string): string | undefined {
  return trimmed(own(obj, key));
}

export function trimmed(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const t = value.trim();
  return t === '' ? undefined : t;
}

/** A finite number, or undefined: a string where a number is expected drops the signal. */
export function num(obj: Rec, key: string): number | undefined {
  const value = own(obj, key);
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * ISO-8601, RFC 822 and the other forms normaliseDate reads → ISO-8601 UTC; unparseable → undefined. Never
 * Date.parse: it reads a zone-less date-time in the host's zone, so the instant would depend on the machine.
 */
export function isoDate(raw: string | undefined): string | undefined {
  return normaliseDate(raw);
}

/** Unix seconds (int or float) → ISO-8601. */
export function isoFromEpochSeconds(seconds: number | undefined): string | undefined {
  if (seconds === undefined) return undefined;
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** Distinct non-empty values, first occurrence kept. */
export function uniq(values: ReadonlyArray<string | undefined>): string[] {
  const out: string[] = [];
  for (const v of values) if (v !== undefined && v !== '' && !out.includes(v)) out.push(v);
  return out;
}

/**
 * A classified parse failure: `sources: <kind>: <failure>: <where>`. `where` says where it failed (an
 * offset, a line and column, a missing element) in our own words: never pass text read from the payload.
 */
export function parseError(kind: FeedKind, failure: ParseFailure, where: string): FeedParseError {
  return new FeedParseError(`sources: ${kind}: ${failure}: ${where}`, { failure });
}

export function stripBom(body: string): string {
  return body.charCodeAt(0) === 0xfeff ? body.slice(1) : body;
}

/** NUL or U+FFFD (what the decoder made of bytes it could not decode) in the first KiB: not text. */
export function looksBinary(text: string): boolean {
  const head = text.slice(0, 1024);
  return head.includes('\u0000') || head.includes('\ufffd');
}

/** Throws unless the body (BOM and leading whitespace removed) begins with `<`; returns it trimmed. */
export function expectMarkup(kind: FeedKind, body: string): string {
  const text = stripBom(body).trimStart();
  if (text === '') throw parseError(kind, 'empty', 'the body is empty');
  if (text.startsWith('<')) return text;
  if (looksBinary(text))
    throw parseError(kind, 'bad-encoding', 'NUL or undecodable bytes in the first KiB of the body');
  throw parseError(kind, 'not-xml', 'the body does not begin with "<"');
}

/** JSON.parse that reports failures as FeedParseError. JSON.parse defines `__proto__` as an own key. */
export function parseJson(kind: FeedKind, body: string): unknown {
  const text = stripBom(body).trimStart();
  if (text === '') throw parseError(kind, 'empty', 'the body is empty');
  if (looksBinary(text))
    throw parseError(kind, 'bad-encoding', 'NUL or undecodable bytes in the first KiB of the body');
  if (!/^[[{"\-0-9tfn]/.test(text))
    throw parseError(
      kind,
      'not-json',
      text[0] === '<' ? 'the body is markup (HTML or XML), not JSON' : 'the body does not begin like JSON',
    );
  try {
    return JSON.parse(text);
  } catch (err) {
    // V8's message quotes the text around the error; only the position is kept.
    throw parseError(kind, 'bad-json', jsonErrorPosition(err, text));
  }
}

function jsonErrorPosition(err: unknown, text: string): string {
  const message = err instanceof Error ? err.message : '';
  if (/Unexpected end of JSON input/.test(message))
    return `the JSON ends early (after ${text.length} characters)`;
  const at = /at position (\d+)/.exec(message)?.[1];
  if (at === undefined) return 'invalid JSON';
  const offset = Number(at);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `invalid JSON at line ${line}, column ${column} (character ${offset})`;
}
