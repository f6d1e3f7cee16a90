// The relay as a component: given a runtime, start its worker and its job scheduler. `onPublished` is the
// hook each published event is handed to (the webhook fan-out); without one, events only go to the stream.
import { createWorker, JOBS } from '@paperwire/jobs';
import type { Runtime } from '@paperwire/runtime';
import type { Worker } from 'bullmq';
import type { RelayConfig } from './config.ts';
import { type OnPublished, relayEventsHandler } from './jobs/relay-events.job.ts';

export const RELAY_SCHEDULER_ID = 'relay.periodic';

export interface RelayOptions {
  /** Each published event is handed to this (the webhook fan-out); default: nothing. */
  onPublished?: OnPublished;
}

/** The relay's worker alone: it runs the relay jobs that recordings ask for (one-shot CLI commands). */
export function startRelayWorker(rt: Runtime, config: RelayConfig, options: RelayOptions = {}): Worker {
  const worker = createWorker(
    'events',
    {
      'relay-events': relayEventsHandler({
        db: rt.db,
        redis: rt.redis,
        prefix: rt.prefix,
        locks: rt.locks,
        now: () => new Date(),
        maxLen: config.EVENTS_STREAM_MAXLEN,
        batchSize: config.RELAY_BATCH,
        onPublished: options.onPublished ?? (async () => {}),
      }),
    },
    // One run at a time per process; the relay lock keeps processes apart.
    { connection: rt.workerRedis, prefix: rt.prefix, log: rt.log, concurrency: 1 },
  );
  rt.shutdown.add({ name: 'relay worker', phase: 'workers', run: () => worker.close() });
  return worker;
}

/** The worker and the periodic job scheduler (every RELAY_EVERY_MS), which catches whatever the debounced runs missed. */
export async function startRelay(
  rt: Runtime,
  config: RelayConfig,
  options: RelayOptions = {},
): Promise<Worker> {
  const worker = startRelayWorker(rt, config, options);
  const { removeOnComplete, removeOnFail } = JOBS['relay-events'].options;
  await rt.queues.byName.events.upsertJobScheduler(
    RELAY_SCHEDULER_ID,
    { every: config.RELAY_EVERY_MS },
    { name: 'relay-events', data: { reason: 'schedule' }, opts: { removeOnComplete, removeOnFail } },
  );
  return worker;
}
