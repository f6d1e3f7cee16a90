// Builds the scorer's input from a stored paper and its signal history. This is where "a revision never
// resets age" is enforced: the age origin is the earliest date known for the paper, and revision dates
// (`updatedAt`, later versions) can only ever make it older, never newer.
import type { Paper, Source } from '../types.ts';
import { paperRow } from './row.ts';
import type { ScoreInput, SourceSeries } from './score.ts';
import type { SignalPoint } from './signal-series.ts';
import { DAY_MS } from './windows.ts';

/** Per-source signal history as a paper document keeps it (`series`: feed ids and points). */
export type SeriesBySource = Partial<
  Record<Source, { feeds: readonly string[]; points: readonly SignalPoint[] }>
>;

// arXiv opened in August 1991; earlier dates from a feed are parse artefacts (epoch 0), not ages.
const EARLIEST_PLAUSIBLE_MS = Date.UTC(1991, 7, 1);
// Papers are announced a few days after the month their id was issued in; a week's grace before the
// id month is allowed to age a paper.
const ARXIV_ID_GRACE_MS = 7 * DAY_MS;

/**
 * Latest instant by which a paper with this versionless arXiv id had appeared: the start of the month
 * after the id's YYMM, plus a week's grace. `2401.01234` → 2024-02-08; `hep-th/9901001` → 1999-02-08.
 */
export function arxivIdAppearedBy(arxivId: string): number | undefined {
  const m =
    /^(\d{2})(\d{2})\.\d{4,5}$/.exec(arxivId) ??
    /^[a-z-]+(?:\.[A-Z]{2})?\/(\d{2})(\d{2})\d{3}$/.exec(arxivId);
  if (!m) return undefined;
  const yy = Number(m[1]);
  const mm = Number(m[2]);
  if (mm < 1 || mm > 12) return undefined;
  const year = yy >= 91 ? 1900 + yy : 2000 + yy;
  return Date.UTC(year, mm, 1) + ARXIV_ID_GRACE_MS;
}

/**
 * Where a paper's age starts: the earliest of `firstSeenAt`, `publishedAt`, every version's `seenAt` and
 * the bound its arXiv id implies. Taking the minimum means no revision date can move it later, and an old
 * paper Paperwire first met at its v2 (`firstSeenAt` = today) still ages from its v1. `updatedAt` is never
 * read. Implausible dates (before arXiv existed) are ignored.
 */
export function ageOrigin(paper: Paper): string {
  const candidates = [paper.firstSeenAt, paper.publishedAt, ...paper.versions.map((v) => v.seenAt)]
    .map((d) => (d === undefined ? Number.NaN : Date.parse(d)))
    .filter((t) => Number.isFinite(t) && t >= EARLIEST_PLAUSIBLE_MS);
  const byId = paper.ids.arxiv === undefined ? undefined : arxivIdAppearedBy(paper.ids.arxiv);
  if (byId !== undefined) candidates.push(byId);
  // firstSeenAt unusable and nothing else known: pass it through and let the scorer reject it.
  if (candidates.length === 0) return paper.firstSeenAt;
  return new Date(Math.min(...candidates)).toISOString();
}

/**
 * One entry per source that mentions the paper (a sighting or a stored series); feeds are the distinct
 * feed ids of that source from both. A source without stored points scores only as a mention.
 */
export function scoreInputFromPaper(paper: Paper, series: SeriesBySource): ScoreInput {
  const feeds = new Map<Source, Set<string>>();
  const add = (source: Source, feedIds: readonly string[]) => {
    const set = feeds.get(source) ?? new Set<string>();
    for (const id of feedIds) set.add(id);
    feeds.set(source, set);
  };
  for (const s of paper.sightings) add(s.source, [s.feedId]);
  for (const [source, entry] of Object.entries(series) as [Source, SeriesBySource[Source]][]) {
    if (entry) add(source, entry.feeds);
  }
  const sources: SourceSeries[] = [...feeds.keys()].sort().map((source) => ({
    source,
    feeds: feeds.get(source)!.size,
    series: series[source]?.points ?? [],
  }));
  const firstSeenAt = ageOrigin(paper);
  const input: ScoreInput = {
    paperId: paper._id,
    title: paper.title,
    firstSeenAt,
    sources,
    row: paperRow(paper, series, firstSeenAt),
  };
  if (paper.primaryCategory !== undefined) input.primaryCategory = paper.primaryCategory;
  return input;
}
