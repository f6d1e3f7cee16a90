// Canonical papers and the aliases that point at them. A paper is only ever rewritten whole, by the
// resolver, while it holds the paper's lock (FerretDB runs updates as read-modify-write with no lock);
// the resolver reads and writes a whole batch's papers and aliases with multi-key reads and bulk writes.
import { currentSignals, type Paper, type SignalsBySource } from '@paperwire/core';
import { toBsonDates, toIsoDates } from '../bson-dates.ts';
import type { Models } from '../models.ts';
import { declareQuery } from '../queries.ts';
import { type DocIo, findById, insertOrReplace } from './point-reads.ts';

/** A paper that was merged into another keeps its id as a redirect. */
export interface PaperRedirect {
  _id: string;
  mergedInto: string;
  mergedAt: string;
}
export type StoredPaper = Paper | PaperRedirect;

export function isRedirect(doc: StoredPaper): doc is PaperRedirect {
  return typeof (doc as PaperRedirect).mergedInto === 'string';
}

export interface PaperListQuery {
  category?: string;
  source?: string;
  since?: string;
  until?: string;
  /** `firstSeenAt|_id` of the last item of the previous page. */
  after?: { firstSeenAt: string; id: string };
  limit: number;
}

/**
 * The stored form: BSON dates, and a paper's current signals by source at the top level (`signals`, for
 * readers with their own driver), derived from its sightings in the same document write, so the two never
 * disagree. A redirect carries none.
 */
export function toStoredPaper(doc: StoredPaper): StoredPaper & { signals?: SignalsBySource } {
  const stored = toBsonDates(doc);
  return isRedirect(doc) ? stored : { ...stored, signals: currentSignals(doc) };
}

/** A stored paper as the pipeline sees it: ISO strings, and no `signals` (the sightings hold them). */
function fromStoredPaper<T extends StoredPaper>(doc: T): T {
  const { signals: _derived, ...rest } = doc as T & { signals?: unknown };
  return toIsoDates(rest) as T;
}

export function papersRepository(models: Models, io: DocIo) {
  const { Paper: PaperModel, Alias } = models;
  const getStored = async (id: string) => {
    const doc = await findById<StoredPaper>(PaperModel.collection, id);
    return doc ? fromStoredPaper(doc) : undefined;
  };

  return {
    getStored,
    async getMany(ids: readonly string[]): Promise<StoredPaper[]> {
      return (await io.readMany<StoredPaper>(PaperModel.collection, ids)).map(fromStoredPaper);
    },
    /**
     * Whole-document write (upsert). Only the lock holder calls this. `absent`: the caller found no document
     * under this id, so it is inserted (replaced after all if one turns up).
     */
    async put(doc: StoredPaper, opts: { absent?: boolean } = {}): Promise<void> {
      const stored = toStoredPaper(doc);
      if (opts.absent) return insertOrReplace(PaperModel.collection, [stored]);
      await PaperModel.collection.replaceOne({ _id: doc._id } as never, stored as never, { upsert: true });
    },
    /**
     * Whole-document writes of many papers and redirects (only the lock holder calls this): those in
     * `absent` (the caller found no document under the id) inserted, the others rewritten.
     */
    async putMany(docs: readonly StoredPaper[], absent: ReadonlySet<string>): Promise<void> {
      await io.writeMany(PaperModel.collection, docs.map(toStoredPaper), absent);
    },
    /** Owner of each identity key (multi-key reads on `aliases`). */
    async lookupAliases(keys: readonly string[]): Promise<Map<string, string>> {
      const found = await io.readMany<{ _id: string; paperId: string }>(Alias.collection, keys);
      return new Map(found.map((a) => [a._id, a.paperId]));
    },
    /**
     * Points each key at its paper: keys in `absent` (known to have no alias yet) inserted, the others
     * rewritten.
     */
    async pointAliases(
      targets: ReadonlyMap<string, string>,
      at: string,
      absent: ReadonlySet<string> = new Set(),
    ): Promise<void> {
      const docs = [...targets].map(([key, paperId]) => ({ _id: key, paperId, at: new Date(at) }));
      await io.writeMany(Alias.collection, docs, absent);
    },
    /** Newest first, keyset-paginated on (firstSeenAt desc, _id asc). Redirects are excluded. */
    async list(q: PaperListQuery): Promise<Paper[]> {
      const filter: Record<string, unknown> = { mergedInto: { $exists: false } };
      if (q.category) filter.categories = q.category;
      if (q.source) filter['sightings.source'] = q.source;
      // Stored as dates: any date the caller accepted (`2026-11-28` too) is compared as one.
      const range: Record<string, Date> = {};
      if (q.since) range.$gte = new Date(q.since);
      if (q.until) range.$lt = new Date(q.until);
      if (Object.keys(range).length > 0) filter.firstSeenAt = range;
      if (q.after) {
        const after = new Date(q.after.firstSeenAt);
        filter.$or = [{ firstSeenAt: { $lt: after } }, { firstSeenAt: after, _id: { $gt: q.after.id } }];
      }
      return (
        (await PaperModel.find(filter)
          .sort({ firstSeenAt: -1, _id: 1 })
          .limit(q.limit)
          .lean()) as unknown as Paper[]
      ).map(fromStoredPaper);
    },
    async count(): Promise<number> {
      return PaperModel.countDocuments({ mergedInto: { $exists: false } });
    },
  };
}
export type PapersRepository = ReturnType<typeof papersRepository>;

// The queries above besides `_id` reads, and the index each relies on (checked by queries.test.ts).
// Every listing skips redirects (`mergedInto`) on the documents the index yields: few papers are merged.
const newestFirst = { firstSeenAt: -1, _id: 1 } as const;
const keyset = ['firstSeenAt', '_id'];
declareQuery({
  name: 'papers.list({ since, until, cursor })',
  collection: 'papers',
  range: keyset,
  sort: newestFirst,
  residual: ['mergedInto'],
  index: 'papers_firstSeenAt',
});
declareQuery({
  name: 'papers.list({ category })',
  collection: 'papers',
  equality: ['categories'],
  range: keyset,
  sort: newestFirst,
  residual: ['mergedInto'],
  index: 'papers_categories_firstSeenAt',
});
// A source is on a large share of all papers (a handful of sources): walking the newest-first index and
// skipping the others reads a few pages, where an index per source would cost every paper write.
declareQuery({
  name: 'papers.list({ source })',
  collection: 'papers',
  range: keyset,
  sort: newestFirst,
  residual: ['mergedInto', 'sightings.source'],
  index: 'papers_firstSeenAt',
});
declareQuery({
  name: 'papers.list({ category, source })',
  collection: 'papers',
  equality: ['categories'],
  range: keyset,
  sort: newestFirst,
  residual: ['mergedInto', 'sightings.source'],
  index: 'papers_categories_firstSeenAt',
});
declareQuery({
  name: 'papers.count()',
  collection: 'papers',
  residual: ['mergedInto'],
  index: { scan: 'a total for `run` and `replay` summaries, once per command' },
});
