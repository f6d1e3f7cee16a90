// The Redis side of the event outbox. A job that makes a change records its events with `recordEvents`:
// insert-if-absent in the `outbox` collection first, then ZADD each id to `<prefix>:pw:outbox` (score =
// occurredAt, ms). The ZADD happens every time, also when the insert found the event stored, so a retry of
// a job that crashed between the two queues it again. The relay (services/relay) takes ids from the sorted
// set oldest first and removes them only after they are on the stream `<prefix>:pw:events`; a debounced
// `relay-events` job (requestRelay) makes that happen soon after a recording, the job scheduler otherwise.
import type { PaperwireEvent } from '@paperwire/core';
import type { Redis } from 'ioredis';
import { jobId } from './catalogue.ts';
import type { Queues } from './queues.ts';

/** The outbox store `recordEvents` needs (the database's `outbox` repository). */
export interface OutboxStore {
  outbox: { insertIfAbsent(events: readonly PaperwireEvent[]): Promise<{ inserted: number }> };
}

/** The stream events are published to. */
export const eventsStreamKey = (prefix: string): string => `${prefix}:pw:events`;

/** Relay jobs requested by recordings run at most once per this many ms. */
export const RELAY_DEBOUNCE_MS = 1_000;

/** The sorted set of event ids recorded but not yet relayed (removed only after publishing). */
export function outboxQueue(redis: Redis, prefix: string) {
  const key = `${prefix}:pw:outbox`;
  return {
    key,
    async add(events: readonly PaperwireEvent[]): Promise<void> {
      if (events.length === 0) return;
      await redis.zadd(key, ...events.flatMap((e) => [Date.parse(e.occurredAt), e.id]));
    },
    /** Up to `count` ids, oldest first; they stay queued until `remove`. */
    async peek(count: number): Promise<string[]> {
      return redis.zrange(key, '0', String(count - 1));
    },
    async remove(ids: readonly string[]): Promise<void> {
      if (ids.length > 0) await redis.zrem(key, ...ids);
    },
    async pending(): Promise<number> {
      return redis.zcard(key);
    },
  };
}
export type OutboxQueue = ReturnType<typeof outboxQueue>;

/**
 * Records events in the outbox (insert-if-absent: a re-recorded id keeps its first version) and then queues
 * their ids for the relay. Call it before the job that made the change completes.
 */
export async function recordEvents(
  db: OutboxStore,
  redis: Redis,
  prefix: string,
  events: readonly PaperwireEvent[],
): Promise<{ inserted: number }> {
  if (events.length === 0) return { inserted: 0 };
  const result = await db.outbox.insertIfAbsent(events);
  await outboxQueue(redis, prefix).add(events);
  return result;
}

/** `recordEvents` bound to one database and Redis: what a job handler is given. */
export function eventRecorder(db: OutboxStore, redis: Redis, prefix: string) {
  return {
    record: (events: readonly PaperwireEvent[]) => recordEvents(db, redis, prefix, events),
  };
}
export type EventRecorder = ReturnType<typeof eventRecorder>;

/** Enqueues the debounced relay job: one per debounce slot, however many recordings ask. */
export async function requestRelay(queues: Pick<Queues, 'enqueue'>, now: Date): Promise<void> {
  const slot = Math.floor(now.getTime() / RELAY_DEBOUNCE_MS);
  await queues.enqueue(
    'relay-events',
    { reason: 'recorded' },
    { jobId: jobId('relay', 'recorded', slot), delay: RELAY_DEBOUNCE_MS },
  );
}
