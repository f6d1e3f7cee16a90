// Backfill progress, one document per backfill in the `meta` collection (`_id` = `backfill.<key>`), read
// and written by `_id` only. Written through the driver: the `meta` model's schema knows only markers.
// A backfill is a chain of `backfill-page` jobs; each job advances the document from its page to the next
// (compare-and-set on `pages`) before it enqueues the next page, so the cursor that is stored is always the
// one the next job must request.
import type { BackfillSource } from '@paperwire/core';
import { toBsonDates, toIsoDates } from '../bson-dates.ts';
import type { Models } from '../models.ts';

export type { BackfillSource };

export interface BackfillProgress {
  /** e.g. `arxiv.cs.LG.2026-11-01.2026-11-28` or `oai.arXivRaw.cs.2026-11-01.2026-12-04`. */
  key: string;
  /** The (paused) feed the observations belong to. Absent on progress saved before backfills were jobs. */
  feedId?: string;
  source?: BackfillSource;
  /** Pages stored so far: the next `backfill-page` job's `page`. */
  pages?: number;
  /** arXiv API: the next `start` offset. OAI-PMH: records (deleted ones included) delivered so far. */
  next: number;
  /** OAI-PMH: the resumptionToken the next page is requested with (none before the first page). */
  token?: string;
  /** Results the source reported for the query (unknown until the first page). */
  total?: number;
  /** Entries parsed so far (stored now or before). */
  records?: number;
  /** New observations stored so far. */
  stored: number;
  startedAt: string;
  updatedAt: string;
  completedAt?: string;
}

export function backfillsRepository(models: Models) {
  const meta = models.Meta.collection;
  const idOf = (key: string) => `backfill.${key}`;
  return {
    async get(key: string): Promise<BackfillProgress | undefined> {
      const doc = await meta.findOne({ _id: idOf(key) as never });
      if (!doc) return undefined;
      const { _id, ...progress } = toIsoDates(doc) as unknown as BackfillProgress & { _id: string };
      return progress;
    },
    /** Writes the whole document (the CLI, when it starts or re-starts a backfill). */
    async save(progress: BackfillProgress): Promise<void> {
      await meta.replaceOne({ _id: idOf(progress.key) as never }, toBsonDates({ ...progress }), {
        upsert: true,
      });
    },
    /**
     * Stores the progress after page `fromPage`, only if no one stored that page yet (a job run twice after
     * a crash). Returns whether this call advanced it.
     */
    async advance(progress: BackfillProgress, fromPage: number): Promise<boolean> {
      const res = await meta.replaceOne(
        { _id: idOf(progress.key) as never, pages: fromPage },
        toBsonDates({ ...progress }),
      );
      return res.matchedCount === 1;
    },
  };
}
export type BackfillsRepository = ReturnType<typeof backfillsRepository>;
