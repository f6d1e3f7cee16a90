// The scorer against real Redis and FerretDB: a burst of 10,000 dirty-paper updates becomes a few score
// jobs; a paper marked while a batch is being scored is not lost; a batch that crashed after taking its
// ids leaves them in `pw:scoring` and the next job takes them first; snapshots carry what changed; a
// debounced job ranks only the overall board and the changed papers' boards, and publishes only those
// whose order changed (issue 16).
/// <reference path="../../../test/setup/global-setup.ts" />
import {
  appendSignalPoints,
  applyObservation,
  normaliseEntry,
  type Paper,
  type RankingSnapshot,
  resolutionKeys,
  WINDOWS,
} from '@paperwire/core';
import { type Database, SNAPSHOTS_KEPT } from '@paperwire/db';
import {
  createWorker,
  type DirtyPapers,
  dirtyPapers,
  eventRecorder,
  requestScoring,
  SCORE_DEBOUNCE_MS,
  scoreDebounceMs,
} from '@paperwire/jobs';
import type { Runtime } from '@paperwire/runtime';
import { afterAll, describe, expect, it } from 'vitest';
import { testRuntimes } from '../../../test/support/runtime.ts';
import {
  type ScoreRankingsDeps,
  type ScoreRankingsResult,
  scoreRankingsHandler,
  scorerEnvSchema,
} from '../src/index.ts';

const { runtime: named, closeAll, log } = testRuntimes();
const runtime = (name: string) => named(name);

afterAll(closeAll);

/**
 * Stores a paper seen on HF an hour ago with `upvotes`, filed under `categories` (the first is its primary
 * category, the others cross-lists), and its signal history; returns its id. Storing it again replaces it.
 */
async function storePaper(
  db: Database,
  arxivId: string,
  upvotes: number,
  categories: string[] = ['cs.LG'],
): Promise<string> {
  const fetchedAt = new Date(Date.now() - 3_600_000).toISOString();
  const r = normaliseEntry({
    provenance: { feedId: 'hf', source: 'huggingface', entryKey: arxivId, fetchedAt },
    title: `Paper ${arxivId}`,
    authors: ['Ada Lovelace'],
    links: [],
    ids: { arxiv: arxivId, hf: arxivId },
    categories,
    signals: { upvotes },
  });
  if (!r.ok) throw new Error(r.reason);
  const id = resolutionKeys(r.observation)[0]!;
  const paper: Paper = applyObservation(undefined, id, r.observation);
  await db.papers.put(paper, { series: appendSignalPoints({}, paper, fetchedAt) });
  return id;
}

function deps(rt: Runtime, over: Partial<ScoreRankingsDeps> = {}): ScoreRankingsDeps {
  return {
    db: rt.db,
    dirty: dirtyPapers(rt.redis, rt.prefix),
    queues: rt.queues,
    events: eventRecorder(rt.db, rt.redis, rt.prefix),
    constants: scorerEnvSchema.parse({}).SCORE_CONSTANTS,
    rankingSize: 200,
    batchSize: 5_000,
    changesTopN: 20,
    snapshotsKept: SNAPSHOTS_KEPT,
    now: () => new Date(),
    ...over,
  };
}

const context = { job: undefined as never, log };

/** Polls `check` until it returns true; fails after the deadline. */
async function until(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const ids = (snapshot: RankingSnapshot | undefined) => snapshot?.entries.map((e) => e.paperId) ?? [];

/** `window.category` of each snapshot a job published, in publishing order. */
const boardsOf = (r: ScoreRankingsResult) => r.published.map((p) => `${p.window}.${p.category}`);

/** Those boards in every window, in the order a job publishes them (categories after `all`, sorted). */
const inEveryWindow = (...categories: string[]) => WINDOWS.flatMap((w) => categories.map((c) => `${w}.${c}`));

/** Each window's current snapshot id of a board. */
const currentIds = (rt: Runtime, category: string) =>
  Promise.all(WINDOWS.map((w) => rt.db.rankings.currentId(w, category)));

describe('scorer', () => {
  it('turns a burst of 10,000 updates into a few jobs, and scores a paper marked mid-batch', async () => {
    const rt = await runtime('scorer-burst');
    const dirty = dirtyPapers(rt.redis, rt.prefix);
    const real = await Promise.all(
      Array.from({ length: 20 }, (_, i) => storePaper(rt.db, `2611.${10000 + i}`, 5 + i)),
    );
    const lateArxivId = '2611.19999';

    // The first publish of the first job stores and marks a new paper: an update landing while the
    // batch it would have joined is being scored.
    let hookSnapshot: string | undefined;
    let lateId: string | undefined;
    const publishMany = rt.db.rankings.publishMany.bind(rt.db.rankings);
    const db: Database = {
      ...rt.db,
      rankings: {
        ...rt.db.rankings,
        async publishMany(snapshots, keep) {
          await publishMany(snapshots, keep);
          if (hookSnapshot !== undefined || snapshots.length === 0) return;
          hookSnapshot = snapshots[0]!._id;
          lateId = await storePaper(rt.db, lateArxivId, 500);
          await dirty.mark([lateId], new Date());
          await requestScoring(rt.queues, new Date());
        },
      },
    };
    const worker = createWorker(
      'score',
      { 'score-rankings': scoreRankingsHandler(deps(rt, { db })) },
      { connection: rt.workerRedis, prefix: rt.prefix, log, concurrency: 1 },
    );
    rt.shutdown.add({ name: 'test score worker', phase: 'workers', run: () => worker.close() });

    // 10 bursts of 1,000 updates: the 20 stored papers and 9,980 unknown ones. The unknown ones are
    // marked as last active 31 days ago: dirty all the same, but outside the active set, so each job
    // does not spend 20,000 FerretDB point reads looking for papers that do not exist.
    const longAgo = new Date(Date.now() - 31 * 24 * 3_600_000);
    const unknown = Array.from({ length: 9_980 }, (_, i) => `arxiv:2611.${20000 + i}`);
    for (let burst = 0; burst < 10; burst++) {
      if (burst === 0) await dirty.mark(real, new Date());
      await dirty.mark(unknown.slice(burst * 998, (burst + 1) * 998), longAgo);
      await requestScoring(rt.queues, new Date());
    }

    const score = rt.queues.byName.score;
    await until('the dirty set to drain and the score queue to empty', async () => {
      const c = await score.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      const busy = (c.waiting ?? 0) + (c.active ?? 0) + (c.delayed ?? 0) + (c.prioritized ?? 0);
      return hookSnapshot !== undefined && busy === 0 && (await dirty.pending()) === 0;
    });
    const jobs = await score.getJobs(['completed', 'failed']);
    const results = jobs.map((j) => j.returnvalue as ScoreRankingsResult);
    expect(jobs.filter((j) => j.failedReason)).toEqual([]);
    // 10,000 updates in 10 bursts: one or two debounce slots, batches of 5,000, and the follow-up for
    // the late paper.
    expect(jobs.length).toBeGreaterThanOrEqual(3);
    expect(jobs.length).toBeLessThanOrEqual(5);
    console.info(`scorer: 10,000 updates in 10 bursts → ${jobs.length} score jobs`);
    expect(results.reduce((n, r) => n + r.dirty, 0)).toBe(10_001);

    // The snapshot published while the late paper was being marked does not have it; the current does.
    expect(ids(await rt.db.rankings.get(hookSnapshot!))).not.toContain(lateId);
    const current = await rt.db.rankings.current('24h', 'all');
    expect(ids(current)[0]).toBe(lateId);
    expect(ids(current)).toHaveLength(21);
    // The snapshot where it first appears records it as entered at #1, pushing the others down one.
    const history = await rt.db.rankings.history('24h', 'all');
    const boards = await Promise.all(history.map((h) => rt.db.rankings.get(h._id)));
    const firstWith = boards.reverse().find((b) => ids(b).includes(lateId!));
    expect(firstWith?.changes?.entered).toEqual([
      { paperId: lateId, title: `Paper ${lateArxivId}`, rank: 1 },
    ]);
    // The top is 20 deep: the 20th paper (fewest upvotes) falls to #21 and leaves it.
    expect(firstWith?.changes?.left).toEqual([
      { paperId: real[0], title: 'Paper 2611.10000', rank: 20, to: 21 },
    ]);
    expect(firstWith?.changes?.moved).toHaveLength(19);
  });

  it("paces debounced jobs by the last one's duration: a slow scorer is asked less often, not queued up", async () => {
    const rt = await runtime('scorer-pace');
    const dirty = dirtyPapers(rt.redis, rt.prefix);
    expect(await dirty.debounceMs()).toBe(SCORE_DEBOUNCE_MS);

    // A debounced job records its own duration; the debounce follows it.
    const paper = await storePaper(rt.db, '2611.50001', 7);
    await dirty.mark([paper], new Date());
    const handler = scoreRankingsHandler(deps(rt));
    await handler({ reason: 'dirty' }, context);
    const recorded = Number(await rt.redis.get(`${rt.prefix}:pw:score-ms`));
    expect(recorded).toBeGreaterThan(0);
    expect(await dirty.debounceMs()).toBe(scoreDebounceMs(recorded));
    // The same scorer's next debounced job finds nothing dirty and nothing changed: it publishes nothing.
    const before = await rt.db.rankings.current('24h', 'all');
    const idle = (await handler({ reason: 'dirty' }, context)) as ScoreRankingsResult;
    expect(idle).toMatchObject({ dirty: 0, snapshots: 0, published: [] });
    expect((await rt.db.rankings.current('24h', 'all'))?._id).toBe(before?._id);
    // ... and leaves the pace to the jobs that ranked.
    expect(Number(await rt.redis.get(`${rt.prefix}:pw:score-ms`))).toBe(recorded);
    // A manual re-score (a full reload) does not set the pace.
    await dirty.recordScoreJob(1);
    await scoreRankingsHandler(deps(rt))({ reason: 'manual' }, context);
    expect(await rt.redis.get(`${rt.prefix}:pw:score-ms`)).toBe('1');

    // After a 3 s job (SCORE_PACE 4: at least 12 s), however many batches ask within one 16 s slot, one job is
    // queued, 16 s out.
    await dirty.recordScoreJob(3_000);
    const debounce = await dirty.debounceMs();
    expect(debounce).toBe(16_000);
    const start = Math.ceil(Date.now() / debounce) * debounce; // the start of the next slot
    for (const offset of [0, 1, 5_000, 15_999])
      await requestScoring(rt.queues, new Date(start + offset), debounce);
    const delayed = await rt.queues.byName.score.getDelayed();
    expect(delayed).toHaveLength(1);
    expect(delayed[0]?.opts.delay).toBe(16_000);
    await requestScoring(rt.queues, new Date(start + 16_000), debounce);
    expect(await rt.queues.byName.score.getDelayedCount()).toBe(2);
  });

  it('leaves a crashed batch in pw:scoring, and the next job takes it first', async () => {
    const rt = await runtime('scorer-crash');
    const dirty = dirtyPapers(rt.redis, rt.prefix);
    const scoringKey = `${rt.prefix}:pw:scoring`;
    const first = await Promise.all([1, 2, 3, 4, 5].map((i) => storePaper(rt.db, `2611.3000${i}`, i)));
    await dirty.mark(first, new Date());

    // The job dies after taking its batch (here: the database fails on its first snapshot).
    const failing: Database = {
      ...rt.db,
      rankings: {
        ...rt.db.rankings,
        publishMany: () => Promise.reject(new Error('crash')),
      },
    };
    await expect(
      scoreRankingsHandler(deps(rt, { db: failing, batchSize: 3 }))({ reason: 'dirty' }, context),
    ).rejects.toThrow('crash');
    const crashed = (await rt.redis.smembers(scoringKey)).sort();
    expect(crashed).toHaveLength(3);

    const later = await storePaper(rt.db, '2611.30009', 9);
    await dirty.mark([later], new Date());

    const taken: string[][] = [];
    const recording: DirtyPapers = {
      ...dirty,
      take: async (n) => {
        const batch = await dirty.take(n);
        taken.push([...batch].sort());
        return batch;
      },
    };
    const handler = scoreRankingsHandler(deps(rt, { dirty: recording, batchSize: 3 }));
    const next = (await handler({ reason: 'dirty' }, context)) as ScoreRankingsResult;
    expect(taken[0]).toEqual(crashed);
    expect(next.dirty).toBe(3);
    expect(await rt.redis.scard(scoringKey)).toBe(0);
    // The rest is still dirty and another job was asked for.
    expect(await dirty.pending()).toBe(3);
    expect(await rt.queues.byName.score.getDelayedCount()).toBe(1);

    const last = (await handler({ reason: 'dirty' }, context)) as ScoreRankingsResult;
    expect(last.dirty).toBe(3);
    expect(taken[1]?.filter((id) => crashed.includes(id))).toEqual([]);
    expect(await dirty.pending()).toBe(0);
    expect(ids(await rt.db.rankings.current('24h', 'all')).sort()).toEqual([...first, later].sort());
  });

  it('publishes only the asked boards for a partial re-score, keeps the dirty set, and prunes history', async () => {
    const rt = await runtime('scorer-partial');
    const dirty = dirtyPapers(rt.redis, rt.prefix);
    const paper = await storePaper(rt.db, '2611.40001', 3);
    await dirty.mark([paper], new Date());
    let clock = Date.now();
    const handler = scoreRankingsHandler(deps(rt, { snapshotsKept: 3, now: () => new Date(clock++) }));

    const partial = (await handler(
      { reason: 'manual', windows: ['7d'], categories: ['cs.LG', 'q-bio.NC'] },
      context,
    )) as ScoreRankingsResult;
    expect(partial.published.map((p) => `${p.window}.${p.category}`)).toEqual(['7d.cs.LG']);
    expect(partial.dirty).toBe(0);
    expect(await dirty.pending()).toBe(1);

    // Five more full runs: each board keeps its newest 3 snapshots, the current one first.
    for (let i = 0; i < 5; i++) await handler({ reason: 'manual' }, context);
    expect(await dirty.pending()).toBe(0);
    const history = await rt.db.rankings.history('24h', 'all', 1_000);
    expect(history).toHaveLength(3);
    expect(history[0]?._id).toBe((await rt.db.rankings.current('24h', 'all'))?._id);
    expect(await rt.db.rankings.history('7d', 'cs.LG', 1_000)).toHaveLength(3);
  });

  it('re-reads only what changed between jobs; a merged-away paper leaves the boards; manual reloads all', async () => {
    const rt = await runtime('score-incremental');
    const dirty = dirtyPapers(rt.redis, rt.prefix);
    const handler = scoreRankingsHandler(deps(rt));
    const stored = await Promise.all(
      [0, 1, 2, 3, 4, 5].map((i) => storePaper(rt.db, `2611.3000${i}`, 10 + i)),
    );
    // Marked two minutes ago: outside the margin later jobs re-read, as after a quiet period.
    await dirty.mark(stored, new Date(Date.now() - 120_000));

    const first = (await handler({ reason: 'dirty' }, context)) as ScoreRankingsResult;
    expect(first).toMatchObject({ active: 6, read: 6 });
    const quiet = (await handler({ reason: 'periodic' }, context)) as ScoreRankingsResult;
    expect(quiet).toMatchObject({ active: 6, read: 0 });

    // One paper gains upvotes, another is merged into it: only those two are read again.
    const [winner, loser] = [stored[0]!, stored[5]!];
    await storePaper(rt.db, '2611.30000', 500);
    await rt.db.papers.put({ _id: loser, mergedInto: winner, mergedAt: new Date().toISOString() });
    await dirty.mark([winner, loser], new Date());
    const next = (await handler({ reason: 'dirty' }, context)) as ScoreRankingsResult;
    expect(next).toMatchObject({ active: 5, read: 2 });
    const board = await rt.db.rankings.current('24h', 'all');
    expect(ids(board)[0]).toBe(winner);
    expect(ids(board)).not.toContain(loser);

    const manual = (await handler({ reason: 'manual' }, context)) as ScoreRankingsResult;
    expect(manual).toMatchObject({ active: 5, read: 6 });
  }, 120_000);

  it('re-publishes only the overall board and the boards a changed paper is on, cross-lists included', async () => {
    const rt = await runtime('scorer-boards');
    const dirty = dirtyPapers(rt.redis, rt.prefix);
    const handler = scoreRankingsHandler(deps(rt));
    const riser = await storePaper(rt.db, '2611.60001', 10, ['cs.LG', 'stat.ML']);
    const stored = [
      riser,
      await storePaper(rt.db, '2611.60002', 20, ['cs.LG']),
      await storePaper(rt.db, '2611.60003', 100, ['stat.ML']),
      await storePaper(rt.db, '2611.60004', 30, ['cs.CV']),
      await storePaper(rt.db, '2611.60005', 5, ['cs.CV']),
    ];
    await dirty.mark(stored, new Date());
    // The process's first job loads the whole active set, so it cannot tell what changed: every board.
    const first = (await handler({ reason: 'dirty' }, context)) as ScoreRankingsResult;
    expect(boardsOf(first)).toEqual(inEveryWindow('all', 'cs.CV', 'cs.LG', 'stat.ML'));
    const cvBefore = await currentIds(rt, 'cs.CV');

    // The cs.LG paper cross-listed in stat.ML overtakes everyone: its two boards and the overall one.
    await storePaper(rt.db, '2611.60001', 500, ['cs.LG', 'stat.ML']);
    await dirty.mark([riser], new Date());
    const next = (await handler({ reason: 'dirty' }, context)) as ScoreRankingsResult;
    expect(boardsOf(next)).toEqual(inEveryWindow('all', 'cs.LG', 'stat.ML'));
    expect(next).toMatchObject({ dirty: 1, read: 1, snapshots: WINDOWS.length * 3, skipped: 0 });
    for (const window of WINDOWS) {
      for (const category of ['all', 'cs.LG', 'stat.ML']) {
        expect(ids(await rt.db.rankings.current(window, category))[0]).toBe(riser);
      }
    }
    // cs.CV was not even ranked: the same snapshots are current.
    expect(await currentIds(rt, 'cs.CV')).toEqual(cvBefore);
  });

  it("changes both boards of a paper that moved category, and empties a merged-away paper's board", async () => {
    const rt = await runtime('scorer-move');
    const dirty = dirtyPapers(rt.redis, rt.prefix);
    const handler = scoreRankingsHandler(deps(rt));
    const mover = await storePaper(rt.db, '2611.61001', 50, ['cs.LG']);
    const lgStays = await storePaper(rt.db, '2611.61002', 10, ['cs.LG']);
    const cvStays = await storePaper(rt.db, '2611.61003', 20, ['cs.CV']);
    const lone = await storePaper(rt.db, '2611.61004', 5, ['q-bio.NC']);
    await dirty.mark([mover, lgStays, cvStays, lone], new Date());
    await handler({ reason: 'dirty' }, context);
    const ncBefore = await currentIds(rt, 'q-bio.NC');

    // Re-filed from cs.LG to cs.CV: it leaves one board and joins the other.
    await storePaper(rt.db, '2611.61001', 50, ['cs.CV']);
    await dirty.mark([mover], new Date());
    const moved = (await handler({ reason: 'dirty' }, context)) as ScoreRankingsResult;
    // The overall board is ranked too (published or not: normalisation may or may not reorder it).
    expect(moved.snapshots + moved.skipped).toBe(WINDOWS.length * 3);
    expect(boardsOf(moved)).toEqual(expect.arrayContaining(inEveryWindow('cs.CV', 'cs.LG')));
    for (const window of WINDOWS) {
      expect(ids(await rt.db.rankings.current(window, 'cs.LG'))).toEqual([lgStays]);
      expect(ids(await rt.db.rankings.current(window, 'cs.CV'))).toEqual([mover, cvStays]);
    }
    expect(await currentIds(rt, 'q-bio.NC')).toEqual(ncBefore);

    // The only q-bio.NC paper is merged into a cs.LG one: its former board is emptied, the survivor's
    // board is ranked and left as it is (same order), and the overall board loses a paper.
    await rt.db.papers.put({ _id: lone, mergedInto: lgStays, mergedAt: new Date().toISOString() });
    await dirty.mark([lone, lgStays], new Date());
    const merged = (await handler({ reason: 'dirty' }, context)) as ScoreRankingsResult;
    expect(boardsOf(merged)).toEqual(inEveryWindow('all', 'q-bio.NC'));
    expect(merged.skipped).toBe(WINDOWS.length);
    for (const window of WINDOWS) {
      expect((await rt.db.rankings.current(window, 'q-bio.NC'))?.entries).toEqual([]);
      expect(ids(await rt.db.rankings.current(window, 'all'))).not.toContain(lone);
    }

    // A job that fails after reading a change leaves it to its retry, although the retry reads the paper
    // as it already knows it: the board the paper left is still ranked.
    let failing = false;
    const flaky: Database = {
      ...rt.db,
      rankings: {
        ...rt.db.rankings,
        publishMany: (snapshots, keep) =>
          failing ? Promise.reject(new Error('crash')) : rt.db.rankings.publishMany(snapshots, keep),
      },
    };
    const retried = scoreRankingsHandler(deps(rt, { db: flaky }));
    await retried({ reason: 'periodic' }, context); // its first job: the whole active set
    await storePaper(rt.db, '2611.61001', 50, ['cs.LG']);
    await dirty.mark([mover], new Date());
    failing = true;
    await expect(retried({ reason: 'dirty' }, context)).rejects.toThrow('crash');
    failing = false;
    const retry = (await retried({ reason: 'dirty' }, context)) as ScoreRankingsResult;
    expect(retry.dirty).toBe(1);
    expect(boardsOf(retry)).toEqual(expect.arrayContaining(inEveryWindow('cs.CV', 'cs.LG')));
    for (const window of WINDOWS) {
      expect(ids(await rt.db.rankings.current(window, 'cs.CV'))).toEqual([cvStays]);
      expect(ids(await rt.db.rankings.current(window, 'cs.LG'))).toEqual([mover, lgStays]);
    }
  });

  it('writes no snapshot for a board whose order did not change, and still heals its missing events', async () => {
    const rt = await runtime('scorer-unchanged');
    const dirty = dirtyPapers(rt.redis, rt.prefix);
    const handler = scoreRankingsHandler(deps(rt));
    const leader = await storePaper(rt.db, '2611.62001', 30);
    const follower = await storePaper(rt.db, '2611.62002', 10);
    await dirty.mark([leader, follower], new Date());
    await handler({ reason: 'dirty' }, context);
    const boards = ['all', 'cs.LG'] as const;
    const state = () =>
      Promise.all(
        WINDOWS.flatMap((w) =>
          boards.map(async (c) => ({
            board: `${w}.${c}`,
            current: await rt.db.rankings.currentId(w, c),
            history: (await rt.db.rankings.history(w, c, 1_000)).map((h) => h._id),
          })),
        ),
      );
    const before = await state();
    const events = await rt.db.outbox.count();

    // The follower gains two upvotes: still second everywhere.
    await storePaper(rt.db, '2611.62002', 12);
    await dirty.mark([follower], new Date());
    const same = (await handler({ reason: 'dirty' }, context)) as ScoreRankingsResult;
    expect(same).toMatchObject({ dirty: 1, read: 1, snapshots: 0, published: [] });
    expect(same.skipped).toBe(WINDOWS.length * boards.length);
    expect(await state()).toEqual(before);
    expect(await rt.db.outbox.count()).toBe(events);

    // A periodic job publishes every board all the same: decay moved the scores and asOf is its promise.
    const periodic = (await handler({ reason: 'periodic' }, context)) as ScoreRankingsResult;
    expect(boardsOf(periodic)).toEqual(inEveryWindow(...boards));
    expect(periodic.skipped).toBe(0);

    // Another scorer process publishes the follower's lead on every board, then dies before recording
    // those snapshots' events (the relay is never told of them).
    await storePaper(rt.db, '2611.62002', 90);
    await dirty.mark([follower], new Date());
    const dying: ScoreRankingsDeps['events'] = { record: () => Promise.reject(new Error('crash')) };
    await expect(
      scoreRankingsHandler(deps(rt, { events: dying }))({ reason: 'dirty' }, context),
    ).rejects.toThrow('crash');
    const orphans = await Promise.all(
      WINDOWS.flatMap((w) => boards.map((c) => rt.db.rankings.current(w, c))),
    );
    for (const orphan of orphans) expect(ids(orphan)).toEqual([follower, leader]);
    const markers = orphans.map((o) => `trending.updated:${o!._id}`);
    expect(await rt.db.outbox.getMany(markers)).toEqual([]);

    // This process ranks the same order on every board: no new snapshot, but the missing events are
    // recorded.
    const healed = (await handler({ reason: 'dirty' }, context)) as ScoreRankingsResult;
    expect(healed.dirty).toBe(1);
    expect(boardsOf(healed)).toEqual([]);
    expect(healed.skipped).toBe(WINDOWS.length * boards.length);
    expect(await rt.db.rankings.currentId('24h', 'all')).toBe(orphans[0]!._id);
    expect((await rt.db.outbox.getMany(markers)).map((e) => e.id)).toEqual(markers);
    for (const window of WINDOWS) {
      for (const category of boards) {
        expect(ids(await rt.db.rankings.current(window, category))).toEqual([follower, leader]);
      }
    }
  });
});
