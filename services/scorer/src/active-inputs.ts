// The score inputs of the active papers, kept by the scorer process between jobs so that a re-score reads
// only what changed (the dirty batch, and every paper whose activity mark moved since it was read, which
// covers batches another scorer process took), never the whole active set again; the first job
// of a process, and a manual re-score, load the active set whole: proportional to the active papers (the
// `pw:active` window), never to the collection. It also keeps which papers' inputs changed, with the
// boards each was and is on, so that a debounced job ranks only the boards those can have moved; they are
// forgotten only once a job has ranked those boards (`ranked()`), so a job that fails after its refresh
// leaves them to its retry (which reads the papers as already known, and could not tell them otherwise).
import { boardCategoriesOf, type ScoreInput, scoreInputFromPaper } from '@paperwire/core';
import { type Database, isRedirect } from '@paperwire/db';
import type { DirtyPapers } from '@paperwire/jobs';
import type { InputChange } from './boards.ts';

export interface ActiveInputsDeps {
  db: Pick<Database, 'papers'>;
  dirty: Pick<DirtyPapers, 'activeSinceWithTimes'>;
}

export interface Refreshed {
  inputs: ScoreInput[];
  /** Papers read from the database for this refresh. */
  read: number;
  /**
   * The papers whose inputs were added, replaced or dropped since the last `ranked()`, with their boards
   * before and after (one entry per refresh that changed them); undefined when any of those refreshes
   * loaded the whole active set: what changed since the boards were ranked is not known.
   */
  changes: InputChange[] | undefined;
}

/** The boards an input is on; none when it is no input. */
const boardsOf = (input: ScoreInput | undefined): string[] => (input ? boardCategoriesOf(input) : []);

export function activeInputs(deps: ActiveInputsDeps) {
  const inputs = new Map<string, ScoreInput>();
  /**
   * The activity mark (ms) each input was read under; undefined until the first (full) load. A paper is
   * read again when its mark differs, earlier or later: marks carry the marking process's clock, so a late
   * or skewed one is still a change.
   */
  let readUnder: Map<string, number> | undefined;
  /** Input changes no job has ranked yet; undefined: every board must be ranked (nothing ranked yet). */
  let unranked: InputChange[] | undefined;

  /** Reads `ids` again; returns how their inputs changed. */
  async function reload(ids: readonly string[]): Promise<InputChange[]> {
    if (ids.length === 0) return [];
    const stored = new Map((await deps.db.papers.getManyWithSeries([...ids])).map((s) => [s.doc._id, s]));
    const changes: InputChange[] = [];
    for (const id of ids) {
      const before = inputs.get(id);
      const read = stored.get(id);
      // Gone or merged into another paper (a redirect): no longer an input.
      const after =
        read && !isRedirect(read.doc) ? scoreInputFromPaper(read.doc, read.series ?? {}) : undefined;
      if (after) inputs.set(id, after);
      else inputs.delete(id);
      if (before || after) changes.push({ paperId: id, before: boardsOf(before), after: boardsOf(after) });
    }
    return changes;
  }

  return {
    /**
     * Brings the inputs up to date with the papers active since `since`: `full` re-reads them all, otherwise
     * only `dirty` and those marked since the last refresh are read.
     */
    async refresh(since: Date, dirty: readonly string[], full: boolean): Promise<Refreshed> {
      const active = new Map(await deps.dirty.activeSinceWithTimes(since));
      let ids: string[];
      const known = full ? undefined : readUnder;
      const whole = known === undefined;
      const left: InputChange[] = [];
      if (whole) {
        // Forget the old state before reading: if the reload fails, the next refresh loads whole again
        // rather than trusting a half-cleared set of inputs.
        readUnder = undefined;
        unranked = undefined;
        inputs.clear();
        ids = [...active.keys()];
      } else {
        for (const [id, input] of inputs) {
          if (active.has(id)) continue;
          inputs.delete(id);
          left.push({ paperId: id, before: boardsOf(input), after: [] });
        }
        const changed = [...active].filter(([id, at]) => known.get(id) !== at).map(([id]) => id);
        ids = [...new Set([...dirty.filter((id) => active.has(id)), ...changed])];
      }
      const reloaded = await reload(ids);
      const next = new Map<string, number>();
      for (const id of active.keys()) {
        const before = readUnder?.get(id);
        if (before !== undefined) next.set(id, before);
      }
      for (const id of ids) next.set(id, active.get(id)!);
      readUnder = next;
      unranked?.push(...left, ...reloaded);
      return { inputs: [...inputs.values()], read: ids.length, changes: unranked && [...unranked] };
    },
    /**
     * Every board the changes returned by the last refresh can have moved has been ranked (and published
     * where it changed): forget them. A job calls it after its last publish, never a partial job.
     */
    ranked(): void {
      unranked = [];
    },
  };
}
export type ActiveInputs = ReturnType<typeof activeInputs>;
