// A loopback HTTP server that serves feed bodies with ETag / Last-Modified and answers conditional GETs
// with 304, recording every request. With `gzip: true` it also answers `Accept-Encoding: gzip` with a body
// compressed once, when the feed is set (the benchmark serves its corpus this way).
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

export interface ServedFeed {
  body: string;
  contentType: string;
}

export interface FeedServer {
  url(path: string): string;
  set(path: string, feed: ServedFeed): void;
  requests: { path: string; status: number; headers: IncomingMessage['headers'] }[];
  close(): Promise<void>;
}

export interface FeedServerOptions {
  /** Serve gzip to clients that accept it. */
  gzip?: boolean;
}

export async function startFeedServer(options: FeedServerOptions = {}): Promise<FeedServer> {
  const feeds = new Map<string, ServedFeed & { etag: string; lastModified: string; gzipped?: Buffer }>();
  const requests: FeedServer['requests'] = [];
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const feed = feeds.get(path);
    let status = 404;
    if (!feed) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    } else if (req.headers['if-none-match'] === feed.etag) {
      status = 304;
      res.writeHead(304, { etag: feed.etag, 'last-modified': feed.lastModified }).end();
    } else {
      status = 200;
      const gzip = feed.gzipped && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
      res
        .writeHead(200, {
          'content-type': feed.contentType,
          etag: feed.etag,
          'last-modified': feed.lastModified,
          ...(gzip ? { 'content-encoding': 'gzip', vary: 'accept-encoding' } : {}),
        })
        .end(gzip ? feed.gzipped : feed.body);
    }
    requests.push({ path, status, headers: req.headers });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    set: (path, feed) => {
      const etag = `"${createHash('sha256').update(feed.body).digest('hex').slice(0, 16)}"`;
      feeds.set(path, {
        ...feed,
        etag,
        lastModified: new Date().toUTCString(),
        ...(options.gzip ? { gzipped: gzipSync(feed.body) } : {}),
      });
    },
    requests,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
