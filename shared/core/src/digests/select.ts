// What goes into one digest: for each board the subscriber follows (window × category, in their order),
// the best-ranked papers of its current snapshot that no earlier digest sent them, each paper once. Pure.

import { matchesFilters, type ReaderFilters } from '../filters/filters.ts';
import type { RankingSnapshot } from '../scoring/snapshot.ts';
import type { Window } from '../types.ts';

export interface DigestBoard {
  window: Window;
  category: string;
  /** The board's current snapshot; undefined when it has none yet. */
  snapshot: RankingSnapshot | undefined;
}

/** One paper of a digest, with the board it was chosen from. */
export interface DigestItem {
  paperId: string;
  window: Window;
  category: string;
  rank: number;
  score: number;
  title: string;
}

/** The boards of a subscription, windows outer, categories inner (the order sections appear in). */
export function digestBoards(
  windows: readonly Window[],
  categories: readonly string[],
): { window: Window; category: string }[] {
  return windows.flatMap((window) => categories.map((category) => ({ window, category })));
}

/**
 * Up to `perBoard` papers per board, best rank first, leaving out `alreadySent`, papers an earlier board
 * of this digest took and, with `filters`, papers that match none of them. Empty when there is nothing new.
 */
export function selectDigest(
  boards: readonly DigestBoard[],
  alreadySent: ReadonlySet<string>,
  perBoard: number,
  filters?: ReaderFilters,
): DigestItem[] {
  const taken = new Set(alreadySent);
  const out: DigestItem[] = [];
  for (const { window, category, snapshot } of boards) {
    if (!snapshot) continue;
    const fresh = [...snapshot.entries]
      .sort((a, b) => a.rank - b.rank)
      .filter((e) => !taken.has(e.paperId) && matchesFilters(e, filters))
      .slice(0, Math.max(0, perBoard));
    for (const e of fresh) {
      taken.add(e.paperId);
      out.push({ paperId: e.paperId, window, category, rank: e.rank, score: e.score, title: e.title });
    }
  }
  return out;
}
