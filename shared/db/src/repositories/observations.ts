// Append-only normalised entries. Ids are deterministic, so inserting a batch twice adds nothing.
//
// Stored form: `_id`, `provenance` (which feed and entry, when fetched: what operators and tests filter on)
// and the rest of the entry as one gzip-compressed JSON value (`entryGz`, compressed-json.ts). The fetcher
// writes every entry it reads and the resolver reads each back once, by `_id`; as documents, FerretDB
// converted each field of each entry (authors, links, ids, versions) to and from its JSON form on both
// trips, and stored ~3.2 KB an entry (docs/performance.md). Entries an earlier version stored as documents
// are still read.
import type { Observation } from '@paperwire/core';
import { toBsonDates, toIsoDates } from '../bson-dates.ts';
import { type Binary, fromGzipJson, toGzipJson } from '../compressed-json.ts';
import type { Models } from '../models.ts';
import { type DocIo, isDuplicateKeyError } from './point-reads.ts';

type Content = Omit<Observation, '_id' | 'provenance'>;
type StoredObservation = Pick<Observation, '_id' | 'provenance'> & ({ entryGz: Binary } | Content);

async function toStored({ _id, provenance, ...content }: Observation): Promise<StoredObservation> {
  return { _id, provenance: toBsonDates(provenance), entryGz: await toGzipJson(content) };
}

async function fromStored(doc: StoredObservation): Promise<Observation> {
  if (!('entryGz' in doc)) return toIsoDates(doc) as Observation;
  const { _id, provenance, entryGz } = doc;
  return { _id, provenance: toIsoDates(provenance), ...(await fromGzipJson<Content>(entryGz)) };
}

export function observationsRepository(models: Models, io: DocIo) {
  const { Observation: ObservationModel } = models;
  return {
    /** Inserts the observations not stored yet; returns how many were new. */
    async insertNew(batch: Observation[]): Promise<{ inserted: number }> {
      if (batch.length === 0) return { inserted: 0 };
      const docs = await Promise.all(batch.map(toStored));
      try {
        const res = await ObservationModel.collection.insertMany(docs as never[], { ordered: false });
        return { inserted: res.insertedCount };
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        const inserted = (err as { result?: { insertedCount?: number }; insertedCount?: number }).result
          ?.insertedCount;
        return { inserted: inserted ?? 0 };
      }
    },
    async getMany(ids: string[]): Promise<Observation[]> {
      const docs = await io.readMany<StoredObservation>(ObservationModel.collection, ids);
      return Promise.all(docs.map(fromStored));
    },
  };
}
export type ObservationsRepository = ReturnType<typeof observationsRepository>;
