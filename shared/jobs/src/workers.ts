// Consumers: a Worker per queue whose processor looks the handler up in an exhaustive map, validates the
// payload, and turns errors into BullMQ's vocabulary at the boundary:
//  - invalid payload or a non-retryable PipelineError → UnrecoverableError (straight to the failed set);
//  - a JobDeferred (politeness: no token yet, or the service is paused) → the job is delayed by its wait,
//    without spending an attempt and without holding the worker slot;
//  - a FeedHttpError with retryAfterMs → the job is delayed by Retry-After once; a second one ends the job
//    (a server answering `429, Retry-After: 0` for ever must not loop). The fetcher has already paused the
//    service, so the feed's siblings wait too.
// Failures are logged once, here, with the job's context.
import { FeedHttpError, FeedParseError, PipelineError } from '@paperwire/core';
import { type Logger, metrics } from '@paperwire/platform';
import { DelayedError, type Job, MetricsTime, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { JOBS, type JobName, type JobPayload, type JobsOfQueue, type QueueName } from './catalogue.ts';

/** Not now: run this job again in `delayMs` (a politeness wait; not a failure, no attempt spent). */
export class JobDeferred extends PipelineError {
  readonly delayMs: number;

  constructor(message: string, delayMs: number) {
    super(message, { code: 'deferred', retryable: true });
    this.delayMs = Math.max(1, Math.ceil(delayMs));
  }
}

/** Job data field counting the Retry-After delays a job had (payload schemas ignore unknown fields). */
const RETRY_AFTER_DELAYS = 'retryAfterDelays';

export interface JobContext {
  job: Job;
  log: Logger;
}

export type Handler<N extends JobName> = (payload: JobPayload<N>, ctx: JobContext) => Promise<unknown>;
export type HandlerMap<Q extends QueueName> = { [N in JobsOfQueue<Q>]: Handler<N> };

export interface WorkerOptions {
  connection: Redis;
  prefix: string;
  log: Logger;
  concurrency?: number;
}

export function createWorker<Q extends QueueName>(
  queue: Q,
  handlers: HandlerMap<Q>,
  options: WorkerOptions,
): Worker {
  const handlerFor = (name: string): Handler<JobName> | undefined =>
    Object.hasOwn(handlers, name) ? (handlers as Record<string, Handler<JobName>>)[name] : undefined;

  const processor = async (job: Job, token?: string) => {
    const handler = handlerFor(job.name);
    if (!handler || !Object.hasOwn(JOBS, job.name)) {
      throw new UnrecoverableError(`jobs: no handler for job "${job.name}" on queue "${queue}"`);
    }
    const parsed = JOBS[job.name as JobName].payload.safeParse(job.data);
    if (!parsed.success) {
      throw new UnrecoverableError(`jobs: invalid payload for ${job.name}: ${parsed.error.message}`);
    }
    const log = options.log.child({ queue, jobName: job.name, jobId: job.id, attempt: job.attemptsMade + 1 });
    try {
      return await handler(parsed.data as JobPayload<JobName>, { job, log });
    } catch (err) {
      if (err instanceof JobDeferred && token) {
        await job.moveToDelayed(Date.now() + err.delayMs, token);
        log.debug({ delayMs: err.delayMs, reason: err.message }, 'jobs: deferred');
        throw new DelayedError();
      }
      if (err instanceof FeedHttpError && err.retryAfterMs !== undefined && token) {
        const delays = Number((job.data as Record<string, unknown>)[RETRY_AFTER_DELAYS] ?? 0);
        if (delays >= 1) throw new UnrecoverableError(err.message);
        await job.updateData({ ...job.data, [RETRY_AFTER_DELAYS]: delays + 1 });
        await job.moveToDelayed(Date.now() + err.retryAfterMs, token);
        log.info({ delayMs: err.retryAfterMs, reason: err.message }, 'jobs: delayed by Retry-After');
        throw new DelayedError();
      }
      if (err instanceof PipelineError && !err.retryable) {
        throw new UnrecoverableError(err.message);
      }
      throw err;
    }
  };

  const worker = new Worker(queue, processor, {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: options.concurrency ?? 1,
    // A dead worker's job is picked up again after the lock expires (stalled-job check).
    lockDuration: 60_000,
    maxStalledCount: 2,
    // Per-minute completed/failed counts in Redis for a week: `paperwire queues` reads them as rates.
    metrics: { maxDataPoints: MetricsTime.ONE_WEEK },
  });
  worker.on('error', (err) => options.log.warn({ err, queue }, 'worker: error'));
  worker.on('completed', (job) => record(queue, job, 'completed'));
  worker.on('failed', (job, err) => {
    const final = !job || err instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
    if (job) record(queue, job, final ? 'failed' : 'retried');
    const context = { err, queue, jobName: job?.name, jobId: job?.id, attempt: job?.attemptsMade, final };
    // A feed's own failure (unreachable, bad payload) is recorded in its health: a warning, no stack.
    if (err instanceof FeedHttpError || err instanceof FeedParseError) {
      const { err: _err, ...rest } = context;
      options.log.warn({ ...rest, errorClass: err.errorClass, reason: err.message }, 'feed fetch failed');
      return;
    }
    // The last attempt lands in the dead-letter (failed) set: an error. Earlier ones will be retried.
    if (final) options.log.error(context, 'job failed');
    else options.log.warn(context, 'job attempt failed; will retry');
  });
  return worker;
}

function record(queue: QueueName, job: Job, outcome: 'completed' | 'retried' | 'failed'): void {
  const labels = { queue, job: job.name, outcome };
  metrics.jobs.inc(labels);
  if (job.processedOn !== undefined) {
    metrics.jobDuration.observe(
      labels,
      Math.max(0, ((job.finishedOn ?? Date.now()) - job.processedOn) / 1000),
    );
  }
}
