// score-rankings: take the dirty batch → load the active papers of the longest window (point reads) →
// score and rank each window, overall and per category (pure) → publish frozen snapshots → release the
// batch → ask again if more became dirty meanwhile. Work is proportional to the active set, never to the
// whole collection.
import {
  type Paper,
  type RankingSnapshot,
  rankByCategory,
  rankWindow,
  SCORE_VERSION,
  type ScoreConstants,
  type ScoreInput,
  scoreInputFromPaper,
  WINDOW_MS,
  WINDOWS,
  type Window,
} from '@paperwire/core';
import { type Database, isRedirect } from '@paperwire/db';
import { type DirtyPapers, type Handler, type Queues, requestScoring } from '@paperwire/jobs';

export interface ScoreRankingsDeps {
  db: Database;
  dirty: DirtyPapers;
  queues: Queues;
  constants: ScoreConstants;
  rankingSize: number;
  batchSize: number;
  now: () => Date;
}

export interface ScoreRankingsResult {
  dirty: number;
  active: number;
  snapshots: number;
}

/** The overall board of a window. */
export const ALL_CATEGORIES = 'all';

const LONGEST_WINDOW_MS = Math.max(...WINDOWS.map((w) => WINDOW_MS[w]));

async function loadActiveInputs(deps: ScoreRankingsDeps, now: Date): Promise<ScoreInput[]> {
  const ids = await deps.dirty.activeSince(new Date(now.getTime() - LONGEST_WINDOW_MS));
  const [stored, series] = await Promise.all([
    deps.db.papers.getMany(ids),
    deps.db.signalSeries.getMany(ids),
  ]);
  const seriesById = new Map(series.map((s) => [s._id, s.sources]));
  return stored
    .filter((p): p is Paper => !isRedirect(p))
    .map((p) => scoreInputFromPaper(p, seriesById.get(p._id) ?? {}));
}

function snapshotsFor(
  inputs: ScoreInput[],
  window: Window,
  now: Date,
  deps: ScoreRankingsDeps,
): RankingSnapshot[] {
  const asOf = now.toISOString();
  const base = { window, asOf, scoreVersion: SCORE_VERSION, constants: { ...deps.constants } };
  const opts = { window, now, constants: deps.constants, limit: deps.rankingSize };
  const out: RankingSnapshot[] = [
    {
      ...base,
      _id: `${window}.${ALL_CATEGORIES}.${now.getTime()}`,
      category: ALL_CATEGORIES,
      entries: rankWindow(inputs, { ...opts, normaliseCategories: true }),
    },
  ];
  for (const [category, entries] of rankByCategory(inputs, opts)) {
    out.push({ ...base, _id: `${window}.${category}.${now.getTime()}`, category, entries });
  }
  return out;
}

export function scoreRankingsHandler(deps: ScoreRankingsDeps): Handler<'score-rankings'> {
  return async ({ windows }, { log }): Promise<ScoreRankingsResult> => {
    const batch = await deps.dirty.take(deps.batchSize);
    const now = deps.now();
    const inputs = await loadActiveInputs(deps, now);
    let snapshots = 0;
    for (const window of windows ?? WINDOWS) {
      for (const snapshot of snapshotsFor(inputs, window, now, deps)) {
        await deps.db.rankings.publish(snapshot);
        snapshots++;
      }
    }
    await deps.dirty.done(batch);
    await deps.dirty.trimActive(new Date(now.getTime() - LONGEST_WINDOW_MS));
    if ((await deps.dirty.pending()) > 0) await requestScoring(deps.queues, deps.now());
    log.info({ dirty: batch.length, active: inputs.length, snapshots }, 'scorer: rankings published');
    return { dirty: batch.length, active: inputs.length, snapshots };
  };
}
