// One error family for the whole pipeline. `code` is stable and machine-readable; `retryable` tells the
// worker boundary whether BullMQ should try again (non-retryable errors become UnrecoverableError there).
// Messages start with the module that raised them (`fetcher: …`).

/** Classified failure of a feed, as shown in its health record. */
export const FEED_ERROR_CLASSES = [
  'dns',
  'connect',
  'timeout',
  'http-4xx',
  'http-5xx',
  'too-large',
  'parse',
  'blocked',
] as const;
export type FeedErrorClass = (typeof FEED_ERROR_CLASSES)[number];

export class PipelineError extends Error {
  readonly code: string;
  readonly retryable: boolean;

  constructor(message: string, options: { code: string; retryable: boolean; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
    this.retryable = options.retryable;
  }
}

/** Retry-After is honoured up to this long; a larger value must not park a feed for years. */
export const MAX_RETRY_AFTER_MS = 6 * 3_600_000;

/** A feed could not be fetched. `errorClass` feeds the health record; `retryAfterMs` delays the next try. */
export class FeedHttpError extends PipelineError {
  readonly errorClass: Exclude<FeedErrorClass, 'parse'>;
  readonly status?: number;
  readonly retryAfterMs?: number;

  constructor(
    message: string,
    options: {
      errorClass: Exclude<FeedErrorClass, 'parse'>;
      status?: number;
      retryAfterMs?: number;
      retryable?: boolean;
      cause?: unknown;
    },
  ) {
    super(message, {
      code: `feed-${options.errorClass}`,
      retryable: options.retryable ?? options.errorClass !== 'blocked',
      cause: options.cause,
    });
    this.errorClass = options.errorClass;
    this.status = options.status;
    this.retryAfterMs =
      options.retryAfterMs === undefined
        ? undefined
        : Math.min(Math.max(0, options.retryAfterMs), MAX_RETRY_AFTER_MS);
  }
}

/** A payload is not a feed of the expected kind (HTML page, truncated XML, an arXiv API error entry, …). */
/**
 * Why a payload could not be parsed. A parse failure is recorded as its class and where it happened (a
 * line and column, a byte offset, which element was missing), never as anything the payload contained:
 * a feed's last error is shown by GET /feeds and `feeds list`, and a file feed's payload is a local file.
 */
export const PARSE_FAILURES = [
  /** Nothing but whitespace. */
  'empty',
  /** NUL bytes or undecodable sequences: not text in the encoding it was decoded with. */
  'bad-encoding',
  /** Does not begin with `<`. */
  'not-xml',
  /** Begins like XML but is not well-formed. */
  'bad-xml',
  /** Does not begin like JSON (markup, plain text). */
  'not-json',
  /** Begins like JSON but is not valid JSON. */
  'bad-json',
  /** Well-formed, but not the document this kind of feed expects. */
  'not-a-feed',
  /** The service answered with its own error document. */
  'api-error',
] as const;
export type ParseFailure = (typeof PARSE_FAILURES)[number];

/** A payload could not be parsed; the message is `sources: <kind>: <failure>: <where>`. */
export class FeedParseError extends PipelineError {
  readonly errorClass = 'parse' as const;
  readonly failure: ParseFailure;

  constructor(message: string, options: { failure: ParseFailure }) {
    super(message, { code: 'feed-parse', retryable: false });
    this.failure = options.failure;
  }
}

/** Invalid configuration: says which setting and what to set. */
export class ConfigError extends PipelineError {
  constructor(message: string) {
    super(message, { code: 'config', retryable: false });
  }
}

/** A database write or read failed. Usually transient (connection lost), so retryable. */
export class StoreError extends PipelineError {
  constructor(message: string, options: { cause?: unknown; retryable?: boolean } = {}) {
    super(message, { code: 'store', retryable: options.retryable ?? true, cause: options.cause });
  }
}
