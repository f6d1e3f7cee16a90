// A paper's signal history gains a point per source whenever that source's totals change. Totals are the
// sum over the source's sightings (two HN stories linking one paper both count), so the history is a
// function of the paper record alone and re-applying an observation adds nothing.
import type { SeriesBySource } from '../scoring/index.ts';
import type { Paper, SignalName, Signals, Source } from '../types.ts';

export function sourceTotals(
  paper: Pick<Paper, 'sightings'>,
): Map<Source, { feeds: string[]; signals: Signals }> {
  const out = new Map<Source, { feeds: string[]; signals: Signals }>();
  for (const s of paper.sightings) {
    const entry = out.get(s.source) ?? { feeds: [], signals: {} };
    if (!entry.feeds.includes(s.feedId)) entry.feeds.push(s.feedId);
    for (const [name, value] of Object.entries(s.signals) as [SignalName, number][]) {
      entry.signals[name] = (entry.signals[name] ?? 0) + value;
    }
    out.set(s.source, entry);
  }
  for (const entry of out.values()) entry.feeds.sort();
  return out;
}

/** A paper's current signals by source: `{ huggingface: { upvotes, comments }, hackernews: { points } }`. */
export type SignalsBySource = Partial<Record<Source, Signals>>;

/**
 * The current totals of each source that reports signals (sources that report none, such as arXiv, are left
 * out). Stored at the top level of a paper document beside its sightings, in the same write.
 */
export function currentSignals(paper: Pick<Paper, 'sightings'>): SignalsBySource {
  const out: SignalsBySource = {};
  for (const [source, totals] of [...sourceTotals(paper)].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (Object.keys(totals.signals).length > 0) out[source] = totals.signals;
  }
  return out;
}

function sameSignals(a: Signals, b: Signals): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<SignalName>;
  for (const k of keys) if ((a[k] ?? 0) !== (b[k] ?? 0)) return false;
  return true;
}

/**
 * Appends, for every source whose totals differ from its last point, a point at `at`. Sources that
 * report no signals at all (a plain RSS mention) keep their feed list but no points.
 */
export function appendSignalPoints(series: SeriesBySource, paper: Paper, at: string): SeriesBySource {
  const next: SeriesBySource = { ...series };
  for (const [source, totals] of sourceTotals(paper)) {
    const prev = series[source];
    const points = [...(prev?.points ?? [])];
    const last = points[points.length - 1];
    const hasSignals = Object.keys(totals.signals).length > 0;
    if (hasSignals && (!last || !sameSignals(last.signals, totals.signals))) {
      points.push({ at: last && last.at > at ? last.at : at, signals: totals.signals });
    }
    const feeds = [...new Set([...(prev?.feeds ?? []), ...totals.feeds])].sort();
    next[source] = { feeds, points };
  }
  return next;
}
