// Ranking snapshots for tests that store and read them: `window`/`category` at `asOf`, ranking `ids` in that
// order, each with a one-part breakdown (a name with dots, as real ones have).
import { bareRow, type RankedPaper, type RankingSnapshot, type Window } from '@paperwire/core';

export function rankingSnapshot(
  window: Window,
  category: string,
  asOf: string,
  ids: string[],
): RankingSnapshot {
  const entries: RankedPaper[] = ids.map((paperId, i) => ({
    ...bareRow(paperId, '', asOf),
    rank: i + 1,
    score: 100 - i,
    breakdown: { 'huggingface.upvotes.velocity': 100 - i },
    title: `Paper ${paperId}`,
    primaryCategory: category === 'all' ? 'cs.LG' : category,
  }));
  return {
    _id: `${window}.${category}.${Date.parse(asOf)}`,
    window,
    category,
    asOf,
    scoreVersion: 'pw-trend-1',
    constants: { 'huggingface.upvotes': 1 },
    entries,
  };
}
