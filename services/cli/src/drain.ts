// Waits until the pipeline has nothing left to do: no waiting, active or (non-scheduler) delayed jobs in
// any queue, twice in a row. Job schedulers keep one delayed job each forever; those do not count.
import type { Queues } from '@paperwire/jobs';
import { QUEUES } from '@paperwire/jobs';

export interface DrainProgress {
  pending: number;
  completed: number;
}

const POLL_MS = 250;

async function pendingJobs(queues: Queues): Promise<{ pending: number; completed: number; failed: number }> {
  let pending = 0;
  let completed = 0;
  let failed = 0;
  // Webhook deliveries are not waited for: they retry for minutes against receivers we do not control,
  // and stay queued for the `webhooks` component of `paperwire start` to send. Digests likewise wait for
  // the `digest` component (SMTP servers we do not control), and gc runs the scheduler's (maintenance).
  for (const name of QUEUES.filter((q) => q !== 'webhooks' && q !== 'digests' && q !== 'maintenance')) {
    const q = queues.byName[name];
    const c = await q.getJobCounts(
      'waiting',
      'active',
      'prioritized',
      'waiting-children',
      'completed',
      'failed',
    );
    pending += (c.waiting ?? 0) + (c.active ?? 0) + (c.prioritized ?? 0) + (c['waiting-children'] ?? 0);
    completed += c.completed ?? 0;
    failed += c.failed ?? 0;
    const delayed = await q.getDelayed(0, 1_000);
    pending += delayed.filter((j) => !String(j.id).startsWith('repeat:')).length;
  }
  return { pending, completed, failed };
}

export async function drain(
  queues: Queues,
  options: { timeoutMs: number; onProgress?: (p: DrainProgress) => void },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let quietPolls = 0;
  while (quietPolls < 2) {
    if (Date.now() > deadline)
      throw new Error(`run: queues did not drain within ${options.timeoutMs / 1000}s`);
    await new Promise((r) => setTimeout(r, POLL_MS));
    const { pending, completed } = await pendingJobs(queues);
    options.onProgress?.({ pending, completed });
    quietPolls = pending === 0 ? quietPolls + 1 : 0;
  }
}
