// The webhook dead-letter list is the `webhooks` queue's failed set: deliveries that used up their tries
// or that the receiver refused (4xx). Replaying moves them back to waiting with their tries reset; each is
// signed afresh when it runs, with the same body and Paperwire-Event-Id. Lives with the job catalogue: the
// API and the CLI both replay, and neither may import the webhooks service.
import { PipelineError } from '@paperwire/core';
import type { Job } from 'bullmq';
import type { Queues } from './queues.ts';

export class WebhookReplayError extends PipelineError {
  constructor(message: string) {
    super(message, { code: 'webhook-dead-letter-unknown', retryable: false });
  }
}

/**
 * Replays the failed deliveries named by `ids`, or every one when `ids` is absent. Unknown ids (or jobs
 * that are not failed deliveries) are refused before anything is replayed. Returns the job ids replayed.
 */
export async function replayDeadLetters(
  queues: Pick<Queues, 'byName'>,
  ids?: readonly string[],
): Promise<string[]> {
  const queue = queues.byName.webhooks;
  let jobs: Job[];
  if (ids === undefined) {
    jobs = (await queue.getFailed(0, -1)).filter((job): job is Job => job?.name === 'deliver-webhook');
  } else {
    jobs = [];
    const missing: string[] = [];
    for (const id of new Set(ids)) {
      const job = await queue.getJob(id);
      if (job?.name === 'deliver-webhook' && (await job.isFailed())) jobs.push(job);
      else missing.push(id);
    }
    if (missing.length > 0)
      throw new WebhookReplayError(
        `webhooks: no failed delivery ${missing.map((m) => JSON.stringify(m.slice(0, 200))).join(', ')} ` +
          '(see `paperwire dlq list --queue webhooks`)',
      );
  }
  for (const job of jobs) await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
  return jobs.map((job) => String(job.id));
}
