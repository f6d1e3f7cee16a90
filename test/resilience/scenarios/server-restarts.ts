// Redis, then FerretDB, stopped and started again (same port, same data) in the middle of an ingest, while
// a fetcher process and a resolver+scorer process keep running. Each row: the processes were never
// restarted (same pids, still running), a probe job (a fetch of an unknown feed: one Redis round trip
// and one database read) completed after the restart — the time it took is the reconnect time — and the
// ingest then finished with exactly the expected papers and sightings.
import type { Runtime } from '@paperwire/runtime';
import type { Db } from 'mongodb';
import {
  type Comparison,
  compare,
  comparisonNotes,
  comparisonOk,
  fetchAll,
  registerFeeds,
  servedCorpus,
  type Truth,
} from '../corpus-truth.ts';
import { drainedOrNote, failedCounts, failedReasons } from '../pipeline.ts';
import {
  exited,
  mongoDb,
  type Proc,
  pipelineEnv,
  READY,
  type Row,
  runnerRuntime,
  type Scenario,
  type ScenarioContext,
  spawnCli,
  startOwnFerret,
  startOwnRedis,
  uniq,
  waitUntil,
} from '../support.ts';

/** The requirement: workers are back at work within this long after the server is. */
const RECONNECT_LIMIT_S = 30;
const DOWN_MS = 3_000;

/** Enqueues a fetch of a feed that does not exist until it is accepted, then waits for it to complete. */
async function probe(rt: Runtime, tag: string, timeoutMs: number): Promise<void> {
  const jobId = `probe.${tag}`;
  await waitUntil(
    `probe ${tag} completed`,
    async () => {
      const job = await rt.queues.byName.fetch.getJob(jobId);
      if (!job) {
        await rt.queues.enqueue('fetch-feed', { feedId: `probe-${tag}`, reason: 'manual' }, { jobId });
        return 'enqueued';
      }
      return (await job.isCompleted()) || `state ${await job.getState()}`;
    },
    timeoutMs,
    100,
  );
}

async function restartRow(
  ctx: ScenarioContext,
  which: 'Redis' | 'FerretDB',
  server: { stop(): Promise<void>; start(): Promise<void> },
  rt: Runtime,
  db: Db,
  truth: Truth,
  procs: Proc[],
): Promise<Row> {
  const t0 = Date.now();
  const pids = procs.map((p) => p.child.pid);
  await fetchAll(rt, truth);
  // Mid-run: some of the corpus resolved, not all of it.
  let at = '';
  await waitUntil(
    'a third of the papers',
    async () => {
      const papers = await db.collection('papers').countDocuments({});
      at = `${papers}/${truth.corpus.papers} papers`;
      return papers >= truth.corpus.papers / 3 || at;
    },
    600_000,
    100,
  );
  ctx.say(`stopping ${which} at ${at}`);
  await server.stop();
  await new Promise((r) => setTimeout(r, DOWN_MS));
  await server.start();
  const back = Date.now();
  await probe(rt, `${which.toLowerCase()}-${back}`, 300_000);
  const reconnectS = (Date.now() - back) / 1000;
  ctx.say(`${which} back; probe job done after ${reconnectS.toFixed(1)} s`);
  const drained = await drainedOrNote(rt, 420_000, ['fetch', 'resolve']);
  const c: Comparison = await compare(db, truth);
  const failed = await failedCounts(rt, ['fetch', 'resolve']);
  const nFailed = failed.fetch! + failed.resolve!;
  const alive = procs.every((p, i) => !exited(p.child) && p.child.pid === pids[i]);
  const said = which === 'Redis' ? 'redis: reconnected' : 'db: reconnected';
  const reconnected = procs.filter((p) => p.output().includes(said)).map((p) => p.name);
  const ok = comparisonOk(c) && nFailed === 0 && alive && drained === '';
  return {
    class: `${which} stopped ${DOWN_MS / 1000} s and restarted mid-ingest`,
    tried: 1,
    survived: ok ? 1 : 0,
    expected: c.expected,
    stored: c.stored,
    duplicated: c.duplicated,
    lost: c.lost,
    notes:
      `${drained}stopped at ${at}; workers back ${reconnectS.toFixed(1)} s after the restart ` +
      `(${reconnectS <= RECONNECT_LIMIT_S ? `within ${RECONNECT_LIMIT_S} s` : `OVER ${RECONNECT_LIMIT_S} s`}); ` +
      `${alive ? 'no process restarted' : 'A PROCESS EXITED'}; "${said}" logged by ${reconnected.join(', ') || 'none'}; ${comparisonNotes(c)}; failed jobs ${nFailed}` +
      (nFailed ? ` (${await failedReasons(rt, ['fetch', 'resolve'])})` : ''),
    seconds: (Date.now() - t0) / 1000,
  };
}

export const serverRestarts: Scenario = {
  name: 'server-restarts',
  ci: true,
  async run(ctx) {
    const { options, secrets, sink, cleanup, dir } = ctx;
    const rows: Row[] = [];
    const redis = await startOwnRedis(dir, secrets.redisPassword, cleanup);
    const ferret = await startOwnFerret(dir, cleanup);
    // Two corpora (one per restart) of a fifth of the run's size each, in databases of their own.
    const entries = Math.max(200, Math.round(options.entries / 5));
    for (const [i, which] of (['Redis', 'FerretDB'] as const).entries()) {
      const prefix = uniq(`restart-${i}`);
      const mongoUri = ferret.uri(`pw_restart_${i}`);
      const env = pipelineEnv(mongoUri, redis.url, prefix, dir, secrets, { FETCH_TOTAL_TIMEOUT_MS: '10000' });
      const truth = await servedCorpus(options.seed + 1 + i, entries, sink, cleanup);
      const rt = await runnerRuntime(mongoUri, redis.url, prefix, sink, cleanup);
      const db = await mongoDb(mongoUri, cleanup);
      await registerFeeds(rt, truth);
      const procs = [
        await spawnCli(`fetcher-${which}`, ['start', '--only', 'fetcher'], env, sink, cleanup, READY),
        await spawnCli(
          `resolver-${which}`,
          ['start', '--only', 'resolver,scorer'],
          env,
          sink,
          cleanup,
          READY,
        ),
      ];
      rows.push(await restartRow(ctx, which, which === 'Redis' ? redis : ferret, rt, db, truth, procs));
      for (const p of procs) await p.stop();
    }
    return rows;
  },
};
