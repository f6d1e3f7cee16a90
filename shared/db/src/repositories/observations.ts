// Append-only normalised entries. Ids are deterministic, so inserting a batch twice adds nothing.
import type { Observation } from '@paperwire/core';
import { toBsonDates, toIsoDates } from '../bson-dates.ts';
import type { Models } from '../models.ts';
import { type DocIo, isDuplicateKeyError } from './point-reads.ts';

export function observationsRepository(models: Models, io: DocIo) {
  const { Observation: ObservationModel } = models;
  return {
    /** Inserts the observations not stored yet; returns how many were new. */
    async insertNew(batch: Observation[]): Promise<{ inserted: number }> {
      if (batch.length === 0) return { inserted: 0 };
      try {
        const res = await ObservationModel.collection.insertMany(batch.map(toBsonDates) as never[], {
          ordered: false,
        });
        return { inserted: res.insertedCount };
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        const inserted = (err as { result?: { insertedCount?: number }; insertedCount?: number }).result
          ?.insertedCount;
        return { inserted: inserted ?? 0 };
      }
    },
    async getMany(ids: string[]): Promise<Observation[]> {
      return toIsoDates(await io.readMany<Observation & { _id: string }>(ObservationModel.collection, ids));
    },
  };
}
export type ObservationsRepository = ReturnType<typeof observationsRepository>;
