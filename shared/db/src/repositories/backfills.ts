// Backfill progress, one document per backfill in the `meta` collection (`_id` = `backfill.<key>`), read
// and written by `_id` only. Written through the driver: the `meta` model's schema knows only markers.
import type { Models } from '../models.ts';

export interface BackfillProgress {
  /** e.g. `arxiv.cs.LG.2026-11-01.2026-11-28`. */
  key: string;
  /** The next `start` offset to request. */
  next: number;
  /** Results the source reported for the query (unknown until the first page). */
  total?: number;
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
      const { _id, ...progress } = doc as unknown as BackfillProgress & { _id: string };
      return progress;
    },
    /** Saves progress after a page is stored (one writer per backfill: the CLI running it). */
    async save(progress: BackfillProgress): Promise<void> {
      await meta.replaceOne({ _id: idOf(progress.key) as never }, { ...progress }, { upsert: true });
    },
  };
}
export type BackfillsRepository = ReturnType<typeof backfillsRepository>;
