// The client against real node:http servers on loopback. No request leaves the machine: every connection
// attempt is recorded and afterEach fails the test if one went to a non-loopback address.
import type { LookupAddress } from 'node:dns';
import type { ServerResponse } from 'node:http';
import type { LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  brotliCompressSync,
  createBrotliCompress,
  createDeflate,
  createDeflateRaw,
  createGzip,
  deflateRawSync,
  deflateSync,
  gzipSync,
} from 'node:zlib';
import { FeedHttpError } from '@paperwire/core';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpClient, type HttpClient, type HttpClientOptions } from '../src/guarded-client.ts';
import { isAllowedAddress } from '../src/ip-policy.ts';
import { isLoopback, recordConnectionAttempts, startServer, type TestServer } from './servers.ts';

const USER_AGENT = 'Paperwire/0.1 (+https://example.org/paperwire; mailto:feeds@example.org)';
const ATOM =
  '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Schrödinger</title></feed>';
const MiB = 1024 * 1024;

const recorder = recordConnectionAttempts();
let attemptsBefore = 0;
const attemptsInTest = () => recorder.attempts.slice(attemptsBefore);

const clients: HttpClient[] = [];
const servers: TestServer[] = [];

function client(options: Partial<HttpClientOptions> = {}): HttpClient {
  const created = createHttpClient({
    userAgent: USER_AGENT,
    allowPrivateNetworks: true,
    connectTimeoutMs: 2_000,
    headersTimeoutMs: 2_000,
    bodyTimeoutMs: 2_000,
    totalTimeoutMs: 10_000,
    maxBodyBytes: MiB,
    ...options,
  });
  clients.push(created);
  return created;
}

async function server(handler: Parameters<typeof startServer>[0], host?: string): Promise<TestServer> {
  const started = await startServer(handler, host);
  servers.push(started);
  return started;
}

/** Resolves every name to the given addresses, in the shape dns.lookup uses for the options it gets. */
function fakeLookup(addresses: string[]): LookupFunction {
  return (_hostname, options, callback) => {
    const entries: LookupAddress[] = addresses.map((address) => ({
      address,
      family: address.includes(':') ? 6 : 4,
    }));
    if (options.all) callback(null, entries);
    else callback(null, entries[0]!.address, entries[0]!.family);
  };
}

async function fetchError(promise: Promise<unknown>): Promise<FeedHttpError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FeedHttpError);
  return error as FeedHttpError;
}

/** Streams `total` bytes in 64 KiB chunks, honouring backpressure; reports how many were produced. */
function bytesSource(total: number, fill = 0x61): { stream: Readable; produced: () => number } {
  const chunk = Buffer.alloc(64 * 1024, fill);
  let produced = 0;
  const stream = new Readable({
    read() {
      if (produced >= total) {
        this.push(null);
        return;
      }
      const next = chunk.subarray(0, Math.min(chunk.length, total - produced));
      produced += next.length;
      this.push(next);
    },
  });
  return { stream, produced: () => produced };
}

function sendAfterClose(res: ServerResponse, work: () => Promise<unknown>) {
  work().catch(() => res.destroy()); // the client hanging up mid-body is the point of these tests
}

beforeEach(() => {
  attemptsBefore = recorder.attempts.length;
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
  expect(attemptsInTest().filter((ip) => !isLoopback(ip))).toEqual([]);
});

afterAll(() => recorder.stop());

describe('successful fetches', () => {
  it('returns the body, metadata and lower-cased headers, and sends our request headers', async () => {
    const feed = await server((_req, res) => {
      res.writeHead(200, {
        'Content-Type': 'application/atom+xml; charset=utf-8',
        ETag: '"v1"',
        'Last-Modified': 'Sat, 01 Mar 2025 10:00:00 GMT',
        'Cache-Control': 'max-age=300',
        Expires: 'Sat, 01 Mar 2025 10:05:00 GMT',
      });
      res.end(ATOM);
    });

    const outcome = await client().get(`${feed.origin}/atom`);

    expect(outcome).toMatchObject({
      status: 'ok',
      finalUrl: `${feed.origin}/atom`,
      statusCode: 200,
      body: ATOM,
      bytes: Buffer.byteLength(ATOM),
      charset: 'utf-8',
      etag: '"v1"',
      lastModified: 'Sat, 01 Mar 2025 10:00:00 GMT',
      headers: {
        'content-type': 'application/atom+xml; charset=utf-8',
        etag: '"v1"',
        'last-modified': 'Sat, 01 Mar 2025 10:00:00 GMT',
        'cache-control': 'max-age=300',
        expires: 'Sat, 01 Mar 2025 10:05:00 GMT',
      },
    });
    const sent = feed.requests[0]!.headers;
    expect(sent['user-agent']).toBe(USER_AGENT);
    expect(sent['accept-encoding']).toBe('gzip, deflate, br');
    expect(sent.accept).toContain('application/atom+xml');
    expect(sent['if-none-match']).toBeUndefined();
  });

  it('sends If-None-Match / If-Modified-Since and reports 304 as not-modified', async () => {
    const feed = await server((req, res) => {
      if (req.headers['if-none-match'] === '"v1"') {
        res.writeHead(304, { ETag: '"v1"', 'Cache-Control': 'max-age=60' });
        res.end();
        return;
      }
      res.writeHead(200, { ETag: '"v1"' });
      res.end(ATOM);
    });
    const http = client();

    const outcome = await http.get(`${feed.origin}/atom`, {
      etag: '"v1"',
      lastModified: 'Sat, 01 Mar 2025 10:00:00 GMT',
      accept: 'application/atom+xml',
    });

    expect(outcome).toEqual({
      status: 'not-modified',
      finalUrl: `${feed.origin}/atom`,
      headers: expect.objectContaining({ etag: '"v1"', 'cache-control': 'max-age=60' }),
    });
    expect(feed.requests[0]!.headers).toMatchObject({
      'if-none-match': '"v1"',
      'if-modified-since': 'Sat, 01 Mar 2025 10:00:00 GMT',
      accept: 'application/atom+xml',
    });
  });

  it('reuses one keep-alive connection for consecutive requests', async () => {
    const feed = await server((_req, res) => res.end(ATOM));
    const http = client();

    await http.get(`${feed.origin}/a`);
    await new Promise((resolve) => setImmediate(resolve)); // undici frees the socket on the next turn
    await http.get(`${feed.origin}/b`);

    expect(feed.requests).toHaveLength(2);
    expect(feed.connections()).toBe(1);
  });
});

describe('charsets', () => {
  const LATIN1_XML =
    '<?xml version="1.0" encoding="ISO-8859-1"?><rss><title>Schrödinger – “café”</title></rss>';
  const latin1Bytes = Buffer.from(LATIN1_XML.replace('–', '-').replace('“', '"').replace('”', '"'), 'latin1');
  const latin1Text = latin1Bytes.toString('latin1');

  it.each([
    [
      'declared in Content-Type',
      'application/rss+xml; charset=ISO-8859-1',
      latin1Bytes,
      latin1Text,
      'windows-1252',
    ],
    ['declared only by the XML declaration', 'application/rss+xml', latin1Bytes, latin1Text, 'windows-1252'],
    [
      'UTF-16LE with a BOM',
      'application/xml',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(ATOM, 'utf16le')]),
      ATOM,
      'utf-16le',
    ],
  ])('decodes a feed %s', async (_name, contentType, bytes, text, charset) => {
    const feed = await server((_req, res) => {
      res.writeHead(200, { 'Content-Type': contentType });
      res.end(bytes);
    });

    const outcome = await client().get(feed.origin);

    expect(outcome).toMatchObject({ status: 'ok', body: text, charset, bytes: bytes.length });
  });
});

describe('content encodings', () => {
  const payload = Buffer.from(ATOM.repeat(50));

  it.each([
    ['gzip', gzipSync(payload)],
    ['x-gzip', gzipSync(payload)],
    ['deflate', deflateSync(payload)],
    ['deflate', deflateRawSync(payload)], // raw deflate, as some servers send
    ['br', brotliCompressSync(payload)],
    ['gzip, br', brotliCompressSync(gzipSync(payload))],
  ])('decodes %s', async (encoding, compressed) => {
    const feed = await server((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/atom+xml', 'Content-Encoding': encoding });
      res.end(compressed);
    });

    const outcome = await client().get(feed.origin);

    expect(outcome).toMatchObject({ status: 'ok', body: payload.toString(), bytes: payload.length });
  });

  it('reports a corrupt compressed body as a server error', async () => {
    const feed = await server((_req, res) => {
      res.writeHead(200, { 'Content-Encoding': 'gzip' });
      res.end(Buffer.from('this is not gzip at all'));
    });

    const error = await fetchError(client().get(feed.origin));

    expect(error.errorClass).toBe('http-5xx');
  });
});

describe('size limits', () => {
  it('aborts a 50 MB chunked body at the cap without reading it all', async () => {
    let produced = () => 0;
    const feed = await server((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/xml' }); // no Content-Length: chunked
      const source = bytesSource(50 * MiB);
      produced = source.produced;
      sendAfterClose(res, () => pipeline(source.stream, res));
    });

    const error = await fetchError(client({ maxBodyBytes: MiB }).get(feed.origin));

    expect(error.errorClass).toBe('too-large');
    expect(error.retryable).toBe(false);
    expect(produced()).toBeLessThan(20 * MiB);
  });

  it('refuses a declared Content-Length above the cap before reading the body', async () => {
    let produced = () => 0;
    const feed = await server((_req, res) => {
      res.writeHead(200, { 'Content-Length': String(50 * MiB) });
      const source = bytesSource(50 * MiB);
      produced = source.produced;
      sendAfterClose(res, () => pipeline(source.stream, res));
    });

    const error = await fetchError(client({ maxBodyBytes: MiB }).get(feed.origin));

    expect(error.errorClass).toBe('too-large');
    expect(error.message).toContain('declares');
    expect(produced()).toBeLessThan(20 * MiB);
  });

  it.each([
    ['gzip', () => createGzip()],
    ['deflate', () => createDeflate()],
    ['deflate', () => createDeflateRaw()],
    ['br', () => createBrotliCompress()],
  ])('stops a %s bomb (1 GiB of zeros) at the decoded cap', async (encoding, compressor) => {
    let produced = () => 0;
    const feed = await server((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/xml', 'Content-Encoding': encoding });
      const zeros = bytesSource(1024 * MiB, 0);
      produced = zeros.produced;
      sendAfterClose(res, () => pipeline(zeros.stream, compressor(), res));
    });
    // Timeouts out of the way (a loaded machine compresses slowly): the cap, not a timer, must stop it.
    const patient = { bodyTimeoutMs: 60_000, headersTimeoutMs: 60_000, totalTimeoutMs: 110_000 };

    const error = await fetchError(client({ maxBodyBytes: MiB, ...patient }).get(feed.origin));

    expect(error.errorClass).toBe('too-large');
    expect(error.message).toContain('decoded');
    expect(produced()).toBeLessThan(256 * MiB); // backpressure: the server was never allowed to run ahead
  });
});

describe('timeouts', () => {
  it('aborts a body that drips one byte per second (idle body timeout)', async () => {
    const feed = await server((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/xml' });
      res.write('<');
      const timer = setInterval(() => res.write('x'), 1_000);
      res.on('close', () => clearInterval(timer));
    });
    const started = Date.now();

    const error = await fetchError(client({ bodyTimeoutMs: 300 }).get(feed.origin));

    expect(error.errorClass).toBe('timeout');
    expect(error.retryable).toBe(true);
    // The body never ends: finishing at all proves the timer; the bound is loose for a loaded machine.
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('aborts when the headers never come', async () => {
    const feed = await server(() => {
      // never answers
    });

    const error = await fetchError(client({ headersTimeoutMs: 300 }).get(feed.origin));

    expect(error.errorClass).toBe('timeout');
  });

  it('enforces the total deadline on a body that keeps trickling within the idle timeout', async () => {
    const feed = await server((_req, res) => {
      res.writeHead(200);
      const timer = setInterval(() => res.write('x'), 50);
      res.on('close', () => clearInterval(timer));
    });
    const started = Date.now();

    const error = await fetchError(client({ bodyTimeoutMs: 300, totalTimeoutMs: 700 }).get(feed.origin));

    expect(error.errorClass).toBe('timeout');
    expect(error.message).toContain('longer than 700 ms');
    // The body never ends: finishing at all proves the timer; the bound is loose for a loaded machine.
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it("passes the caller's abort reason through instead of classifying it", async () => {
    const feed = await server(() => {
      // never answers
    });
    const controller = new AbortController();
    const reason = new Error('shutting down');

    const pending = client().get(feed.origin, { signal: controller.signal });
    controller.abort(reason);

    await expect(pending).rejects.toBe(reason);
  });
});

describe('status handling', () => {
  it.each([
    [429, { 'Retry-After': '120' }, 'http-4xx', true, 120_000],
    [503, { 'Retry-After': '30' }, 'http-5xx', true, 30_000],
    [404, {}, 'http-4xx', false, undefined],
    [410, {}, 'http-4xx', false, undefined],
    [403, {}, 'http-4xx', false, undefined],
    [408, {}, 'http-4xx', true, undefined],
    [500, {}, 'http-5xx', true, undefined],
    [502, {}, 'http-5xx', true, undefined],
  ])('%i → %s', async (statusCode, headers, errorClass, retryable, retryAfterMs) => {
    const feed = await server((_req, res) => {
      res.writeHead(statusCode, headers);
      res.end('nope');
    });

    const error = await fetchError(client().get(feed.origin));

    expect(error).toMatchObject({ errorClass, retryable, status: statusCode, retryAfterMs });
  });

  it('parses Retry-After given as an HTTP-date', async () => {
    const feed = await server((_req, res) => {
      res.writeHead(429, { 'Retry-After': new Date(Date.now() + 60_000).toUTCString() });
      res.end();
    });

    const error = await fetchError(client().get(feed.origin));

    expect(error.retryAfterMs).toBeGreaterThan(55_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(60_000);
  });
});

describe('redirects', () => {
  /** /hop/N redirects to /hop/N-1 (relative), /hop/0 serves the feed. */
  async function chain(): Promise<TestServer> {
    return server((req, res) => {
      const n = Number(/^\/hop\/(\d+)$/.exec(req.url ?? '')?.[1]);
      if (n > 0) {
        res.writeHead(n % 2 === 0 ? 301 : 307, { Location: `/hop/${n - 1}` });
        res.end();
        return;
      }
      res.end(ATOM);
    });
  }

  it.each([1, 2, 3])('follows a chain of %i redirects and reports the final URL', async (hops) => {
    const feed = await chain();

    const outcome = await client().get(`${feed.origin}/hop/${hops}`);

    expect(outcome).toMatchObject({ status: 'ok', body: ATOM, finalUrl: `${feed.origin}/hop/0` });
  });

  it('refuses a fourth redirect without requesting its target', async () => {
    const feed = await chain();

    const error = await fetchError(client().get(`${feed.origin}/hop/4`));

    expect(error).toMatchObject({ errorClass: 'blocked', retryable: false, status: 307 });
    expect(feed.requests.map((r) => r.url)).toEqual(['/hop/4', '/hop/3', '/hop/2', '/hop/1']);
  });

  it('honours maxRedirects', async () => {
    const feed = await chain();

    const error = await fetchError(client({ maxRedirects: 0 }).get(`${feed.origin}/hop/1`));

    expect(error.errorClass).toBe('blocked');
  });

  it.each(['ftp://example.org/feed', 'file:///etc/passwd', 'javascript:alert(1)'])(
    'refuses a redirect to %s',
    async (location) => {
      const feed = await server((_req, res) => {
        res.writeHead(302, { Location: location });
        res.end();
      });

      const error = await fetchError(client().get(feed.origin));

      expect(error).toMatchObject({ errorClass: 'blocked', retryable: false });
    },
  );
});

describe('SSRF guard', () => {
  let target: TestServer;
  let target6: TestServer;

  beforeEach(async () => {
    target = await server((_req, res) => res.end('secret'));
    target6 = await server((_req, res) => res.end('secret'), '::1');
  });

  const strict = () => client({ allowPrivateNetworks: false });

  it.each([
    ['a loopback IPv4 literal', () => `http://127.0.0.1:${target.port}/`],
    ['localhost (resolved by the system resolver)', () => `http://localhost:${target.port}/`],
    ['a loopback IPv6 literal', () => `http://[::1]:${target6.port}/`],
    ['an IPv4-mapped loopback literal', () => `http://[::ffff:127.0.0.1]:${target.port}/`],
    ['a decimal-integer loopback host', () => `http://2130706433:${target.port}/`],
    ['the unspecified address (routes to this host on Linux)', () => `http://0.0.0.0:${target.port}/`],
    ['the cloud metadata address', () => 'http://169.254.169.254/latest/meta-data/'],
    ['a private literal', () => 'http://10.0.0.1/feed'],
  ])('refuses %s with allowPrivateNetworks=false, before any connection', async (_name, url) => {
    const error = await fetchError(strict().get(url()));

    expect(error).toMatchObject({ errorClass: 'blocked', retryable: false });
    expect(target.connections()).toBe(0);
    expect(target6.connections()).toBe(0);
    expect(attemptsInTest()).toEqual([]);
  });

  it.each([['10.0.0.1'], ['192.168.1.10'], ['169.254.169.254'], ['::ffff:10.0.0.1'], ['fd00::1']])(
    'refuses a name that resolves to %s, before any connection',
    async (address) => {
      const http = client({ allowPrivateNetworks: false, lookup: fakeLookup([address]) });

      const error = await fetchError(http.get('http://feeds.example.test/rss'));

      expect(error).toMatchObject({ errorClass: 'blocked', retryable: false });
      expect(error.message).toContain(address);
      expect(attemptsInTest()).toEqual([]);
    },
  );

  it('connects only to the allowed addresses of a name that resolves to several', async () => {
    const http = client({
      addressPolicy: (ip) => ip === '127.0.0.1',
      lookup: fakeLookup(['10.0.0.1', '127.0.0.1', '169.254.169.254']),
    });

    const outcome = await http.get(`http://feeds.example.test:${target.port}/`);

    expect(outcome).toMatchObject({ status: 'ok', body: 'secret' });
    expect(attemptsInTest()).toEqual(['127.0.0.1']);
  });

  it.each([
    ['the metadata address', () => 'http://169.254.169.254/latest/meta-data/'],
    ['the IPv6 metadata address', () => 'http://[fd00:ec2::254]/latest/meta-data/'],
    ['the unspecified address', () => `http://0.0.0.0:${target.port}/`],
    ['a link-local address', () => 'http://169.254.1.1/'],
  ])('refuses %s even with allowPrivateNetworks=true', async (_name, url) => {
    const error = await fetchError(client({ allowPrivateNetworks: true }).get(url()));

    expect(error.errorClass).toBe('blocked');
    expect(target.connections()).toBe(0);
    expect(attemptsInTest()).toEqual([]);
  });

  it('allows loopback with allowPrivateNetworks=true', async () => {
    const outcome = await client({ allowPrivateNetworks: true }).get(`http://localhost:${target.port}/`);

    expect(outcome).toMatchObject({ status: 'ok', body: 'secret' });
  });

  it('reports DNS failures as dns', async () => {
    const failing: LookupFunction = (hostname, _options, callback) => {
      callback(
        Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
          code: 'ENOTFOUND',
          syscall: 'getaddrinfo',
        }),
        '',
      );
    };

    const error = await fetchError(client({ lookup: failing }).get('http://no-such-feed.example.test/'));

    expect(error).toMatchObject({ errorClass: 'dns', retryable: true });
    expect(attemptsInTest()).toEqual([]);
  });

  it.each(['file:///etc/passwd', 'gopher://127.0.0.1/', 'not a url'])('refuses the URL %s', async (url) => {
    const error = await fetchError(client().get(url));

    expect(error.errorClass).toBe('blocked');
    expect(attemptsInTest()).toEqual([]);
  });
});

describe('SSRF guard on redirect hops', () => {
  // The start server plays a public host: the policy admits exactly 127.0.0.1 and otherwise is the default
  // (allowPrivateNetworks=false) one, so every other loopback/private target must be refused.
  const publicTestPolicy = (ip: string) =>
    ip === '127.0.0.1' || isAllowedAddress(ip, { allowPrivateNetworks: false });

  it.each([
    ['another loopback address', (other: TestServer) => `http://127.0.0.2:${other.port}/`],
    ['the loopback IPv6 literal', (_other: TestServer, other6: TestServer) => `http://[::1]:${other6.port}/`],
    ['the metadata address', () => 'http://169.254.169.254/latest/meta-data/iam/'],
    ['a private literal', () => 'http://10.0.0.1/'],
    ['a name resolving to a private address', () => 'http://intranet.example.test/'],
  ])('refuses a redirect to %s before connecting to it', async (_name, location) => {
    const other = await server((_req, res) => res.end('secret'), '127.0.0.2');
    const other6 = await server((_req, res) => res.end('secret'), '::1');
    const start = await server((_req, res) => {
      res.writeHead(302, { Location: location(other, other6) });
      res.end();
    });
    const resolveIntranet: LookupFunction = (hostname, options, callback) =>
      fakeLookup([hostname === 'intranet.example.test' ? '10.1.2.3' : '127.0.0.1'])(
        hostname,
        options,
        callback,
      );
    const http = client({
      allowPrivateNetworks: false,
      addressPolicy: publicTestPolicy,
      lookup: resolveIntranet,
    });

    const error = await fetchError(http.get(`${start.origin}/feed`));

    expect(error).toMatchObject({ errorClass: 'blocked', retryable: false });
    expect(start.requests).toHaveLength(1);
    expect(other.connections()).toBe(0);
    expect(other6.connections()).toBe(0);
    expect(attemptsInTest()).toEqual(['127.0.0.1']);
  });

  it('refuses a redirect to the metadata address with allowPrivateNetworks=true', async () => {
    const start = await server((_req, res) => {
      res.writeHead(301, { Location: 'http://169.254.169.254/latest/meta-data/' });
      res.end();
    });

    const error = await fetchError(client({ allowPrivateNetworks: true }).get(start.origin));

    expect(error.errorClass).toBe('blocked');
    expect(attemptsInTest()).toEqual(['127.0.0.1']);
  });
});

describe('connection failures', () => {
  it('reports a refused connection as connect', async () => {
    const closed = await startServer(() => {});
    await closed.close();

    const error = await fetchError(client().get(closed.origin));

    expect(error).toMatchObject({ errorClass: 'connect', retryable: true });
  });

  it('reports a reset connection as connect', async () => {
    const feed = await server((req) => req.socket.destroy());

    const error = await fetchError(client().get(feed.origin));

    expect(error.errorClass).toBe('connect');
  });
});
