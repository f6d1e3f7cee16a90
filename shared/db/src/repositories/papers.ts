// Canonical papers and the aliases that point at them. A paper is only ever rewritten whole, by the
// resolver, while it holds the paper's lock (FerretDB runs updates as read-modify-write with no lock);
// the resolver reads and writes a whole batch's papers and aliases with multi-key reads and bulk writes.
// A paper's signal history (`series`) lives in its document: the resolver changes it only when it rewrites
// the paper, so it costs no read or write of its own, and the paper and its history never disagree.
import { currentSignals, type Paper, type SeriesBySource, type SignalsBySource } from '@paperwire/core';
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

/** A stored paper with its signal history (undefined: it has none yet). */
export interface PaperWithSeries {
  doc: StoredPaper;
  series: SeriesBySource | undefined;
}

/** What a stored document holds beside the paper itself. */
type StoredExtras = { signals?: SignalsBySource; series?: SeriesBySource };

/**
 * The stored form: BSON dates; a paper's current signals by source at the top level (`signals`, for
 * readers with their own driver), derived from its sightings in the same document write, so the two never
 * disagree (a redirect carries none); and its signal history (`series`), when it has one. A redirect keeps
 * the history of the paper it was: the id can become the survivor again (a stronger key), history and all.
 */
export function toStoredPaper(doc: StoredPaper, series?: SeriesBySource): StoredPaper & StoredExtras {
  const stored: StoredPaper & StoredExtras = toBsonDates(doc);
  if (!isRedirect(doc)) stored.signals = currentSignals(doc);
  if (series) stored.series = toBsonDates(series);
  return stored;
}

/** A stored paper as the pipeline sees it: ISO strings, no `signals` (the sightings hold them), no `series`. */
function fromStoredPaper<T extends StoredPaper>(doc: T): T {
  const { signals: _derived, series: _history, ...rest } = doc as T & StoredExtras;
  return toIsoDates(rest) as T;
}

/** A projection for reads of papers that do not need their histories (they grow with every sighting). */
const WITHOUT_SERIES = { series: 0 } as const;

function withSeries(doc: StoredPaper & StoredExtras): PaperWithSeries {
  return { doc: fromStoredPaper(doc), series: doc.series ? toIsoDates(doc.series) : undefined };
}

export function papersRepository(models: Models, io: DocIo) {
  const { Paper: PaperModel, Alias } = models;
  const getStored = async (id: string) => {
    // The history stays in the database: GET /papers/:id and the CLI read papers, not their histories.
    const doc = await findById<StoredPaper>(PaperModel.collection, id, WITHOUT_SERIES);
    return doc ? fromStoredPaper(doc) : undefined;
  };

  return {
    getStored,
    async getMany(ids: readonly string[]): Promise<StoredPaper[]> {
      return (await io.readMany<StoredPaper>(PaperModel.collection, ids)).map(fromStoredPaper);
    },
    /** Papers and redirects with their signal histories, in one multi-key read. */
    async getManyWithSeries(ids: readonly string[]): Promise<PaperWithSeries[]> {
      return (await io.readMany<StoredPaper & StoredExtras>(PaperModel.collection, ids)).map(withSeries);
    },
    /** One paper's signal history (undefined: no such document, or no history yet). */
    async getSeries(id: string): Promise<SeriesBySource | undefined> {
      const doc = await findById<StoredPaper & StoredExtras>(PaperModel.collection, id);
      return doc ? withSeries(doc).series : undefined;
    },
    /**
     * Whole-document write (upsert), with the signal history given (none: the document has none after).
     * Only the lock holder calls this. `absent`: the caller found no document under this id, so it is
     * inserted (replaced after all if one turns up).
     */
    async put(doc: StoredPaper, opts: { absent?: boolean; series?: SeriesBySource } = {}): Promise<void> {
      const stored = toStoredPaper(doc, opts.series);
      if (opts.absent) return insertOrReplace(PaperModel.collection, [stored]);
      await PaperModel.collection.replaceOne({ _id: doc._id } as never, stored as never, { upsert: true });
    },
    /**
     * Whole-document writes of many papers and redirects, each with its signal history from `series` (only
     * the lock holder calls this, with every history it read: a rewrite without one drops it): those in
     * `absent` (the caller found no document under the id) inserted, the others rewritten.
     */
    async putMany(
      docs: readonly StoredPaper[],
      absent: ReadonlySet<string>,
      series: ReadonlyMap<string, SeriesBySource>,
    ): Promise<void> {
      const stored = docs.map((d) => toStoredPaper(d, series.get(d._id)));
      await io.writeMany(PaperModel.collection, stored, absent);
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
        (await PaperModel.find(filter, WITHOUT_SERIES)
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
