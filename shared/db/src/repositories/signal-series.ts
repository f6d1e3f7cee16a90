// Per-paper signal history (one document per paper, written by the resolver under the paper's lock).
import type { SeriesBySource } from '@paperwire/core';
import { toBsonDates, toIsoDates } from '../bson-dates.ts';
import type { Models } from '../models.ts';
import { type DocIo, findById, insertOrReplace } from './point-reads.ts';

export interface SignalSeriesDoc {
  _id: string;
  /** Keyed by source: the feeds that mention the paper and the source's points (compacted as they age). */
  sources: SeriesBySource;
}

export function signalSeriesRepository(models: Models, io: DocIo) {
  const { SignalSeries } = models;
  return {
    async get(paperId: string): Promise<SignalSeriesDoc | undefined> {
      const doc = await findById<SignalSeriesDoc>(SignalSeries.collection, paperId);
      return doc ? toIsoDates(doc) : undefined;
    },
    async getMany(paperIds: string[]): Promise<SignalSeriesDoc[]> {
      return toIsoDates(await io.readMany<SignalSeriesDoc>(SignalSeries.collection, paperIds));
    },
    /** `absent`: the caller found no series for this paper, so it is inserted. */
    async put(doc: SignalSeriesDoc, opts: { absent?: boolean } = {}): Promise<void> {
      const stored = toBsonDates(doc);
      if (opts.absent) return insertOrReplace(SignalSeries.collection, [stored]);
      await SignalSeries.collection.replaceOne({ _id: doc._id } as never, stored as never, { upsert: true });
    },
    /** Writes many series: those in `absent` (the caller found none) inserted, the others rewritten. */
    async putMany(docs: readonly SignalSeriesDoc[], absent: ReadonlySet<string>): Promise<void> {
      await io.writeMany(SignalSeries.collection, docs.map(toBsonDates), absent);
    },
    async remove(paperId: string): Promise<void> {
      await SignalSeries.deleteOne({ _id: paperId });
    },
  };
}
export type SignalSeriesRepository = ReturnType<typeof signalSeriesRepository>;
