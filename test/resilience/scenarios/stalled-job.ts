// A stalled job: a fetcher process is frozen (SIGSTOP) while its fetch is in flight, so it stops renewing
// the job's lock. Another fetcher process, started after the freeze, finds the job stalled once the lock
// expires, runs it and completes it. Then the frozen process is resumed (SIGCONT) and finishes its stale
// attempt, which BullMQ must refuse to complete a second time. End state: the job completed once, the
// feed's entries stored once, nothing failed.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { feedRegistry } from '@paperwire/runtime';
import { failedCounts, waitDrained } from '../pipeline.ts';
import {
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

const ITEMS = 5;

function rss(): string {
  const items = Array.from({ length: ITEMS }, (_, i) => {
    const id = `2612.${String(40_100 + i).padStart(5, '0')}`;
    return `<item><title>Stalled lock paper ${i} Quorvex</title><link>https://arxiv.org/abs/${id}v1</link>
  <guid isPermaLink="false">stalled-${i}</guid><pubDate>${new Date(Date.UTC(2026, 10, 20 + i)).toUTCString()}</pubDate>
  <description>Stalled.</description></item>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Stalled</title>
<link>http://127.0.0.1/</link><description>s</description>${items.join('\n')}</channel></rss>`;
}

export const stalledJob: Scenario = {
  name: 'stalled-job',
  ci: true,
  async run({ secrets, sink, cleanup, dir, say }) {
    const t0 = Date.now();
    const redis = await startOwnRedis(dir, secrets.redisPassword, cleanup);
    const ferret = await startOwnFerret(dir, cleanup);
    const prefix = uniq('stalled');
    const mongoUri = ferret.uri('pw_stalled');
    // The first request is held until released; later ones are answered at once.
    const held: ServerResponse[] = [];
    let requests = 0;
    const server = createServer((_req: IncomingMessage, res: ServerResponse) => {
      requests++;
      if (requests === 1) held.push(res);
      else res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss());
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    cleanup.add('stalled feed server', async () => {
      server.closeAllConnections();
      server.close();
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/stalled.rss`;
    const env = pipelineEnv(mongoUri, redis.url, prefix, dir, secrets, {
      FETCH_CONCURRENCY: '1',
      FETCH_TOTAL_TIMEOUT_MS: '10000',
    });
    const rt = await runnerRuntime(mongoUri, redis.url, prefix, sink, cleanup);
    const db = await mongoDb(mongoUri, cleanup);
    const feed = await feedRegistry(rt.db, rt.queues).add(
      { url, kind: 'rss', intervalMinutes: 1440 },
      new Date(),
    );
    // The registry's job scheduler would fetch at once; this scenario enqueues its own job.
    await rt.queues.byName.fetch.removeJobScheduler(`feed.${feed._id}`);
    await rt.queues.byName.fetch.obliterate({ force: true });

    const frozen = await spawnCli(
      'fetcher-frozen',
      ['start', '--only', 'fetcher'],
      env,
      sink,
      cleanup,
      READY,
    );
    const resolver = await spawnCli('resolver', ['start', '--only', 'resolver'], env, sink, cleanup, READY);
    const jobId = 'stalled.fetch';
    await rt.queues.enqueue('fetch-feed', { feedId: feed._id, reason: 'manual' }, { jobId });
    await waitUntil('the request in flight', () => held.length === 1 || `requests ${requests}`, 60_000, 50);
    frozen.child.kill('SIGSTOP');
    cleanup.add('resume frozen', async () => frozen.child.kill('SIGCONT'));
    say('fetcher frozen mid-fetch; starting another');
    const other = await spawnCli('fetcher-other', ['start', '--only', 'fetcher'], env, sink, cleanup, READY);
    const job = async () => (await rt.queues.byName.fetch.getJob(jobId))!;
    await waitUntil(
      'the other fetcher to complete the job',
      async () => (await (await job()).isCompleted()) || `state ${await (await job()).getState()}`,
      300_000,
      500,
    );
    const tookOver = (Date.now() - t0) / 1000;
    say(`job completed by the other fetcher after ${tookOver.toFixed(0)} s`);
    // Resume the frozen process with its (now stale) request answered.
    for (const res of held) res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss());
    const before = frozen.output().length;
    frozen.child.kill('SIGCONT');
    await waitUntil(
      'the resumed fetcher to finish its stale attempt',
      () => frozen.output().length > before || 'quiet',
      60_000,
      250,
    ).catch(() => {});
    await waitDrained(rt, 300_000, ['fetch', 'resolve']);
    const state = await (await job()).getState();
    const failed = await failedCounts(rt, ['fetch', 'resolve']);
    const observations = await db.collection('observations').countDocuments({});
    const papers = await db.collection('papers').countDocuments({ mergedInto: { $exists: false } });
    const storedBy = [frozen, other].filter((p) => p.output().includes('fetcher: feed stored')).length;
    const ok =
      state === 'completed' &&
      failed.fetch === 0 &&
      failed.resolve === 0 &&
      observations === ITEMS &&
      papers === ITEMS;
    for (const p of [frozen, other, resolver]) await p.stop();
    return [
      {
        class: 'stalled job (lock lost) taken over by another worker',
        tried: 1,
        survived: ok ? 1 : 0,
        expected: ITEMS,
        stored: papers,
        duplicated: Math.max(0, observations - ITEMS) + Math.max(0, papers - ITEMS),
        lost: Math.max(0, ITEMS - papers),
        notes:
          `taken over after ${tookOver.toFixed(0)} s (lock 60 s + stalled check); job ${state}; ` +
          `fetcher processes that ran the handler: ${storedBy}; observations ${observations}; ` +
          `failed fetch ${failed.fetch}, resolve ${failed.resolve}; feed requests ${requests}`,
        seconds: (Date.now() - t0) / 1000,
      },
    ];
  },
};
