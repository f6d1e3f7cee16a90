// relay-events: under the relay lock, take the oldest queued event ids → point-read them from the outbox
// → for each: XADD to the stream (bounded), hand it to `onPublished` (the webhook fan-out), mark it
// published → only then drop it from the queue. A crash anywhere before that leaves the id queued, so the
// next run publishes it again (at least once; the stream entry's `id` field tells duplicates apart). An
// event already marked published (re-queued by a retried job) is only dropped from the queue.
import { type PaperwireEvent, PipelineError } from '@paperwire/core';
import type { Database } from '@paperwire/db';
import { eventsStreamKey, type Handler, outboxQueue } from '@paperwire/jobs';
import { type Locks, type Logger, metrics } from '@paperwire/platform';
import type { Redis } from 'ioredis';

/** Called once per event put on the stream, before it is marked published; a throw fails the run. */
export type OnPublished = (event: PaperwireEvent, meta: { streamId: string }) => Promise<void>;

export interface RelayEventsDeps {
  db: Pick<Database, 'outbox'>;
  /** The outbox queue (`pw:outbox`) and the events stream (`pw:events`) under `prefix`. */
  redis: Redis;
  prefix: string;
  locks: Pick<Locks, 'withLocks'>;
  now: () => Date;
  /** Stream length bound (EVENTS_STREAM_MAXLEN). */
  maxLen: number;
  /** Ids per round (RELAY_BATCH). */
  batchSize: number;
  /** Rounds per run at most, so one run cannot hold the lock forever. */
  maxRounds?: number;
  onPublished: OnPublished;
}

export interface RelayEventsResult {
  published: number;
  /** Queued ids whose event was already published (re-queued by a retried job). */
  skipped: number;
  /** Queued ids with no outbox document (dropped). */
  missing: number;
  /** Another relay held the lock; it takes the queue. */
  busy: boolean;
}

/** The stream entry of an event: its id, type, version and instant as fields, `data` as JSON. */
export function streamFields(e: PaperwireEvent): string[] {
  return [
    'id',
    e.id,
    'type',
    e.type,
    'version',
    String(e.version),
    'occurredAt',
    e.occurredAt,
    'data',
    JSON.stringify(e.data),
  ];
}

/** One relay run: rounds of `batchSize` until the queue is empty (or `maxRounds`). */
export async function relayEvents(deps: RelayEventsDeps, log?: Logger): Promise<RelayEventsResult> {
  const result: RelayEventsResult = { published: 0, skipped: 0, missing: 0, busy: false };
  try {
    await deps.locks.withLocks(['relay'], () => relayRounds(deps, result), { ttlMs: 120_000, waitMs: 0 });
  } catch (err) {
    if (!(err instanceof PipelineError && err.code === 'lock-timeout')) throw err;
    result.busy = true;
  }
  if (result.missing > 0) log?.warn({ missing: result.missing }, 'relay: queued events not in the outbox');
  return result;
}

async function relayRounds(deps: RelayEventsDeps, result: RelayEventsResult): Promise<void> {
  const queue = outboxQueue(deps.redis, deps.prefix);
  const stream = eventsStreamKey(deps.prefix);
  for (let round = 0; round < (deps.maxRounds ?? 10); round++) {
    const ids = await queue.peek(deps.batchSize);
    if (ids.length === 0) break;
    const docs = new Map((await deps.db.outbox.getMany(ids)).map((d) => [d.id, d]));
    for (const id of ids) {
      const doc = docs.get(id);
      if (!doc) result.missing++;
      else if (doc.publishedAt !== undefined) result.skipped++;
      else {
        const { publishedAt: _, ...event } = doc;
        const streamId = await deps.redis.xadd(
          stream,
          'MAXLEN',
          '~',
          String(deps.maxLen),
          '*',
          ...streamFields(event),
        );
        await deps.onPublished(event, { streamId: streamId ?? '' });
        const publishedAt = deps.now();
        await deps.db.outbox.markPublished(id, publishedAt.toISOString());
        metrics.relayLag.observe(
          { type: event.type },
          Math.max(0, (publishedAt.getTime() - Date.parse(event.occurredAt)) / 1000),
        );
        result.published++;
      }
      await queue.remove([id]);
    }
  }
  // `~` trims whole stream nodes only; one exact trim per run keeps the bound exact.
  if (result.published > 0) await deps.redis.xtrim(stream, 'MAXLEN', String(deps.maxLen));
}

export function relayEventsHandler(deps: RelayEventsDeps): Handler<'relay-events'> {
  return async (_payload, { log }): Promise<RelayEventsResult> => {
    const result = await relayEvents(deps, log);
    if (result.published > 0) log.info(result, 'relay: events published');
    return result;
  };
}
