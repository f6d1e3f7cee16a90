// A loopback HTTP server for feed tests: routes by path, records every request (path, headers, arrival time)
// and can be told per route how to answer. Listens on 127.0.0.1 only.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

export interface RecordedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  /** performance.now() when the request's headers arrived. */
  at: number;
}

export type Route = (req: IncomingMessage, res: ServerResponse) => void;

export interface FeedServer {
  origin: string;
  /** Sets (or replaces) what a path answers. */
  route(path: string, handler: Route): string;
  requests: RecordedRequest[];
  requestsTo(path: string): RecordedRequest[];
  close(): Promise<void>;
}

export async function startFeedServer(): Promise<FeedServer> {
  const routes = new Map<string, Route>();
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push({ path, headers: req.headers, at: performance.now() });
    const handler = routes.get(path);
    if (handler) handler(req, res);
    else res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    route(path, handler) {
      routes.set(path, handler);
      return `${origin}${path}`;
    },
    requests,
    requestsTo: (path) => requests.filter((r) => r.path === path),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A route that answers 200 with `body` and the given headers. */
export function serve(body: string | Buffer, headers: Record<string, string>): Route {
  return (_req, res) => {
    res.writeHead(200, headers).end(body);
  };
}
