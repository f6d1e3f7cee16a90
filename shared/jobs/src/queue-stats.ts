// What an operator asks of a queue: how many jobs in each state, how old the oldest waiting one is, and
// how fast jobs complete and fail (BullMQ's per-minute metrics, which workers record; see workers.ts).
import type { Queue } from 'bullmq';

export interface QueueStats {
  queue: string;
  counts: Record<'waiting' | 'active' | 'delayed' | 'completed' | 'failed', number>;
  /** Age of the oldest waiting job, seconds; 0 when nothing waits. */
  oldestWaitingSeconds: number;
  /** Jobs per minute over the last `RATE_WINDOW_MINUTES` minutes. */
  completedPerMinute: number;
  failedPerMinute: number;
}

export const RATE_WINDOW_MINUTES = 15;

export async function queueStats(queue: Queue, now: Date): Promise<QueueStats> {
  const c = await queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'completed', 'failed');
  // Waiting jobs are pushed on the left: ascending order starts with the oldest.
  const [oldest] = await queue.getJobs(['wait', 'prioritized'], 0, 0, true);
  const [completed, failed] = await Promise.all([
    queue.getMetrics('completed', 0, RATE_WINDOW_MINUTES - 1),
    queue.getMetrics('failed', 0, RATE_WINDOW_MINUTES - 1),
  ]);
  const perMinute = (data: number[]) =>
    Math.round((data.reduce((a, b) => a + b, 0) / RATE_WINDOW_MINUTES) * 100) / 100;
  return {
    queue: queue.name,
    counts: {
      waiting: (c.waiting ?? 0) + (c.prioritized ?? 0),
      active: c.active ?? 0,
      delayed: c.delayed ?? 0,
      completed: c.completed ?? 0,
      failed: c.failed ?? 0,
    },
    oldestWaitingSeconds: oldest ? Math.max(0, (now.getTime() - oldest.timestamp) / 1000) : 0,
    completedPerMinute: perMinute(completed.data),
    failedPerMinute: perMinute(failed.data),
  };
}
