// The typed job catalogue: queue names, job names, payload schemas and default options in one place.
// Producers (`enqueue`) and workers (handler maps) are both typed from JOBS, so a job name without a
// handler is a compile error. Job ids built here never contain ':' and are never all digits (BullMQ).
import { DIGEST_PERIOD, DIGEST_SUBSCRIBER_ID, WINDOWS } from '@paperwire/core';
import type { JobsOptions } from 'bullmq';
import { z } from 'zod';

export const QUEUES = ['fetch', 'resolve', 'score', 'webhooks', 'events', 'digests', 'maintenance'] as const;
export type QueueName = (typeof QUEUES)[number];

const feedId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,80}$/, 'feed id: lower-case letters, digits and -');

const retried = (attempts: number, delayMs: number): JobsOptions => ({
  attempts,
  backoff: { type: 'exponential', delay: delayMs, jitter: 0.5 },
  // Keep Redis bounded: completed jobs are dropped soon; failed ones are the dead-letter list, kept longer.
  removeOnComplete: { age: 3600, count: 1000 },
  removeOnFail: { age: 14 * 24 * 3600, count: 10_000 },
});

export const JOBS = {
  /** Fetch one feed, archive the payload, parse and normalise it, store new observations. */
  'fetch-feed': {
    queue: 'fetch',
    payload: z.object({
      feedId,
      reason: z.enum(['schedule', 'manual', 'run-once']),
    }),
    options: retried(3, 5_000),
  },
  /**
   * Fetch and store one page of a backfill (arXiv API or OAI-PMH ListRecords), save the next page's cursor
   * in the backfill's progress, then enqueue the next page (jobId `backfill.<key>.<page>`).
   */
  'backfill-page': {
    queue: 'fetch',
    payload: z.object({
      /** The backfill's progress key (see the backfills repository). */
      key: z.string().regex(/^[A-Za-z0-9._-]{1,200}$/, 'backfill key: letters, digits, . _ -'),
      /** Which page of the chain this is (0 = the first request): a job for a page already stored is a no-op. */
      page: z.number().int().min(0).max(10_000_000),
    }),
    // A page's failures are the source being busy or away: 8 tries over ~20 min (10 s … 640 s, halved at
    // most by jitter) before the dead-letter list. Retry-After delays do not spend a try (see the handler).
    options: retried(8, 10_000),
  },
  /** Merge stored observations into papers (identity, dedup, versions). */
  'resolve-batch': {
    queue: 'resolve',
    payload: z.object({
      feedId,
      /** Observation `_id`s, all already stored. */
      observationIds: z.array(z.string().min(1).max(600)).min(1).max(2_000),
    }),
    // Idempotent, and its failures are the database or a busy lock going away for a while: keep trying for
    // ~8-17 min (2 s … 512 s, halved at most by jitter) before the dead-letter list, so a database restart
    // or a burst of lock contention never strands observations.
    options: retried(10, 2_000),
  },
  /** Recompute the ranking snapshots of the active windows. */
  'score-rankings': {
    queue: 'score',
    payload: z.object({
      reason: z.enum(['dirty', 'periodic', 'manual']),
      windows: z.array(z.enum(WINDOWS)).min(1).optional(),
      /** Boards to publish (`all` is the overall board); absent: every board. */
      categories: z
        .array(z.string().regex(/^[A-Za-z0-9.-]{1,40}$/))
        .min(1)
        .max(100)
        .optional(),
    }),
    options: retried(3, 2_000),
  },
  /** Publish recorded events from the outbox to the events stream (and the webhook fan-out). */
  'relay-events': {
    queue: 'events',
    payload: z.object({ reason: z.enum(['schedule', 'recorded', 'manual']) }),
    // Runs every few seconds: keep few completed jobs.
    options: { ...retried(3, 1_000), removeOnComplete: { age: 600, count: 100 } },
  },
  /** POST one event to one webhook subscription, signed; the failed set is the webhook dead-letter list. */
  'deliver-webhook': {
    queue: 'webhooks',
    payload: z.object({
      subscriptionId: z.string().regex(/^wh_[0-9a-f]{16}$/, 'webhook subscription id: wh_ + 16 hex'),
      /** Exactly the body sent: `{ id, type, version, occurredAt, data }`. */
      event: z.object({
        id: z.string().min(1).max(300),
        type: z.string().min(1).max(200),
        version: z.number().int().min(1),
        occurredAt: z.string().min(1).max(40),
        data: z.unknown(),
      }),
    }),
    // 8 tries over ~20 min (10 s, 20 s, … 640 s, halved at most by jitter). Completed deliveries are kept
    // 6 h so the same event fanned out again within that time is not delivered twice (jobId dedup).
    options: {
      ...retried(8, 10_000),
      removeOnComplete: { age: 6 * 3600, count: 20_000 },
    },
  },
  /** Enqueue `send-digest` for every subscription whose current period's digest is not done yet. */
  'plan-digests': {
    queue: 'digests',
    payload: z.object({ reason: z.enum(['schedule', 'manual']) }),
    // Runs every few minutes from a job scheduler: keep few completed jobs.
    options: { ...retried(3, 5_000), removeOnComplete: { age: 3600, count: 100 } },
  },
  /** Build, record and send one subscriber's digest for one period (once: the record's id is both). */
  'send-digest': {
    queue: 'digests',
    payload: z.object({
      subscriberId: z.string().regex(DIGEST_SUBSCRIBER_ID, 'digest subscriber id: ds_ + 16 hex'),
      /** `2026-11-29` (daily), `2026-W48` (weekly) or `m20261129T1432` (a manual send). */
      period: z.string().regex(DIGEST_PERIOD, 'digest period: YYYY-MM-DD, YYYY-Www or mYYYYMMDDTHHMM'),
    }),
    // SMTP servers go away for a while: 8 tries over ~40 min (20 s … 1280 s, halved at most by jitter).
    options: retried(8, 20_000),
  },
  /**
   * Retention: delete relayed outbox events past their grace period, archived payloads past their days and
   * ranking snapshots past their age (shared/db gc.ts). Scheduled by the scheduler (`maintenance.gc`).
   */
  gc: {
    queue: 'maintenance',
    payload: z.object({ reason: z.enum(['schedule', 'manual']) }),
    // Idempotent; a failed run is retried, and the next scheduled run does the same work anyway.
    options: { ...retried(3, 30_000), removeOnComplete: { age: 7 * 24 * 3600, count: 200 } },
  },
} as const satisfies Record<string, { queue: QueueName; payload: z.ZodType; options: JobsOptions }>;

export type JobName = keyof typeof JOBS;
export type JobPayload<N extends JobName> = z.infer<(typeof JOBS)[N]['payload']>;
export type JobsOfQueue<Q extends QueueName> = {
  [N in JobName]: (typeof JOBS)[N]['queue'] extends Q ? N : never;
}[JobName];

/** BullMQ job ids: no ':' and not all digits. Parts are joined with '.', ':' replaced by '_'. */
export function jobId(...parts: (string | number)[]): string {
  return parts.map((p) => String(p).replaceAll(':', '_')).join('.');
}

/** The one job of a backfill's page: enqueueing a page twice (a resumed CLI, a re-run job) adds it once. */
export function backfillPageJobId(key: string, page: number): string {
  return jobId('backfill', key, page);
}
