// Event builders: each event's id is derived from the change it describes, so the job that makes a change
// (or its retry) always produces the same id, and consumers can drop a duplicate by id:
//   paper.created:<paperId>                  paper.revised:<paperId>:v<version> | :<hash of title+abstract>
//   paper.merged:<survivorId>:<mergedId>      paper.signals:<paperId>:<hash of the totals>
//   trending.updated:<snapshotId>            trending.entered|left:<snapshotId>:<paperId>
// Pure: `occurredAt` is a parameter. Shapes are FerretDB-safe (no dotted keys, no nested arrays).
import { createHash } from 'node:crypto';
import { sourceTotals } from '../merge/signal-history.ts';
import { type EventRow, eventRow } from '../scoring/row.ts';
import type { RankEntered, RankingSnapshot, RankLeft } from '../scoring/snapshot.ts';
import type { Paper } from '../types.ts';
import { EVENT_VERSION, type EventType } from './schema.ts';
import type {
  EventDataByType,
  EventOf,
  EventPaper,
  PaperwireEvent,
  RevisionField,
  SignalTotal,
  TrendingBoard,
} from './types.ts';

/** First 16 hex digits of the sha256 of `value`'s JSON (callers pass arrays, so key order is fixed). */
function shortHash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}

/** Drops undefined fields: stored documents carry no `null` stand-ins and schemas stay strict. */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function event<T extends EventType>(
  type: T,
  idParts: readonly (string | number)[],
  occurredAt: string,
  data: EventDataByType[T],
): EventOf<T> {
  // TypeScript cannot resolve `z.infer` of a schema indexed by a generic T; `data` is checked above, and
  // every builder's result is checked against its concrete EventOf<'…'>.
  return { id: [type, ...idParts].join(':'), type, version: EVENT_VERSION, occurredAt, data } as EventOf<T>;
}

export function eventPaper(p: Paper): EventPaper {
  return defined({
    paperId: p._id,
    title: p.title,
    ids: defined({ ...p.ids }),
    authors: p.authors.map((a) => a.name),
    primaryCategory: p.primaryCategory,
    categories: [...p.categories],
    latestVersion: p.latestVersion,
    url: p.links.abs,
    firstSeenAt: p.firstSeenAt,
    publishedAt: p.publishedAt,
  });
}

/** Every source's signal totals, sorted by source then name (what `paper.signals` reports and hashes). */
export function signalTotals(p: Paper | undefined): SignalTotal[] {
  if (!p) return [];
  const out: SignalTotal[] = [];
  for (const [source, { signals }] of sourceTotals(p)) {
    for (const [name, value] of Object.entries(signals)) {
      if (value !== undefined) out.push({ source, name, value });
    }
  }
  return out.sort((a, b) =>
    a.source === b.source ? (a.name < b.name ? -1 : 1) : a.source < b.source ? -1 : 1,
  );
}

export function paperCreated(paper: Paper, occurredAt: string): EventOf<'paper.created'> {
  return event('paper.created', [paper._id], occurredAt, { paper: eventPaper(paper) });
}

/**
 * A new arXiv version, or a changed title or abstract; undefined when neither changed. The id names the
 * version when it changed, else a hash of the revised title and abstract (so a text that returns to one
 * already announced for this paper is not announced again).
 */
export function paperRevised(
  before: Paper,
  after: Paper,
  occurredAt: string,
): EventOf<'paper.revised'> | undefined {
  const changed: RevisionField[] = [];
  const newVersion = (after.latestVersion ?? 0) > (before.latestVersion ?? 0);
  if (newVersion) changed.push('version');
  if (after.title !== before.title) changed.push('title');
  if ((after.abstract ?? '') !== (before.abstract ?? '')) changed.push('abstract');
  if (changed.length === 0) return undefined;
  const idPart = newVersion ? `v${after.latestVersion}` : shortHash([after.title, after.abstract ?? '']);
  return event(
    'paper.revised',
    [after._id, idPart],
    occurredAt,
    defined({
      paper: eventPaper(after),
      changed,
      previousVersion: newVersion ? before.latestVersion : undefined,
      previousTitle: changed.includes('title') ? before.title : undefined,
      abstract: changed.includes('abstract') ? after.abstract : undefined,
    }),
  );
}

export function paperMerged(survivor: Paper, mergedId: string, occurredAt: string): EventOf<'paper.merged'> {
  return event('paper.merged', [survivor._id, mergedId], occurredAt, {
    survivorId: survivor._id,
    mergedId,
    title: survivor.title,
  });
}

/** The paper's signal totals changed (or it has signals for the first time); undefined otherwise. */
export function paperSignals(
  before: Paper | undefined,
  after: Paper,
  occurredAt: string,
): EventOf<'paper.signals'> | undefined {
  const previous = signalTotals(before);
  const totals = signalTotals(after);
  if (totals.length === 0 || JSON.stringify(previous) === JSON.stringify(totals)) return undefined;
  const hashed = totals.map((t) => [t.source, t.name, t.value]);
  return event('paper.signals', [after._id, shortHash(hashed)], occurredAt, {
    paperId: after._id,
    title: after.title,
    totals,
    previous,
  });
}

/**
 * The events of one resolution, from the survivor before and after it and the ids merged into it: created
 * (no survivor record before), else revised; merged per merged-away id; signals when the totals changed.
 */
export function paperEvents(
  before: Paper | undefined,
  after: Paper,
  mergedAway: readonly string[],
  occurredAt: string,
): PaperwireEvent[] {
  const out: PaperwireEvent[] = [];
  if (!before) out.push(paperCreated(after, occurredAt));
  else {
    const revised = paperRevised(before, after, occurredAt);
    if (revised) out.push(revised);
  }
  for (const id of [...mergedAway].sort()) out.push(paperMerged(after, id, occurredAt));
  const signals = paperSignals(before, after, occurredAt);
  if (signals) out.push(signals);
  return out;
}

const boardOf = (s: RankingSnapshot): TrendingBoard => ({
  snapshotId: s._id,
  window: s.window,
  category: s.category,
  asOf: s.asOf,
});

function rowOf(s: RankingSnapshot, paperId: string): EventRow | undefined {
  const entry = s.entries.find((e) => e.paperId === paperId);
  return entry && eventRow(entry);
}

export function trendingUpdated(s: RankingSnapshot): EventOf<'trending.updated'> {
  const topN = s.changes?.topN ?? 0;
  return event('trending.updated', [s._id], s.asOf, {
    ...boardOf(s),
    scoreVersion: s.scoreVersion,
    size: s.entries.length,
    topN,
    top: s.entries.filter((e) => e.rank <= topN).map(eventRow),
    entered: s.changes?.entered.length ?? 0,
    left: s.changes?.left.length ?? 0,
    moved: (s.changes?.moved ?? []).map((m) => ({ paperId: m.paperId, from: m.from, to: m.to })),
  });
}

export function trendingEntered(s: RankingSnapshot, e: RankEntered): EventOf<'trending.entered'> {
  return event(
    'trending.entered',
    [s._id, e.paperId],
    s.asOf,
    defined({
      ...boardOf(s),
      topN: s.changes?.topN ?? 0,
      paperId: e.paperId,
      title: e.title,
      rank: e.rank,
      from: e.from,
      row: rowOf(s, e.paperId),
    }),
  );
}

export function trendingLeft(s: RankingSnapshot, e: RankLeft): EventOf<'trending.left'> {
  return event(
    'trending.left',
    [s._id, e.paperId],
    s.asOf,
    defined({
      ...boardOf(s),
      topN: s.changes?.topN ?? 0,
      paperId: e.paperId,
      title: e.title,
      rank: e.rank,
      to: e.to,
    }),
  );
}

/**
 * The events of one published snapshot: entered and left papers, then `trending.updated` last (its
 * presence in the outbox means the snapshot's other events were recorded before it).
 */
export function trendingEvents(s: RankingSnapshot): PaperwireEvent[] {
  return [
    ...(s.changes?.entered ?? []).map((e) => trendingEntered(s, e)),
    ...(s.changes?.left ?? []).map((e) => trendingLeft(s, e)),
    trendingUpdated(s),
  ];
}
