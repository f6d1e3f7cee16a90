// What changed at the top of a board between two rankings: the data behind threshold events ("entered
// the top 20", "left it", "moved from 7 to 2"). Pure; ranks are read from the entries' `rank` fields, so a
// ranking cut to any length compares the same way.
import type { RankedPaper } from './row.ts';
import type { RankEntered, RankingChanges, RankLeft, RankMoved } from './snapshot.ts';

/** Board depth that threshold events are about, unless a caller asks for another. */
export const DEFAULT_CHANGES_TOP_N = 20;

/** First entry per paper id (a well-formed ranking has one), so a duplicate cannot count twice. */
function byPaper(entries: readonly RankedPaper[]): Map<string, RankedPaper> {
  const out = new Map<string, RankedPaper>();
  for (const e of entries) if (!out.has(e.paperId)) out.set(e.paperId, e);
  return out;
}

/**
 * Entered, left and moved papers of the top `topN` (ranks 1..topN) from `previous` to `current`.
 * With no previous ranking every paper in the current top N has entered (the board is new). Entered and
 * moved are ordered by current rank, left by previous rank. A non-positive or non-integer `topN` is
 * floored at 0 (nothing is in the top).
 */
export function rankingChanges(
  previous: readonly RankedPaper[] | undefined,
  current: readonly RankedPaper[],
  topN: number,
): RankingChanges {
  const n = Number.isFinite(topN) ? Math.max(0, Math.floor(topN)) : 0;
  const before = byPaper(previous ?? []);
  const now = byPaper(current);
  const inTop = (e: RankedPaper | undefined): boolean => e !== undefined && e.rank <= n;

  const entered: RankEntered[] = [];
  const moved: RankMoved[] = [];
  for (const e of [...now.values()].filter(inTop).sort((a, b) => a.rank - b.rank)) {
    const prev = before.get(e.paperId);
    if (prev && inTop(prev)) {
      if (prev.rank !== e.rank) moved.push({ paperId: e.paperId, from: prev.rank, to: e.rank });
      continue;
    }
    const row: RankEntered = { paperId: e.paperId, title: e.title, rank: e.rank };
    if (prev) row.from = prev.rank;
    entered.push(row);
  }

  const left: RankLeft[] = [];
  for (const e of [...before.values()].filter(inTop).sort((a, b) => a.rank - b.rank)) {
    const next = now.get(e.paperId);
    if (inTop(next)) continue;
    const row: RankLeft = { paperId: e.paperId, title: e.title, rank: e.rank };
    if (next) row.to = next.rank;
    left.push(row);
  }
  return { topN: n, entered, left, moved };
}

/**
 * Whether two rankings list the same papers in the same order (so as many of them): a reader following
 * ranks sees the same board, whatever the scores. No previous ranking is never the same (the board is new).
 */
export function sameOrder(
  previous: readonly Pick<RankedPaper, 'paperId'>[] | undefined,
  current: readonly Pick<RankedPaper, 'paperId'>[],
): boolean {
  if (previous === undefined || previous.length !== current.length) return false;
  return previous.every((e, i) => e.paperId === current[i]!.paperId);
}
