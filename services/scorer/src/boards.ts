// Which boards a score-rankings job ranks, and which of those it publishes: pure decisions, so the job
// only reads and writes. A category board ranks only the papers filed under it and is not normalised
// against other categories, so between two jobs it can change by new inputs only through the papers that
// are on it now or were before; time alone (decay) moves it too, and that is the periodic job's. The
// overall board is normalised by every category's scale, so any change can move it.
import { type RankingSnapshot, sameOrder } from '@paperwire/core';

/** The overall board of a window. */
export const ALL_CATEGORIES = 'all';

/** What a job was asked for (the `score-rankings` payload). */
export interface ScoreJob {
  reason: 'dirty' | 'periodic' | 'manual';
  windows?: readonly string[];
  categories?: readonly string[];
}

/**
 * A paper whose score input a refresh changed: the boards it was on before (`[]`: it was no input) and
 * the boards it is on now (`[]`: no longer an input: merged away, gone, or out of the active set).
 */
export interface InputChange {
  paperId: string;
  before: readonly string[];
  after: readonly string[];
}

/** Asked for some windows or some boards: such a job keeps to them and publishes all it ranks. */
export function isPartial(job: ScoreJob): boolean {
  return job.windows !== undefined || job.categories !== undefined;
}

/**
 * The boards of each window a job ranks: `undefined` for every board. A partial job ranks what it was
 * asked for; periodic and manual jobs rank every board (decay moves them all); a debounced job ranks the
 * overall board and every category board a changed paper is on or left, unless its refresh loaded the
 * whole active set (`changes` undefined: the first job of a process does not know what changed since the
 * boards were published).
 */
export function boardsToRank(
  job: ScoreJob,
  changes: readonly InputChange[] | undefined,
): readonly string[] | undefined {
  if (job.categories !== undefined) return job.categories;
  if (job.windows !== undefined || job.reason !== 'dirty' || changes === undefined) return undefined;
  const categories = new Set(changes.flatMap((c) => [...c.before, ...c.after]));
  categories.delete(ALL_CATEGORIES);
  return [ALL_CATEGORIES, ...[...categories].sort()];
}

/**
 * Whether a job writes a board it ranked, given the board's current snapshot (none yet: undefined).
 *
 * A debounced (`dirty`) job skips a board whose papers and order did not change, under the same score
 * version and constants: its snapshot would differ only by scores that decay a little between jobs, and
 * each publish is a large document and events. Readers keep the current snapshot (same ETag, no
 * `trending.updated` without a change); its scores and `asOf` catch up at the next periodic job.
 *
 * Periodic and manual jobs always publish. The periodic job is what keeps every board's scores, breakdowns
 * and `asOf` at most one period (15 min) old: `/trending` shows them, `paperwire_score_lag_seconds` is the
 * age of the 24h board's `asOf`, and a quiet board skipped by every job would look like a stalled scorer
 * while showing hours-old scores. Its cost is once per period, not once per ingest batch. A manual job
 * is the operator asking for a fresh ranking, and a partial job asked for those boards by name.
 */
export function publishesBoard(
  job: ScoreJob,
  current: Pick<RankingSnapshot, 'entries' | 'scoreVersion' | 'constants'> | undefined,
  next: Pick<RankingSnapshot, 'category' | 'entries' | 'scoreVersion' | 'constants'>,
): boolean {
  // A category board is made by its first paper: an empty ranking creates none (a full run ranks only
  // categories that have papers), but it does empty a board whose last paper left.
  if (current === undefined) return next.category === ALL_CATEGORIES || next.entries.length > 0;
  if (job.reason !== 'dirty' || isPartial(job)) return true;
  return !(
    current.scoreVersion === next.scoreVersion &&
    sameConstants(current.constants, next.constants) &&
    sameOrder(current.entries, next.entries)
  );
}

function sameConstants(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}
