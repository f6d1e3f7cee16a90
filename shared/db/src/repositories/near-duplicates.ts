// What the near-duplicate index (Redis, shared/ingest/src/near-index.ts) needs from the system of record:
// every current paper's title, authors and ids, read in one pass to rebuild it, and the index's generation,
// which the index also keeps in Redis so a flushed or foreign Redis is told apart from an empty database.
import type { Author, PaperIds } from '@paperwire/core';
import type { Models } from '../models.ts';
import { declareQuery } from '../queries.ts';

/** The fields of a paper the index is built from. */
export interface IndexedPaper {
  _id: string;
  title: string;
  authors: Author[];
  ids: PaperIds;
}

const GENERATION = 'near-index.generation';

export function nearDuplicatesRepository(models: Models) {
  const { Paper, Meta } = models;
  return {
    /** Every current paper (redirects skipped), in pages of `pageSize`, from one scan. */
    async *scanPapers(pageSize = 1000): AsyncGenerator<IndexedPaper[]> {
      const cursor = Paper.collection
        .find({}, { projection: { title: 1, authors: 1, ids: 1, mergedInto: 1 } })
        .batchSize(pageSize);
      let page: IndexedPaper[] = [];
      for await (const doc of cursor) {
        if ((doc as { mergedInto?: string }).mergedInto !== undefined) continue;
        page.push(doc as unknown as IndexedPaper);
        if (page.length >= pageSize) {
          yield page;
          page = [];
        }
      }
      if (page.length > 0) yield page;
    },
    /** The generation of the index last built for this database (undefined: never built). */
    async generation(): Promise<string | undefined> {
      const doc = await Meta.collection.findOne({ _id: GENERATION as never });
      const value = (doc as { value?: unknown } | null)?.value;
      return typeof value === 'string' ? value : undefined;
    },
    async setGeneration(generation: string, at: Date): Promise<void> {
      await Meta.collection.replaceOne(
        { _id: GENERATION as never },
        { value: generation, at },
        { upsert: true },
      );
    },
  };
}
export type NearDuplicatesRepository = ReturnType<typeof nearDuplicatesRepository>;

declareQuery({
  name: 'nearDuplicates.scanPapers()',
  collection: 'papers',
  residual: ['mergedInto'],
  index: { scan: 'a rebuild of the near-duplicate index reads every paper once' },
});
