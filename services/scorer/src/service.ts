// The scorer as a component: given a runtime, start its worker.
import { DEFAULT_CHANGES_TOP_N } from '@paperwire/core';
import { SNAPSHOTS_KEPT } from '@paperwire/db';
import { createWorker, dirtyPapers, eventRecorder } from '@paperwire/jobs';
import type { Runtime } from '@paperwire/runtime';
import type { Worker } from 'bullmq';
import type { ScorerConfig } from './config.ts';
import { scoreRankingsHandler } from './jobs/score-rankings.job.ts';

export function startScorer(rt: Runtime, config: ScorerConfig): Worker {
  const worker = createWorker(
    'score',
    {
      'score-rankings': scoreRankingsHandler({
        db: rt.db,
        dirty: dirtyPapers(rt.redis, rt.prefix),
        queues: rt.queues,
        events: eventRecorder(rt.db, rt.redis, rt.prefix),
        constants: config.SCORE_CONSTANTS,
        rankingSize: config.RANKING_SIZE,
        batchSize: config.SCORE_BATCH,
        changesTopN: DEFAULT_CHANGES_TOP_N,
        snapshotsKept: SNAPSHOTS_KEPT,
        now: () => new Date(),
      }),
    },
    // One score job at a time: rankings are rebuilt whole, so parallel runs would only repeat work.
    { connection: rt.workerRedis, prefix: rt.prefix, log: rt.log, concurrency: 1 },
  );
  rt.shutdown.add({ name: 'score worker', phase: 'workers', run: () => worker.close() });
  return worker;
}
