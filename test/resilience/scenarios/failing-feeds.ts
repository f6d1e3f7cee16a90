// 1,000 feeds (200 in the CI subset) registered through the feed registry, so each gets its job scheduler
// and its first scheduled run at once; 10% of them fail in ten assorted ways (404, 500, 429 with a long
// Retry-After, never answering, connection reset, connection refused, a non-feed body, a body over the
// size cap, a redirect loop, a redirect to the metadata address). Two fetcher processes. End state: every
// healthy feed fetched once by its scheduled run and its entry stored; every failing feed has a classified
// lastError; nothing crashed.
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FEED_ERROR_CLASSES, type Feed } from '@paperwire/core';
import { feedRegistry } from '@paperwire/runtime';
import { freePort } from '../../../infra/local/src/redis.ts';
import {
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

const MODES = [
  '404',
  '500',
  '429',
  'hang',
  'reset',
  'refused',
  'not-a-feed',
  'too-large',
  'redirect-loop',
  'redirect-metadata',
] as const;
type Mode = (typeof MODES)[number];
const MAX_BODY = 1024 * 1024;

const item = (i: number) => {
  const id = `2611.${String(50_000 + i).padStart(5, '0')}`;
  return `<item><title>Healthy feed ${i} paper</title><link>https://arxiv.org/abs/${id}v1</link>
<guid isPermaLink="false">healthy-${i}</guid><pubDate>${new Date(Date.UTC(2026, 10, 1 + (i % 27))).toUTCString()}</pubDate></item>`;
};
const rss = (i: number) =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>Healthy ${i}</title><link>http://127.0.0.1/</link><description>d</description>${item(i)}</channel></rss>`;

export const failingFeeds: Scenario = {
  name: 'failing-feeds',
  ci: true,
  async run({ options, secrets, sink, cleanup, dir, say }) {
    const t0 = Date.now();
    const total = options.ci ? 200 : 1000;
    const failing = total / 10;
    const redis = await startOwnRedis(dir, secrets.redisPassword, cleanup);
    const ferret = await startOwnFerret(dir, cleanup);
    const prefix = uniq('failing');
    const mongoUri = ferret.uri('pw_failing');
    const hits = new Map<string, number>();
    const server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0]!;
      hits.set(path, (hits.get(path) ?? 0) + 1);
      const [, group, mode, n] = path.split('/');
      if (group === 'ok') {
        res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(Number(mode)));
        return;
      }
      switch (mode as Mode) {
        case '404':
          return void res.writeHead(404).end('gone');
        case '500':
          return void res.writeHead(500).end('oops');
        case '429':
          return void res.writeHead(429, { 'retry-after': '3600' }).end('slow down');
        case 'hang':
          return; // never answers
        case 'reset':
          return void req.socket.destroy();
        case 'not-a-feed':
          return void res
            .writeHead(200, { 'content-type': 'text/html' })
            .end('<html><body>Login</body></html>');
        case 'too-large':
          return void res
            .writeHead(200, { 'content-type': 'application/rss+xml' })
            .end('<rss>'.padEnd(2 * MAX_BODY, ' '));
        case 'redirect-loop':
          return void res.writeHead(302, { location: `/fail/redirect-loop/${n}` }).end();
        case 'redirect-metadata':
          return void res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
        default:
          return void res.writeHead(400).end();
      }
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    cleanup.add('failing feeds server', async () => {
      server.closeAllConnections();
      server.close();
    });
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // Each 429 feed on a host (port) of its own: a 429 pauses every request to its host for Retry-After
    // (politeness.ts), which must hold back neither the healthy feeds nor the next 429 feed.
    const busyOrigin = async () => {
      const busy = createServer((req, res) => server.emit('request', req, res));
      busy.listen(0, '127.0.0.1');
      await once(busy, 'listening');
      cleanup.add('busy feed server', async () => {
        busy.closeAllConnections();
        busy.close();
      });
      return `http://127.0.0.1:${(busy.address() as AddressInfo).port}`;
    };
    const closedPort = await freePort();

    const env = pipelineEnv(mongoUri, redis.url, prefix, dir, secrets, {
      FETCH_TOTAL_TIMEOUT_MS: '5000',
      FETCH_MAX_BODY_BYTES: String(MAX_BODY),
    });
    const rt = await runnerRuntime(mongoUri, redis.url, prefix, sink, cleanup);
    const db = await mongoDb(mongoUri, cleanup);
    const fetchers = [
      await spawnCli('fetcher-a', ['start', '--only', 'fetcher'], env, sink, cleanup, READY),
      await spawnCli('fetcher-b', ['start', '--only', 'fetcher'], env, sink, cleanup, READY),
    ];
    // Failing feeds are spread over the list, so healthy ones queue behind them.
    const registry = feedRegistry(rt.db, rt.queues);
    const modeOf = new Map<string, Mode>();
    const healthy: string[] = [];
    const tRegister = Date.now();
    for (let i = 0; i < total; i++) {
      const mode = i % 10 === 0 ? MODES[(i / 10) % MODES.length]! : undefined;
      const url = !mode
        ? `${origin}/ok/${i}.xml`
        : mode === 'refused'
          ? `http://127.0.0.1:${closedPort}/fail/refused/${i}`
          : `${mode === '429' ? await busyOrigin() : origin}/fail/${mode}/${i}`;
      const feed: Feed = await registry.add({ url, kind: 'rss', intervalMinutes: 60 }, new Date());
      if (mode) modeOf.set(feed._id, mode);
      else healthy.push(feed._id);
    }
    say(`${total} feeds registered in ${((Date.now() - tRegister) / 1000).toFixed(0)} s`);

    const healthyDone = async () => {
      const feeds = (await db
        .collection('feeds')
        .find({}, { projection: { state: 1, health: 1 } })
        .toArray()) as unknown as Feed[];
      return feeds;
    };
    let feeds: Feed[] = [];
    await waitUntil(
      'every healthy feed fetched and every failing one classified',
      async () => {
        feeds = await healthyDone();
        const ok = feeds.filter((f) => !modeOf.has(f._id) && f.state.lastSuccessAt).length;
        const classified = feeds.filter((f) => modeOf.has(f._id) && f.health.lastError).length;
        return (
          (ok === healthy.length && classified === failing) ||
          `healthy ${ok}/${healthy.length}, failing classified ${classified}/${failing}`
        );
      },
      900_000,
      1_000,
    );
    const tDone = (Date.now() - tRegister) / 1000;
    const classes = new Map<string, number>();
    let unclassified = 0;
    for (const f of feeds) {
      const mode = modeOf.get(f._id);
      if (!mode) continue;
      const cls = f.health.lastError?.errorClass;
      if (!cls || !(FEED_ERROR_CLASSES as readonly string[]).includes(cls)) unclassified++;
      const k = `${mode}→${cls}`;
      classes.set(k, (classes.get(k) ?? 0) + 1);
    }
    const healthyIds = new Set(healthy);
    const good = feeds.filter((f) => healthyIds.has(f._id) && f.health.status === 'ok').length;
    // On schedule: each healthy feed's first scheduled run fetched it, once, and set its next poll ~1 h on.
    const refetched = [...hits].filter(([p, n]) => p.startsWith('/ok/') && n > 1).length;
    const scheduledNext = feeds.filter(
      (f) =>
        healthyIds.has(f._id) &&
        Date.parse(f.state.nextCheckAt ?? '') - Date.parse(f.state.lastSuccessAt ?? '') >= 55 * 60_000,
    ).length;
    const observations = await db.collection('observations').countDocuments({});
    const alive = fetchers.every((p) => !exited(p.child));
    for (const p of fetchers) await p.stop();
    const survived = good + (failing - unclassified);
    return [
      {
        class: `${total} feeds, 10% failing in ${MODES.length} ways`,
        tried: total,
        survived: alive && scheduledNext === healthy.length ? survived : 0,
        expected: healthy.length,
        stored: observations,
        duplicated: refetched + Math.max(0, observations - healthy.length),
        lost: Math.max(0, healthy.length - observations),
        notes:
          `entries of healthy feeds expected/stored; all healthy fetched by their first scheduled run in ${tDone.toFixed(0)} s, ` +
          `next poll ~1 h on for ${scheduledNext}/${healthy.length}; failing → errorClass: ${[...classes].map(([k, n]) => `${k} ${n}`).join(', ')}` +
          `${alive ? '' : '; A FETCHER EXITED'}`,
        seconds: (Date.now() - t0) / 1000,
      },
    ];
  },
};
