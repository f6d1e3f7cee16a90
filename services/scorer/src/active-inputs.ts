// The score inputs of the active papers, kept by the scorer process between jobs so that a re-score reads
// only what changed (the dirty batch, and every paper whose activity mark moved since it was read, which
// covers batches another scorer process took), never the whole active set again; the first job
// of a process, and a manual re-score, load the active set whole: proportional to the active papers (the
// `pw:active` window), never to the collection.
import { type Paper, type ScoreInput, scoreInputFromPaper } from '@paperwire/core';
import { type Database, isRedirect } from '@paperwire/db';
import type { DirtyPapers } from '@paperwire/jobs';

export interface ActiveInputsDeps {
  db: Pick<Database, 'papers' | 'signalSeries'>;
  dirty: Pick<DirtyPapers, 'activeSinceWithTimes'>;
}

export interface Refreshed {
  inputs: ScoreInput[];
  /** Papers read from the database for this refresh. */
  read: number;
}

export function activeInputs(deps: ActiveInputsDeps) {
  const inputs = new Map<string, ScoreInput>();
  /**
   * The activity mark (ms) each input was read under; undefined until the first (full) load. A paper is
   * read again when its mark differs, earlier or later: marks carry the marking process's clock, so a late
   * or skewed one is still a change.
   */
  let readUnder: Map<string, number> | undefined;

  async function reload(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const [stored, series] = await Promise.all([
      deps.db.papers.getMany([...ids]),
      deps.db.signalSeries.getMany([...ids]),
    ]);
    const seriesById = new Map(series.map((s) => [s._id, s.sources]));
    const current = new Map(stored.filter((p): p is Paper => !isRedirect(p)).map((p) => [p._id, p] as const));
    for (const id of ids) {
      const paper = current.get(id);
      // Gone or merged into another paper (a redirect): no longer an input.
      if (paper) inputs.set(id, scoreInputFromPaper(paper, seriesById.get(id) ?? {}));
      else inputs.delete(id);
    }
  }

  return {
    /**
     * Brings the inputs up to date with the papers active since `since`: `full` re-reads them all, otherwise
     * only `dirty` and those marked since the last refresh are read.
     */
    async refresh(since: Date, dirty: readonly string[], full: boolean): Promise<Refreshed> {
      const active = new Map(await deps.dirty.activeSinceWithTimes(since));
      let ids: string[];
      if (full || readUnder === undefined) {
        inputs.clear();
        ids = [...active.keys()];
      } else {
        const known = readUnder;
        for (const id of inputs.keys()) if (!active.has(id)) inputs.delete(id);
        const changed = [...active].filter(([id, at]) => known.get(id) !== at).map(([id]) => id);
        ids = [...new Set([...dirty.filter((id) => active.has(id)), ...changed])];
      }
      await reload(ids);
      const next = new Map<string, number>();
      for (const id of active.keys()) {
        const before = readUnder?.get(id);
        if (before !== undefined) next.set(id, before);
      }
      for (const id of ids) next.set(id, active.get(id)!);
      readUnder = next;
      return { inputs: [...inputs.values()], read: ids.length };
    },
  };
}
export type ActiveInputs = ReturnType<typeof activeInputs>;
