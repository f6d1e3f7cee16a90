// plan-digests: run by the digest service's job scheduler (one job per tick, however many processes run
// it). For every active subscription: its current period (daily or ISO week, starting at DIGEST_HOUR_UTC)
// → point-read that period's digest → queue `send-digest` unless it is sent or empty already. The job id
// `digest.<subscriberId>.<period>` keeps one job per digest while it exists; the record keeps it once
// after that.
import { digestId, digestPeriod } from '@paperwire/core';
import type { Database } from '@paperwire/db';
import { enqueueDigest, type Handler, type Queues } from '@paperwire/jobs';
import type { JobsOptions } from 'bullmq';

export interface PlanDigestsDeps {
  db: Pick<Database, 'digests'>;
  queues: Pick<Queues, 'enqueue'>;
  hourUtc: number;
  now: () => Date;
  /** Overrides of the catalogue's send-digest options (tests shorten the backoff). */
  jobOptions?: Omit<JobsOptions, 'jobId'>;
}

export interface PlanDigestsResult {
  queued: number;
  done: number;
  unsubscribed: number;
}

export async function planDigests(deps: PlanDigestsDeps): Promise<PlanDigestsResult> {
  const now = deps.now();
  const result: PlanDigestsResult = { queued: 0, done: 0, unsubscribed: 0 };
  for (const sub of await deps.db.digests.list()) {
    if (sub.unsubscribedAt) {
      result.unsubscribed++;
      continue;
    }
    const period = digestPeriod(sub.cadence, now, deps.hourUtc);
    const record = await deps.db.digests.getDigest(digestId(sub.id, period));
    if (record && record.status !== 'recorded') {
      result.done++;
      continue;
    }
    await enqueueDigest(deps.queues, sub.id, period, deps.jobOptions);
    result.queued++;
  }
  return result;
}

export function planDigestsHandler(deps: PlanDigestsDeps): Handler<'plan-digests'> {
  return async (_payload, { log }): Promise<PlanDigestsResult> => {
    const result = await planDigests(deps);
    if (result.queued > 0) log.info(result, 'digest: digests queued');
    return result;
  };
}
