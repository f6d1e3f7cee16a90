// Dated boards (the papers that first appeared on a day, in an ISO week, in a month) are precomputed here,
// not queried per request: on FerretDB only `_id` equality is pushed down, so "papers first seen on
// 2026-12-03" would scan every paper in Go on each request. The scorer already holds the score inputs of
// every paper active in the last 30 days (`pw:active`), which covers every paper of an open period (the
// current one, and the previous one during its grace day): it ranks them and writes one document per
// period (`datedboards`, `_id` = `daily.2026-12-03`), which the API reads with one point read. Once a
// period is over plus the grace day, its board is written a last time, as of that instant, with
// `final: true`, and never again. A paper that left the active set keeps its last row (it gathers nothing
// more), so a month's early papers stay on the board after 30 days.
import {
  type DatedSnapshot,
  frozenAtMs,
  isFrozen,
  openPeriods,
  PERIOD_KINDS,
  type Period,
  previousPeriod,
  rankPeriod,
  SCORE_VERSION,
  type ScoreConstants,
  type ScoreInput,
} from '@paperwire/core';
import type { Database } from '@paperwire/db';

export interface DatedBoardsDeps {
  db: Pick<Database, 'datedBoards'>;
  constants: ScoreConstants;
  rankingSize: number;
}

/** The periods whose boards a job writes: every open one, and the last frozen one until it is final. */
export function periodsToPublish(nowMs: number): Period[] {
  return PERIOD_KINDS.flatMap((kind) => {
    const open = openPeriods(kind, nowMs);
    return [previousPeriod(open[0]!), ...open];
  });
}

/** Writes the dated boards of `inputs` as of `now`; returns how many were written (final ones are kept). */
export async function publishDatedBoards(
  deps: DatedBoardsDeps,
  inputs: readonly ScoreInput[],
  now: Date,
): Promise<number> {
  let written = 0;
  for (const period of periodsToPublish(now.getTime())) {
    const before = await deps.db.datedBoards.get(period.kind, period.key);
    if (before?.final) continue;
    const final = isFrozen(period, now.getTime());
    // A frozen board is ranked as of the instant it froze: signals gathered later do not count.
    const at = new Date(final ? frozenAtMs(period) : now.getTime());
    const board: DatedSnapshot = {
      _id: `${period.kind}.${period.key}`,
      kind: period.kind,
      period: period.key,
      start: new Date(period.startMs).toISOString(),
      end: new Date(period.endMs).toISOString(),
      asOf: at.toISOString(),
      final,
      scoreVersion: SCORE_VERSION,
      constants: { ...deps.constants },
      entries: rankPeriod(inputs, period, at, deps.constants, deps.rankingSize, before?.entries),
    };
    if ((await deps.db.datedBoards.publish(board)) === 'written') written++;
  }
  return written;
}
