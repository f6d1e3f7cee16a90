// Producers: one BullMQ Queue per queue name, and a typed `enqueue` that validates the payload first.
import type { Logger } from '@paperwire/platform';
import { type JobsOptions, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { JOBS, type JobName, type JobPayload, QUEUES, type QueueName } from './catalogue.ts';

export interface Queues {
  readonly byName: Record<QueueName, Queue>;
  enqueue<N extends JobName>(name: N, payload: JobPayload<N>, options?: JobsOptions): Promise<string>;
  close(): Promise<void>;
}

export function createQueues(connection: Redis, prefix: string, log: Logger): Queues {
  const byName = Object.fromEntries(
    QUEUES.map((q) => {
      const queue = new Queue(q, { connection, prefix });
      queue.on('error', (err) => log.warn({ err, queue: q }, 'queue: error'));
      return [q, queue];
    }),
  ) as Record<QueueName, Queue>;

  return {
    byName,
    async enqueue(name, payload, options) {
      const spec = JOBS[name];
      const data = spec.payload.parse(payload);
      const job = await byName[spec.queue].add(name, data, { ...spec.options, ...options });
      return job.id ?? '';
    },
    async close() {
      await Promise.all(Object.values(byName).map((q) => q.close()));
    },
  };
}
