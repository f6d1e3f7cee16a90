// The event outbox: each event stored once under its id, by the job that made the change it describes.
// FerretDB has no transactions, so a retry of that job inserts the same id again (a no-op) rather than a
// new event. The relay finds unpublished ids in a Redis sorted set (FerretDB cannot find them without a
// scan), point-reads them here, and marks each one published after it is out.
import type { PaperwireEvent } from '@paperwire/core';
import { toBsonDates, toIsoDates } from '../bson-dates.ts';
import type { Models } from '../models.ts';
import { declareQuery } from '../queries.ts';
import { type DocIo, isDuplicateKeyError } from './point-reads.ts';

/** An outbox document: the event with `_id` for its id, and when the relay published it. */
export type OutboxEvent = PaperwireEvent & { publishedAt?: string };

type StoredEvent = Omit<PaperwireEvent, 'id'> & { _id: string; publishedAt?: string };

// Stored with BSON dates (the event's `occurredAt` and its payload's timestamps); read back as ISO strings.
const toStored = ({ id, ...rest }: PaperwireEvent): StoredEvent => toBsonDates({ _id: id, ...rest });
const fromStored = ({ _id, ...rest }: StoredEvent): OutboxEvent =>
  toIsoDates({ id: _id, ...rest }) as OutboxEvent;

export function outboxRepository(models: Models, io: DocIo) {
  const { Outbox } = models;
  return {
    /** Inserts the events not stored yet (an existing id keeps its first version); returns how many were new. */
    async insertIfAbsent(events: readonly PaperwireEvent[]): Promise<{ inserted: number }> {
      if (events.length === 0) return { inserted: 0 };
      // A batch may repeat an id (one change seen twice in a job): the first one wins, as in the store.
      const byId = new Map<string, PaperwireEvent>();
      for (const e of events) if (!byId.has(e.id)) byId.set(e.id, e);
      const batch = [...byId.values()];
      try {
        const res = await Outbox.collection.insertMany(batch.map(toStored) as never[], { ordered: false });
        return { inserted: res.insertedCount };
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        const inserted = (err as { result?: { insertedCount?: number } }).result?.insertedCount;
        return { inserted: inserted ?? 0 };
      }
    },
    /** The stored events of `ids` that exist, in the order given (multi-key reads). */
    async getMany(ids: readonly string[]): Promise<OutboxEvent[]> {
      return (await io.readMany<StoredEvent>(Outbox.collection, ids)).map(fromStored);
    },
    async markPublished(id: string, at: string): Promise<void> {
      await Outbox.updateOne({ _id: id }, { $set: { publishedAt: new Date(at) } });
    },
    /** Every stored event (a scan: tests and operators only). */
    async count(): Promise<number> {
      return Outbox.countDocuments({});
    },
  };
}
export type OutboxRepository = ReturnType<typeof outboxRepository>;

// The queries above besides `_id` reads, and the index each relies on (checked by queries.test.ts).
declareQuery({
  name: 'outbox.count()',
  collection: 'outbox',
  index: { scan: 'tests and operators only' },
});
