// What the near-duplicate index remembers of a paper: one entry per title it was seen under (an arXiv
// title, a blog's rewording of it), with the author keys and ids the exact decision needs, so a candidate
// is confirmed or rejected without reading the paper. Pure; the index itself lives in Redis
// (shared/ingest/src/near-index.ts).
import type { Author, PaperIds } from '../types.ts';
import { dedupAuthorKey } from './cluster.ts';
import type { DedupCandidate } from './decision.ts';

export interface NearEntry {
  paperId: string;
  title: string;
  authorKeys: string[];
  ids: PaperIds;
}

/** A paper keeps at most this many title variants (the oldest are dropped). */
export const MAX_NEAR_VARIANTS = 8;
/** A band remembers at most this many papers (the oldest are dropped): generic titles stay cheap. */
export const MAX_BAND_PAPERS = 50;

/** The entry of a stored paper under its current title (what a rebuild of the index starts from). */
export function nearEntryOfPaper(paper: {
  _id: string;
  title: string;
  authors: readonly Author[];
  ids: PaperIds;
}): NearEntry {
  return {
    paperId: paper._id,
    title: paper.title,
    authorKeys: paper.authors.map(dedupAuthorKey),
    ids: paper.ids,
  };
}

/** The exact decision's view of an entry. */
export const candidateOfNearEntry = (e: NearEntry): DedupCandidate => ({
  title: e.title,
  authors: e.authorKeys.map((key) => ({ key })),
  ids: e.ids,
});

/**
 * A paper's variants with `entry` added, or undefined when one with the same title is there already: the
 * newest wins a place when the list is full.
 */
export function withNearVariant(current: readonly NearEntry[], entry: NearEntry): NearEntry[] | undefined {
  if (current.some((e) => e.title === entry.title)) return undefined;
  return [...current, entry].slice(-MAX_NEAR_VARIANTS);
}
