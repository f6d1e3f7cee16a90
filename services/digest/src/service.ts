// The digest sender as a component: given a runtime, check its settings, start the `digests` worker and
// the planner's job scheduler (`digests.plan`, every DIGEST_PLAN_EVERY_MINUTES: an idempotent upsert, so
// any number of processes make one planner run per tick); shutdown closes the worker and the SMTP
// transport.
import { createWorker, JOBS } from '@paperwire/jobs';
import type { Runtime } from '@paperwire/runtime';
import type { JobsOptions, Worker } from 'bullmq';
import { type DigestConfig, type DigestSettings, digestSettings } from './config.ts';
import { planDigestsHandler } from './jobs/plan-digests.job.ts';
import { sendDigestHandler } from './jobs/send-digest.job.ts';
import { createMailer, type Mailer } from './mailer.ts';

export const DIGEST_PLAN_SCHEDULER_ID = 'digests.plan';

export interface DigestOptions {
  /** The clock of planning and records (tests pin it). */
  now?: () => Date;
  /** Overrides of the send-digest job options for jobs the planner queues (tests shorten the backoff). */
  jobOptions?: Omit<JobsOptions, 'jobId'>;
  /** Start the worker only, without the planner's job scheduler (one-shot CLI commands). */
  workerOnly?: boolean;
}

export interface DigestHandle {
  worker: Worker;
  mailer: Mailer;
  settings: DigestSettings;
}

export async function startDigest(
  rt: Runtime,
  config: DigestConfig,
  options: DigestOptions = {},
): Promise<DigestHandle> {
  const settings = digestSettings(config);
  const now = options.now ?? (() => new Date());
  const mailer = createMailer(settings.smtpUrl, { timeoutMs: settings.smtpTimeoutMs });
  const worker = createWorker(
    'digests',
    {
      'plan-digests': planDigestsHandler({
        db: rt.db,
        queues: rt.queues,
        hourUtc: settings.hourUtc,
        now,
        jobOptions: options.jobOptions,
      }),
      'send-digest': sendDigestHandler({ db: rt.db, locks: rt.locks, mailer, settings, now }),
    },
    { connection: rt.workerRedis, prefix: rt.prefix, log: rt.log, concurrency: settings.concurrency },
  );
  rt.shutdown.add({ name: 'digest worker', phase: 'workers', run: () => worker.close() });
  rt.shutdown.add({ name: 'digest smtp transport', phase: 'connections', run: async () => mailer.close() });
  if (!options.workerOnly) {
    const { removeOnComplete, removeOnFail } = JOBS['plan-digests'].options;
    await rt.queues.byName.digests.upsertJobScheduler(
      DIGEST_PLAN_SCHEDULER_ID,
      { every: settings.planEveryMinutes * 60_000 },
      { name: 'plan-digests', data: { reason: 'schedule' }, opts: { removeOnComplete, removeOnFail } },
    );
  }
  return { worker, mailer, settings };
}
