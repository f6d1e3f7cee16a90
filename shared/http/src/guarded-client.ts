// The fetcher's HTTP client: GET with SSRF guard, timeouts, redirects followed by hand, a byte cap applied after
// decompression, conditional requests and charset decoding. One keep-alive undici Agent per client.
//
// SSRF guard: the Agent's connector is the only way a socket is opened, and it
//   - refuses an IP-literal host that the address policy rejects, before any socket exists;
//   - resolves names through a lookup wrapper that drops rejected addresses from the answer, so the socket
//     connects only to an address that was checked — there is no second resolution to rebind between check
//     and connect. A name with no allowed address fails as 'blocked'.
// Every redirect hop goes through the same connector, and only http:/https: targets are followed.

import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { type Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  createBrotliDecompress,
  createGunzip,
  createInflate,
  createInflateRaw,
  constants as zlibConstants,
} from 'node:zlib';
import { ConfigError, FeedHttpError } from '@paperwire/core';
import { Agent, buildConnector, request } from 'undici';
import { decodeBody } from './decode-body.ts';
import { isAllowedAddress } from './ip-policy.ts';
import { parseRetryAfter } from './retry-after.ts';

export interface HttpClientOptions {
  /** Sent on every request; name the project and give a contact (URL or mailto). */
  userAgent: string;
  /** Allow loopback, RFC 1918, ULA and CGNAT targets (see ip-policy.ts for what stays refused). */
  allowPrivateNetworks: boolean;
  connectTimeoutMs?: number;
  /** From sending the request until the response headers are complete. */
  headersTimeoutMs?: number;
  /** Idle time allowed between two body chunks. */
  bodyTimeoutMs?: number;
  /** Deadline for the whole get(), redirects and body included. */
  totalTimeoutMs?: number;
  /** Cap on the body after decompression; the compressed transfer is capped at the same size. */
  maxBodyBytes?: number;
  maxRedirects?: number;
  /** Replaces dns.lookup (tests resolve names to chosen addresses). Its answers still pass the policy. */
  lookup?: LookupFunction;
  /**
   * Replaces the built-in address policy derived from allowPrivateNetworks. For tests that must reach one
   * loopback server while everything else stays under the default policy, and for operator allow-lists.
   */
  addressPolicy?: (address: string) => boolean;
}

export interface GetInit {
  etag?: string;
  lastModified?: string;
  accept?: string;
  signal?: AbortSignal;
}

export type ResponseHeaders = Record<string, string>;

export type FetchOutcome =
  | { status: 'not-modified'; finalUrl: string; headers: ResponseHeaders }
  | {
      status: 'ok';
      finalUrl: string;
      statusCode: number;
      headers: ResponseHeaders;
      body: string;
      bytes: number;
      charset: string;
      etag?: string;
      lastModified?: string;
    };

export interface PostInit {
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** Any answer to a POST; only transport failures (blocked, DNS, connect, timeout) throw. */
export interface PostOutcome {
  statusCode: number;
  headers: ResponseHeaders;
}

export interface HttpClient {
  get(url: string, init?: GetInit): Promise<FetchOutcome>;
  /**
   * POSTs `body` once, through the same guard and timeouts as get(). Redirects are not followed (the 3xx
   * is returned) and the answer's body is discarded, at most `maxBodyBytes` of it read.
   */
  post(url: string, body: string, init?: PostInit): Promise<PostOutcome>;
  close(): Promise<void>;
}

export const HTTP_CLIENT_DEFAULTS = {
  connectTimeoutMs: 10_000,
  headersTimeoutMs: 20_000,
  bodyTimeoutMs: 20_000,
  totalTimeoutMs: 60_000,
  maxBodyBytes: 20 * 1024 * 1024,
  maxRedirects: 3,
} as const;

const DEFAULT_ACCEPT =
  'application/atom+xml, application/rss+xml, application/rdf+xml;q=0.9, application/xml;q=0.9, ' +
  'text/xml;q=0.9, application/json;q=0.8, */*;q=0.5';

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const RETRYABLE_4XX = new Set([408, 425, 429]);

export function createHttpClient(options: HttpClientOptions): HttpClient {
  if (options.userAgent.trim() === '') {
    throw new ConfigError('fetcher: userAgent is empty; set it to the project name, version and a contact');
  }
  const settings = { ...HTTP_CLIENT_DEFAULTS, ...withoutUndefined(options) };
  const allowed =
    options.addressPolicy ??
    ((address: string) => isAllowedAddress(address, { allowPrivateNetworks: options.allowPrivateNetworks }));
  const agent = new Agent({
    connect: guardedConnector(allowed, options.lookup ?? dnsLookup, settings.connectTimeoutMs),
    headersTimeout: settings.headersTimeoutMs,
    bodyTimeout: settings.bodyTimeoutMs,
  });

  async function get(url: string, init: GetInit = {}): Promise<FetchOutcome> {
    const deadline = AbortSignal.timeout(settings.totalTimeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
    const headers: Record<string, string> = {
      'user-agent': options.userAgent,
      accept: init.accept ?? DEFAULT_ACCEPT,
      'accept-encoding': 'gzip, deflate, br',
    };
    if (init.etag !== undefined) headers['if-none-match'] = init.etag;
    if (init.lastModified !== undefined) headers['if-modified-since'] = init.lastModified;

    let target = httpUrl(url);
    try {
      for (let redirects = 0; ; redirects += 1) {
        const response = await request(target, { dispatcher: agent, method: 'GET', headers, signal });
        const responseHeaders = flattenHeaders(response.headers);
        const { statusCode } = response;
        const location = responseHeaders.location;

        if (REDIRECT_STATUSES.has(statusCode) && location !== undefined) {
          await response.body.dump();
          if (redirects >= settings.maxRedirects) {
            throw new FeedHttpError(`fetcher: more than ${settings.maxRedirects} redirects from ${url}`, {
              errorClass: 'blocked',
              status: statusCode,
            });
          }
          target = httpUrl(new URL(location, target).href);
          continue;
        }
        if (statusCode === 304) {
          await response.body.dump();
          return { status: 'not-modified', finalUrl: target.href, headers: responseHeaders };
        }
        if (statusCode >= 200 && statusCode < 300) {
          const bytes = await readBody(response.body, responseHeaders, settings.maxBodyBytes, signal);
          const { text, charset } = decodeBody(bytes, responseHeaders['content-type']);
          return {
            status: 'ok',
            finalUrl: target.href,
            statusCode,
            headers: responseHeaders,
            body: text,
            bytes: bytes.byteLength,
            charset,
            etag: responseHeaders.etag,
            lastModified: responseHeaders['last-modified'],
          };
        }
        await response.body.dump();
        throw statusError(statusCode, responseHeaders, target.href);
      }
    } catch (error) {
      throw transportError(error, init.signal, deadline, settings.totalTimeoutMs, target.href);
    }
  }

  async function post(url: string, body: string, init: PostInit = {}): Promise<PostOutcome> {
    const deadline = AbortSignal.timeout(settings.totalTimeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
    const headers = { 'user-agent': options.userAgent, ...init.headers };
    const target = httpUrl(url);
    try {
      const response = await request(target, { dispatcher: agent, method: 'POST', headers, body, signal });
      await response.body.dump({ limit: settings.maxBodyBytes });
      return { statusCode: response.statusCode, headers: flattenHeaders(response.headers) };
    } catch (error) {
      throw transportError(error, init.signal, deadline, settings.totalTimeoutMs, target.href);
    }
  }

  return {
    get,
    post,
    close: () => agent.destroy(),
  };
}

/** A failed request as a FeedHttpError; the caller's own cancellation is rethrown as it is. */
function transportError(
  error: unknown,
  callerSignal: AbortSignal | undefined,
  deadline: AbortSignal,
  totalTimeoutMs: number,
  url: string,
): unknown {
  if (callerSignal?.aborted) return callerSignal.reason; // the caller cancelled: not a feed failure
  if (deadline.aborted) {
    return new FeedHttpError(`fetcher: ${url} took longer than ${totalTimeoutMs} ms`, {
      errorClass: 'timeout',
      cause: error,
    });
  }
  return classifyError(error, url);
}

/** Parses a URL and refuses any scheme but http: and https: (file: feeds go through file-source.ts). */
function httpUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new FeedHttpError(`fetcher: invalid URL ${JSON.stringify(url)}`, {
      errorClass: 'blocked',
      cause: error,
    });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new FeedHttpError(`fetcher: refusing ${parsed.protocol} URL ${url}`, { errorClass: 'blocked' });
  }
  return parsed;
}

/** Raised inside the connector when the policy refuses every address of a target. */
class BlockedAddressError extends Error {
  readonly code = 'ERR_PAPERWIRE_BLOCKED_ADDRESS';
  constructor(host: string, addresses: readonly string[]) {
    const resolved =
      addresses.length > 0 && addresses[0] !== host ? ` (resolved to ${addresses.join(', ')})` : '';
    super(`fetcher: refusing to connect to ${host}${resolved}: address not allowed`);
  }
}

function guardedConnector(
  allowed: (address: string) => boolean,
  baseLookup: LookupFunction,
  connectTimeoutMs: number,
): buildConnector.connector {
  const lookup: LookupFunction = (hostname, lookupOptions, callback) => {
    baseLookup(hostname, { ...lookupOptions, all: true }, (error, result, family) => {
      if (error) {
        callback(error, '');
        return;
      }
      const addresses: LookupAddress[] = Array.isArray(result)
        ? result
        : [{ address: result, family: family ?? 4 }];
      const permitted = addresses.filter((entry) => allowed(entry.address));
      const first = permitted[0];
      if (first === undefined) {
        callback(
          new BlockedAddressError(
            hostname,
            addresses.map((entry) => entry.address),
          ),
          '',
        );
      } else if (lookupOptions.all) {
        callback(null, permitted);
      } else {
        callback(null, first.address, first.family);
      }
    });
  };
  const connect = buildConnector({ timeout: connectTimeoutMs, lookup });
  return (connectOptions, callback) => {
    // net.connect skips lookup for an IP literal, so literals are checked here. undici strips IPv6 brackets.
    const host = connectOptions.hostname;
    if (isIP(host) !== 0 && !allowed(host)) {
      queueMicrotask(() => callback(new BlockedAddressError(host, []), null));
      return;
    }
    connect(connectOptions, callback);
  };
}

/** Reads the body through the content decoders, capping both the transferred and the decoded size. */
async function readBody(
  body: Readable,
  headers: ResponseHeaders,
  maxBytes: number,
  signal: AbortSignal,
): Promise<Buffer> {
  const declared = Number(headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    body.destroy();
    throw tooLarge(`declares ${declared} bytes`, maxBytes);
  }
  let transferred = 0;
  const countTransferred = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      transferred += chunk.byteLength;
      callback(transferred > maxBytes ? tooLarge('transfer exceeds', maxBytes) : null, chunk);
    },
  });
  const decoders = contentDecoders(headers['content-encoding']);
  const chunks: Buffer[] = [];
  let decoded = 0;
  const collect = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      decoded += chunk.byteLength;
      if (decoded > maxBytes) {
        callback(tooLarge('decoded body exceeds', maxBytes));
        return;
      }
      chunks.push(chunk);
      callback();
    },
  });
  const stages = [body, countTransferred, ...decoders, collect];
  // pipeline() re-emits the first error on every stage it destroys; the stage that failed first is the origin.
  let failedFirst: unknown;
  for (const stage of stages) {
    stage.once('error', () => {
      failedFirst ??= stage;
    });
  }
  try {
    await pipeline(stages, { signal });
  } catch (error) {
    if (decoders.some((decoder) => decoder === failedFirst)) {
      throw new FeedHttpError(`fetcher: cannot decode the ${headers['content-encoding']} body`, {
        errorClass: 'http-5xx',
        cause: error,
      });
    }
    throw error;
  }
  return Buffer.concat(chunks, decoded);
}

/**
 * Decoders for a Content-Encoding list, in the order to apply them (the reverse of the header's).
 * `identity` and unknown codings pass through unchanged; an unknown coding then fails in the parser.
 */
function contentDecoders(contentEncoding: string | undefined): Transform[] {
  if (contentEncoding === undefined) return [];
  const codings = contentEncoding
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .reverse();
  const decoders: Transform[] = [];
  for (const coding of codings) {
    // Flush what arrived on a truncated stream instead of failing, as browsers do.
    if (coding === 'gzip' || coding === 'x-gzip') {
      decoders.push(
        createGunzip({ flush: zlibConstants.Z_SYNC_FLUSH, finishFlush: zlibConstants.Z_SYNC_FLUSH }),
      );
    } else if (coding === 'deflate') {
      decoders.push(new InflateAuto());
    } else if (coding === 'br') {
      decoders.push(createBrotliDecompress({ finishFlush: zlibConstants.BROTLI_OPERATION_FLUSH }));
    }
  }
  return decoders;
}

/**
 * `Content-Encoding: deflate` should be zlib-wrapped (RFC 9110) but some servers send raw deflate; the first
 * bytes tell them apart (a zlib header has compression method 8 and a checksum divisible by 31).
 */
class InflateAuto extends Transform {
  private inner: Transform | undefined;

  override _transform(
    chunk: Buffer,
    _encoding: BufferEncoding,
    callback: (error?: Error | null) => void,
  ): void {
    if (this.inner === undefined) {
      const zlibWrapped =
        (chunk[0]! & 0x0f) === 8 && (chunk.length < 2 || ((chunk[0]! << 8) | chunk[1]!) % 31 === 0);
      const options = { flush: zlibConstants.Z_SYNC_FLUSH, finishFlush: zlibConstants.Z_SYNC_FLUSH };
      const inner = zlibWrapped ? createInflate(options) : createInflateRaw(options);
      inner.on('data', (data: Buffer) => this.push(data));
      inner.once('error', (error) => this.destroy(error));
      this.inner = inner;
    }
    this.inner.write(chunk, (error) => callback(error));
  }

  override _flush(callback: (error?: Error | null) => void): void {
    if (this.inner === undefined) {
      callback();
      return;
    }
    this.inner.once('end', () => callback());
    this.inner.end();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.inner?.destroy();
    callback(error);
  }
}

function statusError(statusCode: number, headers: ResponseHeaders, url: string): FeedHttpError {
  const retryAfterMs = parseRetryAfter(headers['retry-after'], new Date());
  if (statusCode >= 500) {
    return new FeedHttpError(`fetcher: ${url} answered ${statusCode}`, {
      errorClass: 'http-5xx',
      status: statusCode,
      retryAfterMs,
      retryable: true,
    });
  }
  // 4xx, and the odd 1xx/3xx that is neither a redirect with a Location nor 304.
  return new FeedHttpError(`fetcher: ${url} answered ${statusCode}`, {
    errorClass: 'http-4xx',
    status: statusCode,
    retryAfterMs,
    retryable: RETRYABLE_4XX.has(statusCode),
  });
}

const DNS_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EAI_NODATA',
  'EAI_NONAME',
  'ENODATA',
  'ESERVFAIL',
]);
const TIMEOUT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
]);

function classifyError(error: unknown, url: string): FeedHttpError {
  if (error instanceof FeedHttpError) return error;
  if (error instanceof BlockedAddressError) {
    return new FeedHttpError(error.message, { errorClass: 'blocked', cause: error });
  }
  // Happy-eyeballs connects (several addresses) fail with an AggregateError of the per-address errors.
  const first = error instanceof AggregateError ? error.errors[0] : error;
  const { code, syscall, message } = (first ?? {}) as { code?: string; syscall?: string; message?: string };
  const detail = `${code ?? 'error'}${message ? `: ${message}` : ''}`;
  if (code !== undefined && TIMEOUT_CODES.has(code)) {
    return new FeedHttpError(`fetcher: ${url} timed out (${detail})`, {
      errorClass: 'timeout',
      cause: error,
    });
  }
  if ((code !== undefined && DNS_CODES.has(code)) || syscall === 'getaddrinfo') {
    return new FeedHttpError(`fetcher: cannot resolve ${new URL(url).hostname} (${detail})`, {
      errorClass: 'dns',
      cause: error,
    });
  }
  // Refused, reset, closed mid-response, TLS failures: the server could not be talked to.
  return new FeedHttpError(`fetcher: cannot fetch ${url} (${detail})`, {
    errorClass: 'connect',
    cause: error,
  });
}

function tooLarge(what: string, maxBytes: number): FeedHttpError {
  // Not retryable: the same feed will be as large on an immediate retry; the scheduler still tries next slot.
  return new FeedHttpError(`fetcher: response ${what} the ${maxBytes}-byte limit`, {
    errorClass: 'too-large',
    retryable: false,
  });
}

/** Lower-cased header record; repeated headers are joined with ", ". */
function flattenHeaders(headers: Record<string, string | string[] | undefined>): ResponseHeaders {
  const flat: ResponseHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
