// Issue 17's reliability rows, each on servers of its own:
//  - service-pause: three arXiv feeds, two fetcher processes; one feed answers 429 with Retry-After. No
//    request reaches arXiv (any of its feeds, from either process) before the Retry-After has passed, and
//    every feed's entries are stored afterwards.
//  - shutdown-dead-deps: an all-in-one `paperwire start` and a fetcher-only one; their Redis and FerretDB
//    are killed (SIGKILL), then each process gets one SIGTERM. Each is gone within SHUTDOWN_TIMEOUT_MS, exit
//    143, its last log line naming what it could not close.
//  - huge-feed: a 30 MiB feed beside a normal one. The big body is refused (too-large, no byte of it in the
//    recorded error), nothing of it stored; the normal feed is stored as usual.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Feed } from '@paperwire/core';
import { feedRegistry } from '@paperwire/runtime';
import {
  type Cleanup,
  exited,
  mongoDb,
  pipelineEnv,
  READY,
  runnerRuntime,
  type Scenario,
  spawnCli,
  startOwnFerret,
  startOwnRedis,
  uniq,
  waitUntil,
} from '../support.ts';

/** A loopback server: `handler` per path, every request's path and arrival time recorded. */
async function loopback(
  cleanup: Cleanup,
  handler: (path: string, res: ServerResponse, req: IncomingMessage) => void,
) {
  const requests: { path: string; at: number }[] = [];
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    requests.push({ path, at: performance.now() });
    handler(path, res, req);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanup.add('loopback feed server', async () => {
    server.closeAllConnections();
    server.close();
  });
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

const arxivItem = (category: string, n: number) => {
  const id = `2612.${String(n).padStart(5, '0')}`;
  return `<item><title>${category} paper ${n}</title><link>https://arxiv.org/abs/${id}v1</link>
<description>arXiv:${id}v1 Announce Type: new Abstract: A ${category} result.</description>
<guid isPermaLink="false">oai:arXiv.org:${id}v1</guid><category>${category}</category>
<pubDate>${new Date().toUTCString()}</pubDate><dc:creator>Ada Lovelace</dc:creator></item>`;
};
const arxivRss = (category: string, first: number) =>
  `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>${category} updates on arXiv.org</title><link>http://rss.arxiv.org/rss/${category}</link>
<description>d</description>${arxivItem(category, first)}${arxivItem(category, first + 1)}</channel></rss>`;

export const servicePause: Scenario = {
  name: 'service-pause',
  ci: true,
  async run({ secrets, sink, cleanup, dir, say }) {
    const t0 = Date.now();
    const RETRY_AFTER_S = 5;
    const CATEGORIES = ['cs.DL', 'cs.IR', 'cs.NE'];
    const redis = await startOwnRedis(dir, secrets.redisPassword, cleanup);
    const ferret = await startOwnFerret(dir, cleanup);
    const prefix = uniq('pause');
    const mongoUri = ferret.uri('pw_pause');
    let limitedCalls = 0;
    let pausedAt: number | undefined;
    const server = await loopback(cleanup, (path, res) => {
      const category = path.split('/').pop()!;
      if (category === CATEGORIES[0] && ++limitedCalls === 1) {
        pausedAt = performance.now();
        res.writeHead(429, { 'retry-after': String(RETRY_AFTER_S) }).end('slow down');
        return;
      }
      const i = CATEGORIES.indexOf(category);
      if (i < 0) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(arxivRss(category, 100 + 10 * i));
    });
    const env = pipelineEnv(mongoUri, redis.url, prefix, dir, secrets, { PAUSE_DEFAULT_MS: '60000' });
    const rt = await runnerRuntime(mongoUri, redis.url, prefix, sink, cleanup);
    const db = await mongoDb(mongoUri, cleanup);
    const fetchers = [
      await spawnCli('fetcher-a', ['start', '--only', 'fetcher'], env, sink, cleanup, READY),
      await spawnCli('fetcher-b', ['start', '--only', 'fetcher'], env, sink, cleanup, READY),
    ];
    const registry = feedRegistry(rt.db, rt.queues);
    // The limited feed first: its scheduled run gets the 429; the others are registered once it has.
    const feeds: Feed[] = [
      await registry.add(
        { url: `${server.origin}/rss/${CATEGORIES[0]}`, kind: 'arxiv-rss', intervalMinutes: 60 },
        new Date(),
      ),
    ];
    await waitUntil('the 429', () => pausedAt !== undefined || 'no request yet', 60_000, 20);
    for (const category of CATEGORIES.slice(1))
      feeds.push(
        await registry.add(
          { url: `${server.origin}/rss/${category}`, kind: 'arxiv-rss', intervalMinutes: 60 },
          new Date(),
        ),
      );
    // Manual fetches too, so both processes have arXiv jobs to hold back during the pause.
    const manual: string[] = [];
    for (const f of feeds) manual.push(await registry.fetchNow(f._id, 'manual', new Date()));

    const observations = db.collection('observations');
    const expected = CATEGORIES.length * 2;
    let stored = 0;
    await waitUntil(
      'every feed stored',
      async () => {
        stored = await observations.countDocuments({ 'provenance.feedId': { $in: feeds.map((f) => f._id) } });
        // The feeds' next scheduled runs wait an hour in the delayed set; the manual fetches must be done.
        const states = await Promise.all(manual.map((id) => rt.queues.byName.fetch.getJobState(id)));
        const open = states.filter((st) => st !== 'completed' && st !== 'failed').length;
        const fetching = await rt.queues.byName.fetch.getJobCounts('active', 'waiting');
        const busy = open + fetching.active! + fetching.waiting!;
        return (stored === expected && busy === 0) || `${stored}/${expected} stored, ${busy} fetch jobs open`;
      },
      120_000,
    );
    const windowEnd = pausedAt! + RETRY_AFTER_S * 1000;
    const later = server.requests.filter((r) => r.at > pausedAt!);
    const inPause = later.filter((r) => r.at < windowEnd).length;
    const failed = await rt.queues.byName.fetch.getFailedCount();
    const storedBy = fetchers.map((p) => (p.output().match(/fetcher: feed stored/g) ?? []).length);
    const deferred = fetchers.map((p) => p.output().includes('jobs: delayed by Retry-After'));
    const alive = fetchers.every((p) => !exited(p.child));
    for (const p of fetchers) await p.stop('SIGTERM');
    say(`requests after the 429: ${later.length}, ${inPause} of them inside its ${RETRY_AFTER_S} s`);
    const ok = inPause === 0 && later.length >= CATEGORIES.length && failed === 0 && alive;
    return [
      {
        class: `429 Retry-After ${RETRY_AFTER_S} s on 1 of 3 arXiv feeds, 2 fetcher processes`,
        tried: later.length,
        survived: ok ? later.length : later.length - Math.max(1, inPause),
        expected,
        stored,
        duplicated: Math.max(0, stored - expected),
        lost: Math.max(0, expected - stored),
        notes:
          `${inPause} requests to arXiv before Retry-After (of ${later.length} after the 429); ` +
          `stored by process a/b: ${storedBy.join('/')}; the 429 job delayed by Retry-After in ` +
          `${deferred.map((d, i) => (d ? 'ab'[i] : '')).join('') || 'neither'}; failed fetch jobs ${failed}`,
        seconds: (Date.now() - t0) / 1000,
      },
    ];
  },
};

export const shutdownDeadDeps: Scenario = {
  name: 'shutdown-dead-deps',
  ci: true,
  async run({ secrets, sink, cleanup, dir, say }) {
    const t0 = Date.now();
    const TIMEOUT_MS = 15_000;
    const redis = await startOwnRedis(dir, secrets.redisPassword, cleanup);
    const ferret = await startOwnFerret(dir, cleanup);
    const prefix = uniq('deaddeps');
    const mongoUri = ferret.uri('pw_deaddeps');
    const env = pipelineEnv(mongoUri, redis.url, prefix, dir, secrets, {
      SHUTDOWN_TIMEOUT_MS: String(TIMEOUT_MS),
    });
    const procs = [
      await spawnCli(
        'all-in-one',
        ['start', '--only', 'scheduler,fetcher,resolver,scorer'],
        env,
        sink,
        cleanup,
        READY,
      ),
      await spawnCli('fetcher', ['start', '--only', 'fetcher'], env, sink, cleanup, READY),
    ];
    for (const pid of [redis.pid(), ferret.pid()]) if (pid) process.kill(pid, 'SIGKILL');
    await waitUntil(
      'Redis and FerretDB gone',
      () => [redis.pid(), ferret.pid()].every((pid) => !pid || !alive(pid)) || 'still running',
      10_000,
      50,
    );
    const tSignal = Date.now();
    const gone = procs.map((p) => once(p.child, 'exit').then(() => Date.now() - tSignal));
    for (const p of procs) p.child.kill('SIGTERM');
    // A deadline of the timeout plus 3 s for the process itself to end on a loaded machine.
    const deadline = TIMEOUT_MS + 3_000;
    const took = await Promise.all(
      gone.map((g) => Promise.race([g, new Promise<number>((r) => setTimeout(() => r(-1), deadline))])),
    );
    const results = procs.map((p, i) => {
      const last = p
        .output()
        .split('\n')
        .filter((l) => l.includes('"shutdown: exiting"'))
        .map((l) => JSON.parse(l) as { unclosed?: string[] })[0];
      return {
        name: p.name,
        ms: took[i]!,
        code: p.child.exitCode,
        unclosed: last?.unclosed,
      };
    });
    const ok = results.filter((r) => r.ms >= 0 && r.code === 143 && r.unclosed !== undefined).length;
    const notes = results
      .map(
        (r) =>
          `${r.name}: ${r.ms < 0 ? `still running after ${deadline} ms` : `exit ${r.code} after ${r.ms} ms`}, ` +
          `could not close ${r.unclosed?.length ? r.unclosed.join('+') : 'nothing'}`,
      )
      .join('; ');
    say(notes);
    return [
      {
        class: `SIGTERM with Redis and the database killed first (SHUTDOWN_TIMEOUT_MS ${TIMEOUT_MS})`,
        tried: procs.length,
        survived: ok,
        expected: null,
        stored: null,
        duplicated: 0,
        lost: 0,
        notes,
        seconds: (Date.now() - t0) / 1000,
      },
    ];
  },
};

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export const hugeFeed: Scenario = {
  name: 'huge-feed',
  ci: true,
  async run({ secrets, sink, cleanup, dir, say }) {
    const t0 = Date.now();
    const SIZE = 30 * 1024 * 1024;
    const redis = await startOwnRedis(dir, secrets.redisPassword, cleanup);
    const ferret = await startOwnFerret(dir, cleanup);
    const prefix = uniq('huge');
    const mongoUri = ferret.uri('pw_huge');
    // A well-formed feed: items until 30 MiB, each with a marker that must never show up in an error.
    const marker = 'HUGE-FEED-SECRET-BYTES';
    const item = `<item><title>${marker} paper</title><link>https://example.org/p</link><guid>g</guid></item>`;
    const huge = Buffer.from(
      `<?xml version="1.0"?><rss version="2.0"><channel><title>${marker}</title>${item.repeat(Math.ceil(SIZE / item.length))}</channel></rss>`,
    );
    const server = await loopback(cleanup, (path, res) => {
      if (path === '/huge.xml') res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(huge);
      else res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(arxivRss('cs.CL', 900));
    });
    const env = pipelineEnv(mongoUri, redis.url, prefix, dir, secrets);
    const rt = await runnerRuntime(mongoUri, redis.url, prefix, sink, cleanup);
    const db = await mongoDb(mongoUri, cleanup);
    const fetcher = await spawnCli('fetcher', ['start', '--only', 'fetcher'], env, sink, cleanup, READY);
    const registry = feedRegistry(rt.db, rt.queues);
    const big = await registry.add(
      { url: `${server.origin}/huge.xml`, kind: 'rss', intervalMinutes: 60 },
      new Date(),
    );
    const normal = await registry.add(
      { url: `${server.origin}/normal.xml`, kind: 'rss', intervalMinutes: 60 },
      new Date(),
    );

    let bigFeed: Feed | undefined;
    await waitUntil(
      'the big feed failed and the normal one stored',
      async () => {
        bigFeed = await rt.db.feeds.get(big._id);
        const n = await rt.db.feeds.get(normal._id);
        return (bigFeed?.health.lastError !== undefined && n?.health.status === 'ok') || 'not yet';
      },
      180_000,
    );
    const error = bigFeed!.health.lastError!;
    const leaked = error.message.includes(marker) || fetcher.output().includes(marker);
    const bigPayloads = await db.collection('payloads').countDocuments({ feedId: big._id });
    const bigObs = await db.collection('observations').countDocuments({ 'provenance.feedId': big._id });
    const normalObs = await db.collection('observations').countDocuments({ 'provenance.feedId': normal._id });
    const alive = !exited(fetcher.child);
    await fetcher.stop('SIGTERM');
    const refused = error.errorClass === 'too-large' && bigPayloads === 0 && bigObs === 0;
    say(`big feed: ${error.errorClass}; normal feed: ${normalObs} entries stored; leaked: ${leaked}`);
    return [
      {
        class: 'a 30 MiB feed beside a normal one (FETCH_MAX_BODY_BYTES default)',
        tried: 2,
        survived: (refused && !leaked ? 1 : 0) + (normalObs === 2 && alive ? 1 : 0),
        expected: 2,
        stored: normalObs,
        duplicated: 0,
        lost: Math.max(0, 2 - normalObs),
        notes:
          `30 MiB feed refused: ${error.errorClass}, ${bigPayloads} payloads and ${bigObs} observations stored, ` +
          `its bytes ${leaked ? 'LEAKED into an error or log' : 'in no error or log line'}; normal feed ${normalObs}/2 entries; ` +
          `fetcher ${alive ? 'still running' : 'DIED'}`,
        seconds: (Date.now() - t0) / 1000,
      },
    ];
  },
};
