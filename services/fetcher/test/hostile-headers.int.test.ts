// Response header names a hostile feed server may send: `$` and `.` are legal in HTTP header names, but
// FerretDB refuses such document keys (and MongoDB reads them as operators or paths). Found by
// `npm run test:resilience` (bad input, `$` and `.` in field names): every fetch of such a feed failed as
// an internal error. The feed is stored, and the archived headers leave those names out (`storableHeaders`,
// unit-tested in shared/ingest).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FeedServer, serve, startFeedServer } from './support/feed-server.ts';
import { papers, RSS_TYPE, rss } from './support/feeds.ts';
import { type FetcherHarness, startHarness } from './support/harness.ts';

let h: FetcherHarness;
let server: FeedServer;

beforeAll(async () => {
  server = await startFeedServer();
  h = await startHarness('fetcher-hostile-headers', { logLevel: 'fatal' });
});

afterAll(async () => {
  await h?.close();
  await server?.close();
});

describe('response header names with $ and .', () => {
  it('stores the feed and archives the payload without those headers', async () => {
    const url = server.route(
      '/dollar-headers',
      serve(rss('hostile headers', papers('hostile-headers', 2)), {
        'content-type': RSS_TYPE,
        $where: 'sleep(1000)',
        'x.y': 'dotted',
        'x-ok': 'kept',
      }),
    );
    const feed = await h.addFeed({ url, kind: 'rss' });

    const result = await h.fetchOnce(feed._id);

    expect(result).toMatchObject({ outcome: 'stored', newObservations: 2 });
    expect((await h.feed(feed._id)).health.status).toBe('ok');
    const [payload] = await h.payloadsOf(feed._id);
    expect(payload?.headers).toMatchObject({ 'content-type': RSS_TYPE, 'x-ok': 'kept' });
    expect(Object.keys(payload?.headers ?? {}).filter((k) => k.startsWith('$') || k.includes('.'))).toEqual(
      [],
    );
  });
});
