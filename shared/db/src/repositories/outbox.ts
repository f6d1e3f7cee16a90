// The event outbox: each event stored once under its id, by the job that made the change it describes.
// FerretDB has no transactions, so a retry of that job inserts the same id again (a no-op) rather than a
// new event. The relay finds unpublished ids in a Redis sorted set (FerretDB cannot find them without a
// scan), point-reads them here, and marks each one published after it is out.
import type { PaperwireEvent } from '@paperwire/core';
import { toBsonDates, toIsoDates } from '../bson-dates.ts';
import { type Binary, fromGzipJson, toGzipJson } from '../compressed-json.ts';
import type { Models } from '../models.ts';
import { declareQuery } from '../queries.ts';
import { type DocIo, isDuplicateKeyError } from './point-reads.ts';

/** An outbox document: the event with `_id` for its id, and when the relay published it. */
export type OutboxEvent = PaperwireEvent & { publishedAt?: string };

// Stored form: the envelope as fields (`_id`, `type`, `version`, `occurredAt` and `publishedAt` as BSON
// dates: what retention filters on) and the event's `data` (a paper's row, a board's top: the bulk) as
// gzip-compressed JSON (`dataGz`, compressed-json.ts), which FerretDB stores and returns without converting
// each field. Events an earlier version stored with `data` as a document are still read.
type Envelope = Omit<PaperwireEvent, 'id' | 'data'> & { _id: string; publishedAt?: string };
type StoredEvent = Envelope & ({ dataGz: Binary } | { data: PaperwireEvent['data'] });

async function toStored({ id, data, ...envelope }: PaperwireEvent): Promise<StoredEvent> {
  return { ...toBsonDates({ _id: id, ...envelope }), dataGz: await toGzipJson(data) };
}

async function fromStored(doc: StoredEvent): Promise<OutboxEvent> {
  if (!('dataGz' in doc)) {
    const { _id, ...rest } = doc;
    return toIsoDates({ id: _id, ...rest }) as OutboxEvent;
  }
  const { _id, dataGz, ...envelope } = doc;
  return { id: _id, ...toIsoDates(envelope), data: await fromGzipJson(dataGz) } as OutboxEvent;
}

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
        const docs = await Promise.all(batch.map(toStored));
        const res = await Outbox.collection.insertMany(docs as never[], { ordered: false });
        return { inserted: res.insertedCount };
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        const inserted = (err as { result?: { insertedCount?: number } }).result?.insertedCount;
        return { inserted: inserted ?? 0 };
      }
    },
    /** The stored events of `ids` that exist, in the order given (multi-key reads). */
    async getMany(ids: readonly string[]): Promise<OutboxEvent[]> {
      return Promise.all((await io.readMany<StoredEvent>(Outbox.collection, ids)).map(fromStored));
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
