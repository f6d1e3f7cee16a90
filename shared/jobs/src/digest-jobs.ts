// Queuing one subscriber's digest of one period: the digest service's planner and the CLI's `digests
// send-now` both do it, so it lives with the job catalogue (a service never imports another).
import type { JobsOptions } from 'bullmq';
import { jobId } from './catalogue.ts';
import type { Queues } from './queues.ts';

export const digestJobId = (subscriberId: string, period: string): string =>
  jobId('digest', subscriberId, period);

/** Queues one subscriber's digest of one period (deduplicated by job id). */
export async function enqueueDigest(
  queues: Pick<Queues, 'enqueue'>,
  subscriberId: string,
  period: string,
  jobOptions?: Omit<JobsOptions, 'jobId'>,
): Promise<string> {
  return queues.enqueue(
    'send-digest',
    { subscriberId, period },
    { ...jobOptions, jobId: digestJobId(subscriberId, period) },
  );
}
