// Ranking snapshots and how one board changed between two of them. Plain data; the entries' contract is
// `rankedPaperSchema` (row.ts).
import type { Window } from '../types.ts';
import type { PeriodKind } from './periods.ts';
import type { RankedPaper } from './row.ts';

/** A frozen ranking: written once, then made current by switching a pointer. */
export interface RankingSnapshot {
  _id: string;
  window: Window;
  /** `all` for the overall ranking. */
  category: string;
  asOf: string;
  scoreVersion: string;
  constants: Record<string, number>;
  entries: RankedPaper[];
  /** How the top of this board changed against the snapshot it replaced (see `rankingChanges`). */
  changes?: RankingChanges;
}

/** A paper that entered the top N: its rank now, and its rank before when it was ranked lower. */
export interface RankEntered {
  paperId: string;
  title: string;
  rank: number;
  from?: number;
}

/** A paper that left the top N: its rank before, and its rank now when it is still ranked lower. */
export interface RankLeft {
  paperId: string;
  title: string;
  rank: number;
  to?: number;
}

/** A paper in the top N both times whose rank changed. */
export interface RankMoved {
  paperId: string;
  from: number;
  to: number;
}

/** The difference between two rankings of one board, as far as its top N is concerned. */
export interface RankingChanges {
  topN: number;
  entered: RankEntered[];
  left: RankLeft[];
  moved: RankMoved[];
}

/**
 * A dated board: the papers that first appeared in one calendar period (`periods.ts`), by what they
 * gathered. One document per period, replaced while the period is open and its grace runs; `final` once
 * frozen, after which it never changes.
 */
export interface DatedSnapshot {
  /** `<kind>.<key>`: `daily.2026-12-03`, `weekly.2026-W49`, `monthly.2026-12`. */
  _id: string;
  kind: PeriodKind;
  period: string;
  /** The period's bounds (ISO-8601, end exclusive). */
  start: string;
  end: string;
  asOf: string;
  /** Frozen: written at or after `end` + grace, never again. */
  final: boolean;
  scoreVersion: string;
  constants: Record<string, number>;
  entries: RankedPaper[];
}
