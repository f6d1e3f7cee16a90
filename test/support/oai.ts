// OAI-PMH fixtures (test/fixtures/feeds/oai/, written by us from the OAI-PMH 2.0 and arXivRaw schemas) with
// their dates derived from the test's clock, and a loopback OAI-PMH repository that serves them by
// resumptionToken, recording every request.
import { readFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';

export const OAI_FIXTURES = resolve(import.meta.dirname, '../fixtures/feeds/oai');

const DAY_MS = 86_400_000;

/** Day 0 of the fixtures: UTC midnight 20 days before `now`, so every date is in the past. */
export function oaiDay0(now: Date): Date {
  return new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS - 20 * DAY_MS);
}

/** Day `n` of the fixtures at 10:00 UTC, as `Date`. */
export function oaiDate(now: Date, n: number): Date {
  return new Date(oaiDay0(now).getTime() + n * DAY_MS + 10 * 3_600_000);
}

/** `2611` for a day in November 2026: a new-style arXiv id's month. */
export function oaiYymm(now: Date, n: number): string {
  return oaiDate(now, n).toISOString().slice(2, 7).replace('-', '');
}

/**
 * Fills a fixture's placeholders: `{{now}}` (ISO), `{{date:N}}` (day N at 10:00 UTC as arXivRaw writes it:
 * `Mon, 2 Nov 2026 10:00:00 GMT`), `{{day:N}}` (YYYY-MM-DD) and `{{yymm:N}}` (an arXiv id's month).
 */
export function renderOai(template: string, now: Date): string {
  return template.replace(/\{\{(now|date|day|yymm)(?::(-?\d+))?\}\}/g, (_, kind: string, n?: string) => {
    const at = oaiDate(now, Number(n ?? 0));
    if (kind === 'now') return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
    if (kind === 'date') return at.toUTCString();
    if (kind === 'day') return at.toISOString().slice(0, 10);
    return oaiYymm(now, Number(n ?? 0));
  });
}

export function oaiFixture(name: string, now: Date): string {
  return renderOai(readFileSync(resolve(OAI_FIXTURES, name), 'utf8'), now);
}

export interface OaiRequest {
  params: URLSearchParams;
  status: number;
}

export interface OaiServer {
  base: string;
  requests: OaiRequest[];
  /** The next request for this key (`first` or a resumptionToken) answers 503 with `Retry-After: seconds`. */
  busyOnce(key: string, seconds: number): void;
  /** Requests for this key are held unanswered until `release()` (the worker can be killed meanwhile). */
  hold(key: string): { reached: Promise<void>; release: () => void };
  close(): Promise<void>;
}

/**
 * Serves the three-page arXivRaw sequence: the first request (metadataPrefix=arXivRaw, set, from) gets page 1,
 * `7391830|3` page 2, `7391830|6` page 3; any other token gets badResumptionToken, a request without
 * metadataPrefix or token gets badArgument, and a set other than `cs` gets noRecordsMatch.
 */
export async function startOaiServer(now: Date): Promise<OaiServer> {
  const pages = new Map([
    ['first', oaiFixture('list-records-page-1.xml', now)],
    ['7391830|3', oaiFixture('list-records-page-2.xml', now)],
    ['7391830|6', oaiFixture('list-records-page-3.xml', now)],
  ]);
  const requests: OaiRequest[] = [];
  const busy = new Map<string, number>();
  const held = new Map<string, { reached: () => void; waiting: ServerResponse[]; released: boolean }>();
  const xml = (res: ServerResponse, body: string) => {
    res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' }).end(body);
  };
  const answer = (key: string, params: URLSearchParams, res: ServerResponse): number => {
    const retry = busy.get(key);
    if (retry !== undefined) {
      busy.delete(key);
      res.writeHead(503, { 'retry-after': String(retry), 'content-type': 'text/plain' }).end('busy');
      return 503;
    }
    if (params.get('verb') !== 'ListRecords') {
      res.writeHead(400).end();
      return 400;
    }
    if (key === 'first' && params.get('set') !== 'cs') xml(res, oaiFixture('no-records-match.xml', now));
    else if (key === 'invalid') xml(res, oaiFixture('bad-argument.xml', now));
    else xml(res, pages.get(key) ?? oaiFixture('bad-resumption-token.xml', now));
    return 200;
  };
  const server: Server = createServer((req, res) => {
    const params = new URL(req.url ?? '/', 'http://x').searchParams;
    const token = params.get('resumptionToken');
    const key = token ?? (params.get('metadataPrefix') === null ? 'invalid' : 'first');
    const hold = held.get(key);
    if (hold && !hold.released) {
      hold.waiting.push(res);
      hold.reached();
      requests.push({ params, status: 0 });
      return;
    }
    requests.push({ params, status: answer(key, params, res) });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}/oai2`,
    requests,
    busyOnce: (key, seconds) => busy.set(key, seconds),
    hold(key) {
      let reached!: () => void;
      const promise = new Promise<void>((r) => {
        reached = r;
      });
      const entry = { reached, waiting: [] as ServerResponse[], released: false };
      held.set(key, entry);
      return {
        reached: promise,
        release: () => {
          entry.released = true;
          // A held request's client is gone (killed): its socket is simply closed.
          for (const res of entry.waiting) res.destroy();
        },
      };
    },
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
