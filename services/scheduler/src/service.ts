// The scheduler: seeds the default feeds once, keeps one BullMQ job scheduler per enabled feed (and the
// periodic re-score and gc), and reconciles them with the registry on an interval. Every step is an
// idempotent upsert, so any number of scheduler processes agree on one scheduler per feed. It also runs the
// `maintenance` queue's worker (gc: one run at a time per process; a run twice at once deletes nothing twice).
import { createWorker, JOBS } from '@paperwire/jobs';
import { retentionSettings } from '@paperwire/platform/config';
import { defaultFeeds, feedRegistry, type Runtime } from '@paperwire/runtime';
import type { SchedulerConfig } from './config.ts';
import { gcHandler } from './jobs/gc.job.ts';

export const GC_SCHEDULER_ID = 'maintenance.gc';

export interface SchedulerHandle {
  reconcile(): Promise<void>;
}

export interface SchedulerOptions {
  /** The gc job's clock (tests pin it). */
  now?: () => Date;
}

export async function startScheduler(
  rt: Runtime,
  config: SchedulerConfig,
  options: SchedulerOptions = {},
): Promise<SchedulerHandle> {
  const registry = feedRegistry(rt.db, rt.queues, {
    fileFeeds: { root: rt.config.PAPERWIRE_FILE_FEEDS_ROOT },
  });
  // A file feed registered before PAPERWIRE_FILE_FEEDS_ROOT existed (or moved) is never read silently.
  await registry.disableForbiddenFileFeeds(new Date(), rt.log);
  if (config.PAPERWIRE_SEED_DEFAULT_FEEDS) {
    const added = await registry.seedOnce(defaultFeeds(), new Date());
    if (added > 0) rt.log.info({ added }, 'scheduler: default feeds seeded');
  }
  await registry.upsertRescoreSchedule(config.RESCORE_EVERY_MINUTES);
  await startGc(rt, config, options.now ?? (() => new Date()));
  const reconcile = async () => {
    const result = await registry.reconcile();
    rt.log.debug(result, 'scheduler: schedulers reconciled');
  };
  await reconcile();
  const timer = setInterval(() => {
    reconcile().catch((err) => rt.log.warn({ err }, 'scheduler: reconcile failed; will retry'));
  }, config.RECONCILE_EVERY_SECONDS * 1000);
  rt.shutdown.add({ name: 'scheduler', phase: 'schedulers', run: async () => clearInterval(timer) });
  return { reconcile };
}

/** The `maintenance` worker and the gc job scheduler (every GC_EVERY_MINUTES). */
async function startGc(rt: Runtime, config: SchedulerConfig, now: () => Date): Promise<void> {
  const worker = createWorker(
    'maintenance',
    { gc: gcHandler({ db: rt.db, settings: retentionSettings(config), now }) },
    { connection: rt.workerRedis, prefix: rt.prefix, log: rt.log, concurrency: 1 },
  );
  rt.shutdown.add({ name: 'maintenance worker', phase: 'workers', run: () => worker.close() });
  const { removeOnComplete, removeOnFail } = JOBS.gc.options;
  await rt.queues.byName.maintenance.upsertJobScheduler(
    GC_SCHEDULER_ID,
    { every: config.GC_EVERY_MINUTES * 60_000 },
    { name: 'gc', data: { reason: 'schedule' }, opts: { removeOnComplete, removeOnFail } },
  );
}
