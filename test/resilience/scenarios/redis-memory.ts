// Redis memory stays bounded: what grows in Redis with the work done is jobs (completed and failed ones are
// kept under the catalogue's retention), BullMQ metrics (a week of per-minute points) and the events
// stream (trimmed to EVENTS_STREAM_MAXLEN). Here 10 × --entries fetch jobs (100,000 in the full run, at
// least 5,000) with the catalogue's own options go through two real fetcher processes — each a feed lock, a
// database read and a completion, for a feed that does not exist, so the ingest's cost does not dominate;
// 1% are for a feed id the job schema refuses, so the failed set fills too. Memory (INFO used_memory) and
// key count are sampled at each tenth. Bounded means: once twice the completed-job retention has gone
// through, keys grow by no more than the failed jobs kept (themselves capped at 10,000) and used memory by
// no more than 2 KiB per kept failed job plus 1 MiB; completed ≤ its retention count, failed ≤ 10,000.
import { JOBS } from '@paperwire/jobs';
import { Redis } from 'ioredis';
import {
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

const MiB = 1024 * 1024;

export const redisMemory: Scenario = {
  name: 'redis-memory',
  ci: true,
  async run({ options, secrets, sink, cleanup, dir, say }) {
    const t0 = Date.now();
    const total = Math.max(5_000, options.entries * 10);
    const redis = await startOwnRedis(dir, secrets.redisPassword, cleanup);
    const ferret = await startOwnFerret(dir, cleanup);
    const prefix = uniq('memory');
    const mongoUri = ferret.uri('pw_memory');
    const env = pipelineEnv(mongoUri, redis.url, prefix, dir, secrets, { FETCH_CONCURRENCY: '8' });
    const rt = await runnerRuntime(mongoUri, redis.url, prefix, sink, cleanup);
    const probe = new Redis(redis.url, { maxRetriesPerRequest: 3 });
    cleanup.add('memory probe', async () => probe.disconnect());
    const memory = async () =>
      Number(/^used_memory:(\d+)/m.exec(await probe.info('memory'))?.[1] ?? Number.NaN);
    const fetchers = [
      await spawnCli('fetcher-m1', ['start', '--only', 'fetcher'], env, sink, cleanup, READY),
      await spawnCli('fetcher-m2', ['start', '--only', 'fetcher'], env, sink, cleanup, READY),
    ];
    const fetch = rt.queues.byName.fetch;
    const { options: jobOptions } = JOBS['fetch-feed'];
    const samples: { done: number; bytes: number; keys: number; failed: number }[] = [];
    const batch = 1_000;
    let added = 0;
    let invalid = 0;
    for (let tenth = 1; tenth <= 10; tenth++) {
      const until = Math.round((total * tenth) / 10);
      while (added < until) {
        const n = Math.min(batch, until - added);
        await fetch.addBulk(
          Array.from({ length: n }, (_, i) => {
            const k = added + i;
            // 1 in 100 breaks the job schema: straight to the failed set (UnrecoverableError).
            const bad = k % 100 === 99;
            if (bad) invalid++;
            return {
              name: 'fetch-feed',
              data: { feedId: bad ? 'NOT A FEED ID' : `memory-${k % 5000}`, reason: 'manual' as const },
              opts: { ...jobOptions, attempts: 1 },
            };
          }),
        );
        added += n;
      }
      await waitUntil(
        `${until} jobs processed`,
        async () => {
          const c = await fetch.getJobCounts('waiting', 'active', 'prioritized');
          const left = (c.waiting ?? 0) + (c.active ?? 0) + (c.prioritized ?? 0);
          return left === 0 || `${left} left`;
        },
        1_800_000,
        500,
      );
      samples.push({
        done: until,
        bytes: await memory(),
        keys: await probe.dbsize(),
        failed: await fetch.getFailedCount(),
      });
      say(
        `${until} jobs: used_memory ${(samples.at(-1)!.bytes / MiB).toFixed(1)} MiB, ${samples.at(-1)!.keys} keys`,
      );
    }
    const counts = await fetch.getJobCounts('completed', 'failed');
    const keepCompleted = (jobOptions.removeOnComplete as { count: number }).count;
    const keepFailed = (jobOptions.removeOnFail as { count: number }).count;
    // The baseline: the first sample after twice the completed retention went through (retention is full).
    const base = samples.find((s) => s.done >= 2 * keepCompleted) ?? samples[0]!;
    const end = samples.at(-1)!;
    const failedGrowth = end.failed - base.failed;
    const growth = end.bytes - base.bytes;
    const keyGrowth = end.keys - base.keys;
    const memoryLimit = failedGrowth * 2048 + MiB;
    const bounded =
      keyGrowth <= failedGrowth + 50 &&
      growth <= memoryLimit &&
      (counts.completed ?? 0) <= keepCompleted &&
      (counts.failed ?? 0) <= keepFailed;
    const processed = total; // every job left the queue (waited for above)
    for (const p of fetchers) await p.stop();
    return [
      {
        class: `Redis memory over ${total.toLocaleString('en')} jobs`,
        tried: 1,
        survived: bounded ? 1 : 0,
        expected: total,
        stored: processed,
        duplicated: 0,
        lost: 0,
        notes:
          `used_memory ${samples.map((s) => (s.bytes / MiB).toFixed(1)).join(' → ')} MiB; after ${base.done} jobs: ` +
          `+${(growth / MiB).toFixed(2)} MiB (limit ${(memoryLimit / MiB).toFixed(2)}), keys ${base.keys} → ${end.keys} ` +
          `(+${keyGrowth}, failed jobs kept +${failedGrowth}); kept completed ${counts.completed}/${keepCompleted}, ` +
          `failed ${counts.failed}/${keepFailed} (${invalid} refused by the schema)`,
        seconds: (Date.now() - t0) / 1000,
      },
    ];
  },
};
