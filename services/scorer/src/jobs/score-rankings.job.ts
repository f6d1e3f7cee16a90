// score-rankings: take the dirty batch → bring the active papers' score inputs up to date (only what
// changed since the last job; a process's first job and a manual one load the active set: active-inputs.ts)
// → choose the boards (boards.ts: a debounced job, the overall board and those of the changed papers'
// categories, before and after; other jobs, every board) → score and rank them in each window, cross-lists
// included (pure) → publish frozen snapshots of those whose order changed (a debounced job) or of all of
// them (periodic, manual), each with what changed at the top since the snapshot it replaces, and its
// events (trending.updated/entered/left) in the outbox (each publish trims its board's history) → periodic
// jobs sweep unlisted snapshots → release the batch → record a debounced job's duration (it paces the next
// ones) → ask again if more became dirty meanwhile. Work is proportional to the active set, never to the
// whole collection.
import {
  type RankingSnapshot,
  rankBoards,
  rankByCategory,
  rankingChanges,
  SCORE_VERSION,
  type ScoreConstants,
  type ScoreInput,
  trendingEvents,
  WINDOW_MS,
  WINDOWS,
  type Window,
} from '@paperwire/core';
import type { Database } from '@paperwire/db';
import {
  type DirtyPapers,
  type EventRecorder,
  type Handler,
  type Queues,
  requestRelay,
  requestScoring,
} from '@paperwire/jobs';
import { activeInputs } from '../active-inputs.ts';
import { ALL_CATEGORIES, boardsToRank, isPartial, publishesBoard, type ScoreJob } from '../boards.ts';
import { publishDatedBoards } from '../dated-boards.ts';

export interface ScoreRankingsDeps {
  /** Boards (rankings, dated boards), the outbox check, and the active papers' inputs (active-inputs.ts). */
  db: Pick<Database, 'rankings' | 'datedBoards' | 'outbox' | 'papers'>;
  dirty: DirtyPapers;
  queues: Pick<Queues, 'enqueue'>;
  /** Records events in the outbox and queues them for the relay. */
  events: EventRecorder;
  constants: ScoreConstants;
  rankingSize: number;
  batchSize: number;
  /** Depth of the top whose entries, exits and moves each snapshot records (`changes`). */
  changesTopN: number;
  /** Snapshots kept per board for "what changed" queries (`SNAPSHOTS_KEPT` in production). */
  snapshotsKept: number;
  now: () => Date;
}

/** One snapshot a job made current. */
export interface PublishedSnapshot {
  snapshotId: string;
  window: Window;
  category: string;
  asOf: string;
  entries: number;
  entered: number;
  left: number;
  moved: number;
}

export interface ScoreRankingsResult {
  dirty: number;
  active: number;
  /** Papers read from the database to bring the inputs up to date. */
  read: number;
  snapshots: number;
  /** Boards ranked but not published: a debounced job's boards whose order had not changed. */
  skipped: number;
  /** Unlisted snapshots deleted (periodic jobs only). */
  swept: number;
  /** Dated boards written (periodic and manual jobs only). */
  dated: number;
  published: PublishedSnapshot[];
}

export { ALL_CATEGORIES };

/** An unlisted snapshot younger than this may be one being published: `sweep` leaves it. */
const SWEEP_GRACE_MS = 60 * 60 * 1000;

const LONGEST_WINDOW_MS = Math.max(...WINDOWS.map((w) => WINDOW_MS[w]));

/**
 * The boards of one window: every board, or only `categories` (`all` is the overall board). A category
 * asked for with no active paper gets an empty ranking, which is published only over a board that lists
 * papers (one whose last paper left it); every board lists only categories that have active papers.
 */
function snapshotsFor(
  inputs: ScoreInput[],
  window: Window,
  now: Date,
  deps: ScoreRankingsDeps,
  categories: readonly string[] | undefined,
): RankingSnapshot[] {
  const asOf = now.toISOString();
  const base = { window, asOf, scoreVersion: SCORE_VERSION, constants: { ...deps.constants } };
  const opts = { window, now, constants: deps.constants, limit: deps.rankingSize };
  const board = (category: string, entries: RankingSnapshot['entries']): RankingSnapshot => ({
    ...base,
    _id: `${window}.${category}.${now.getTime()}`,
    category,
    entries,
  });
  const wanted = categories === undefined ? undefined : new Set(categories);
  const out: RankingSnapshot[] = [];
  const only = wanted && new Set([...wanted].filter((c) => c !== ALL_CATEGORIES));
  // The overall board and the category boards from one scoring of the inputs, when both are wanted.
  let ranked: Map<string, RankingSnapshot['entries']>;
  if (!wanted || wanted.has(ALL_CATEGORIES)) {
    const boards = rankBoards(inputs, opts, only);
    out.push(board(ALL_CATEGORIES, boards.overall));
    ranked = boards.categories;
  } else {
    ranked = rankByCategory(inputs, opts, only);
  }
  for (const category of only ? [...only].sort() : ranked.keys()) {
    out.push(board(category, ranked.get(category) ?? []));
  }
  return out;
}

/**
 * Publishes each snapshot with its changes against its board's current one (trimming the board's
 * history), except those the job leaves as they are (`publishesBoard`); returns what it published and how
 * many it skipped. The current snapshots' events are made sure of either way, so a crash between an
 * earlier publish and its events is healed even while debounced jobs find the board unchanged. Each step
 * is one read or write for all the boards (a job publishes up to a few dozen), not one per board.
 */
async function publishBoards(
  deps: ScoreRankingsDeps,
  job: ScoreJob,
  snapshots: readonly RankingSnapshot[],
): Promise<{ published: PublishedSnapshot[]; skipped: number }> {
  const { rankings } = deps.db;
  const previous = await rankings.currentMany(snapshots);
  await ensureEventsRecorded(
    deps,
    previous.filter((p): p is RankingSnapshot => p !== undefined),
  );
  const toPublish: RankingSnapshot[] = [];
  const published: PublishedSnapshot[] = [];
  snapshots.forEach((snapshot, i) => {
    if (!publishesBoard(job, previous[i], snapshot)) return;
    const changes = rankingChanges(previous[i]?.entries, snapshot.entries, deps.changesTopN);
    toPublish.push({ ...snapshot, changes });
    published.push({
      snapshotId: snapshot._id,
      window: snapshot.window,
      category: snapshot.category,
      asOf: snapshot.asOf,
      entries: snapshot.entries.length,
      entered: changes.entered.length,
      left: changes.left.length,
      moved: changes.moved.length,
    });
  });
  await rankings.publishMany(toPublish, deps.snapshotsKept);
  await recordSnapshotEvents(deps, toPublish);
  return { published, skipped: snapshots.length - toPublish.length };
}

/**
 * Records the snapshots' entered/left events, then their `trending.updated` events (so the presence of a
 * snapshot's `trending.updated` implies the rest): two outbox writes for all of them.
 */
async function recordSnapshotEvents(
  deps: ScoreRankingsDeps,
  snapshots: readonly RankingSnapshot[],
): Promise<void> {
  if (snapshots.length === 0) return;
  const rest = [];
  const updated = [];
  for (const snapshot of snapshots) {
    const events = trendingEvents(snapshot);
    updated.push(events.pop()!);
    rest.push(...events);
  }
  await deps.events.record(rest);
  await deps.events.record(updated);
}

/**
 * A snapshot's events are recorded after it is published (its id comes from the job's clock, so a retry
 * makes a new snapshot rather than repeating this one): a job that crashed in between left the current
 * snapshot without them. One multi-key read of the boards' markers finds that, and records them before
 * replacing it.
 */
async function ensureEventsRecorded(
  deps: ScoreRankingsDeps,
  current: readonly RankingSnapshot[],
): Promise<void> {
  if (current.length === 0) return;
  const markers = current.map((s) => trendingEvents({ ...s, changes: undefined })[0]!.id);
  const found = new Set((await deps.db.outbox.getMany(markers)).map((e) => e.id));
  await recordSnapshotEvents(
    deps,
    current.filter((_, i) => !found.has(markers[i]!)),
  );
}

export function scoreRankingsHandler(deps: ScoreRankingsDeps): Handler<'score-rankings'> {
  const active = activeInputs(deps);
  return async (job, { log }): Promise<ScoreRankingsResult> => {
    const { reason, windows } = job;
    // A partial re-score (some windows or boards) leaves the dirty papers to a full one: releasing them
    // here would leave the other boards without their updates until the next periodic re-score.
    const partial = isPartial(job);
    const started = performance.now();
    const batch = partial ? [] : await deps.dirty.take(deps.batchSize);
    const now = deps.now();
    // Debounced and periodic jobs read only what changed (decay needs no reads); a manual re-score, the
    // operator's "start from the stored papers", reloads the whole active set.
    const { inputs, read, changes } = await active.refresh(
      new Date(now.getTime() - LONGEST_WINDOW_MS),
      batch,
      reason === 'manual',
    );
    // A debounced job that finds nothing changed (an earlier job took the batch it was asked for) publishes
    // nothing: the boards would differ only by decay, which is the periodic job's. (A whole load that
    // read nothing found no active paper: nothing to rank either.)
    const nothingChanged = changes === undefined ? read === 0 : changes.length === 0;
    const idle = reason === 'dirty' && batch.length === 0 && nothingChanged;
    const boards = boardsToRank(job, changes);
    const snapshots = (idle ? [] : (windows ?? WINDOWS)).flatMap((window) =>
      snapshotsFor(inputs, window, now, deps, boards),
    );
    const { published, skipped } = await publishBoards(deps, job, snapshots);
    if (!partial) active.ranked();
    // Dated boards change slowly (totals, no decay) and each is a large document: the periodic job (every
    // 15 minutes) and a manual re-score write them, debounced jobs do not (dated-boards.ts says why they are
    // precomputed at all).
    const dated =
      reason === 'periodic' || reason === 'manual' ? await publishDatedBoards(deps, inputs, now) : 0;
    // Snapshots a race between two scorer processes left unlisted: one scan, so only the periodic job.
    const swept =
      reason === 'periodic' ? await deps.db.rankings.sweep(new Date(now.getTime() - SWEEP_GRACE_MS)) : 0;
    if (published.length > 0) await requestRelay(deps.queues, deps.now());
    await deps.dirty.done(batch);
    await deps.dirty.trimActive(new Date(now.getTime() - LONGEST_WINDOW_MS));
    // Debounced jobs that ranked pace the next ones (their duration sets the debounce); an idle one says
    // nothing of what ranking costs, and manual and periodic jobs do other work.
    if (reason === 'dirty' && !idle) await deps.dirty.recordScoreJob(performance.now() - started);
    if ((await deps.dirty.pending()) > 0)
      await requestScoring(deps.queues, deps.now(), await deps.dirty.debounceMs());
    const result = {
      dirty: batch.length,
      active: inputs.length,
      read,
      snapshots: published.length,
      skipped,
      swept,
      dated,
    };
    log.info(result, 'scorer: rankings published');
    return { ...result, published };
  };
}
