// Graceful shutdown mid-batch: SIGTERM to a fetcher+resolver process while fetch and resolve jobs are
// active. It must exit 143 with nothing left active (an active job without a live worker is what the next
// start would find stalled). A new process then finishes the ingest, and no job is ever reported stalled
// (QueueEvents `stalled`, watched from before the SIGTERM to the end). End state: the expected set.
import { QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import {
  compare,
  comparisonNotes,
  comparisonOk,
  fetchAll,
  registerFeeds,
  servedCorpus,
} from '../corpus-truth.ts';
import { drainedOrNote, failedCounts } from '../pipeline.ts';
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

export const gracefulShutdown: Scenario = {
  name: 'graceful-shutdown',
  ci: true,
  async run({ options, secrets, sink, cleanup, dir, say }) {
    const t0 = Date.now();
    const redis = await startOwnRedis(dir, secrets.redisPassword, cleanup);
    const ferret = await startOwnFerret(dir, cleanup);
    const prefix = uniq('graceful');
    const mongoUri = ferret.uri('pw_graceful');
    const env = pipelineEnv(mongoUri, redis.url, prefix, dir, secrets);
    const truth = await servedCorpus(
      options.seed + 7,
      Math.max(200, Math.round(options.entries / 5)),
      sink,
      cleanup,
    );
    const rt = await runnerRuntime(mongoUri, redis.url, prefix, sink, cleanup);
    const db = await mongoDb(mongoUri, cleanup);
    await registerFeeds(rt, truth);

    const stalled: string[] = [];
    for (const name of ['fetch', 'resolve'] as const) {
      const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
      const events = new QueueEvents(name, { connection, prefix });
      events.on('stalled', ({ jobId }) => stalled.push(`${name}:${jobId}`));
      events.on('error', () => {});
      await events.waitUntilReady();
      cleanup.add(`queue events ${name}`, async () => {
        await events.close();
        connection.disconnect();
      });
    }

    const first = await spawnCli(
      'pipeline-1',
      ['start', '--only', 'fetcher,resolver'],
      env,
      sink,
      cleanup,
      READY,
    );
    await fetchAll(rt, truth);
    let at = '';
    await waitUntil(
      'resolve jobs active',
      async () => {
        const active = await rt.queues.byName.resolve.getActiveCount();
        at = `resolve active ${active}, fetch active ${await rt.queues.byName.fetch.getActiveCount()}`;
        return active > 0 || at;
      },
      300_000,
      20,
    );
    const tStop = Date.now();
    const code = await first.stop('SIGTERM');
    const stopS = (Date.now() - tStop) / 1000;
    const activeAfter =
      (await rt.queues.byName.fetch.getActiveCount()) + (await rt.queues.byName.resolve.getActiveCount());
    say(`SIGTERM at ${at}: exit ${code} after ${stopS.toFixed(1)} s; ${activeAfter} jobs left active`);

    const second = await spawnCli(
      'pipeline-2',
      ['start', '--only', 'fetcher,resolver'],
      env,
      sink,
      cleanup,
      READY,
    );
    const drained = await drainedOrNote(rt, 600_000, ['fetch', 'resolve']);
    const c = await compare(db, truth);
    const failed = await failedCounts(rt, ['fetch', 'resolve']);
    const code2 = await second.stop('SIGTERM');
    const ok =
      drained === '' &&
      code === 143 &&
      code2 === 143 &&
      activeAfter === 0 &&
      stalled.length === 0 &&
      comparisonOk(c) &&
      failed.fetch === 0 &&
      failed.resolve === 0;
    return [
      {
        class: 'graceful shutdown mid-batch, then restart',
        tried: 1,
        survived: ok ? 1 : 0,
        expected: c.expected,
        stored: c.stored,
        duplicated: c.duplicated,
        lost: c.lost,
        notes:
          `${drained}SIGTERM at ${at}: exit ${code} after ${stopS.toFixed(1)} s, ${activeAfter} left active; ` +
          `stalled at the next start: ${stalled.length ? stalled.join(',') : 'none'}; ${comparisonNotes(c)}; ` +
          `failed fetch ${failed.fetch}, resolve ${failed.resolve}; second exit ${code2}`,
        seconds: (Date.now() - t0) / 1000,
      },
    ];
  },
};
