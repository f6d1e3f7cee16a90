// The scheduler: seeds the default feeds once, keeps one BullMQ job scheduler per enabled feed (and the
// periodic re-score), and reconciles them with the registry on an interval. Every step is an idempotent
// upsert, so any number of scheduler processes agree on one scheduler per feed.
import { defaultFeeds, feedRegistry, type Runtime } from '@paperwire/runtime';
import type { SchedulerConfig } from './config.ts';

export interface SchedulerHandle {
  reconcile(): Promise<void>;
}

export async function startScheduler(rt: Runtime, config: SchedulerConfig): Promise<SchedulerHandle> {
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
