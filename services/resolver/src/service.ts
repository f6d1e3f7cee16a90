// The resolver as a component: given a runtime, start its worker.
import { createWorker, dirtyPapers, eventRecorder, nearIndex } from '@paperwire/jobs';
import type { Runtime } from '@paperwire/runtime';
import type { Worker } from 'bullmq';
import type { ResolverConfig } from './config.ts';
import { resolveBatchHandler } from './jobs/resolve-batch.job.ts';

export function startResolver(rt: Runtime, config: ResolverConfig): Worker {
  const worker = createWorker(
    'resolve',
    {
      'resolve-batch': resolveBatchHandler({
        db: rt.db,
        nearIndex: nearIndex(rt.redis, rt.prefix, rt.db.nearDuplicates, rt.locks, rt.log),
        locks: rt.locks,
        queues: rt.queues,
        dirty: dirtyPapers(rt.redis, rt.prefix),
        events: eventRecorder(rt.db, rt.redis, rt.prefix),
        now: () => new Date(),
      }),
    },
    { connection: rt.workerRedis, prefix: rt.prefix, log: rt.log, concurrency: config.RESOLVE_CONCURRENCY },
  );
  rt.shutdown.add({ name: 'resolve worker', phase: 'workers', run: () => worker.close() });
  return worker;
}
