// `npm run eval:trending`: how Paperwire's trending score behaves on data, measured.
//   1. Real, through the pipeline: each Hugging Face daily-papers capture in
//      ../shared/fixtures/real/hf-daily-papers/ is replayed in the present (replay.ts: every date-time moved
//      by one offset so the capture's day ends at this run's `now`, and the arXiv ids by the same calendar
//      months) and served from a loopback server as an `hf-daily` feed to the real pipeline on fresh embedded
//      servers (test/support/pipeline.ts: fetcher, resolver and scorer in this process, as the benchmark
//      runs them); after a manual re-score, the published 24h overall board is read as the API reads it and
//      its order compared with HF's own upvote order for the same papers: Spearman's rho and Kendall's tau-b
//      (both tie-aware). The largest capture gives the headline, printed last. Skipped with a message when
//      the folder is absent.
//   2. Synthetic (seeded): a week of hourly observations in which a fast-rising new paper meets a stale
//      paper with a much higher total; prints the hour the riser overtakes it on the 24h and 7d boards
//      (pure scoring, no pipeline).
// Figures go to stdout, progress to stderr; exits non-zero only on an internal error. Writes nothing but a
// temp data dir per pipeline run, removed afterwards (on failure too).
//
// Why this eval once printed rho 0.467 for the 2026-06-12 capture while a replay through the pipeline gave
// 0.938: not the in-memory re-implementation it used to be (it built the same papers, series and scores as
// the pipeline does; the pipeline run here gives the same 0.467, and the same figures for the other two
// captures) but that replay's dates. The scorer ages a paper from the earliest date it knows (`ageOrigin`,
// shared/core/src/scoring/from-paper.ts): first seen, HF's publishedAt, and the bound its arXiv id implies
// (`arxivIdAppearedBy`: the start of the month after the id's YYMM, plus a week). On the capture day that
// bound (2026-07-08 for ids 2606.*) lies after every HF date, so the papers age from HF's publishedAt (2 to
// 14 days before the day's end), and with a 24h half-life a paper published a day earlier needs twice the
// raw score: recency and upvotes share the order, hence 0.467. With the dates moved to the present and the
// ids left as captured, every paper ages from 2026-07-08 (3,615 hours in a run on 2026-12-05): one age, one
// decay factor for all, so the board is the order of the raw signal terms alone (upvotes, comments and
// GitHub stars, log-scaled), hence 0.938, a board no live daily list gets, and a figure that depends on
// the day the eval runs (before 2026-07-22 some papers would still age from HF's dates). Category
// normalisation, the signal series (one point per paper, all of it gained inside the window) and first-seen
// time (the fetch) play no part: every HF paper is `uncategorised`, so one scale divides them all. So the
// replay moves the ids with the dates (replay.ts), and section 1 prints the ids-as-captured figure under
// the headline capture's, so both stay visible.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DAY_MS,
  DEFAULT_SCORE_CONSTANTS,
  type Feed,
  feedIdFor,
  HOUR_MS,
  type Paper,
  type RankingSnapshot,
  rankWindow,
  type SeriesBySource,
  scoreInputFromPaper,
  type Window,
} from '@paperwire/core';
import { createLogger, type Logger } from '@paperwire/platform';
import { sourceOfKind } from '@paperwire/sources';
import pino from 'pino';
import { mulberry32 } from '../../../shared/core/src/scoring/test-helpers.ts';
import { fetchAll, rescoreNow, waitIdle, withPipeline } from '../../support/pipeline.ts';
import { captureDayStart, replayHfCapture } from './replay.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../../..');
const HF_DIR = resolve(REPO, '../shared/fixtures/real/hf-daily-papers');
const FEED_ID = 'hf-daily';
/** Generous: 30 papers take seconds, but a stuck queue should fail the eval, not hang CI. */
const WAIT_MS = 120_000;

// ---------------------------------------------------------------------------------------------------------
// Rank correlation (tie-aware)

/** Average ranks (1-based) of `values` in descending order; ties share the mean of their positions. */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((v, i) => ({ v, i })).sort((a, b) => b.v - a.v);
  const ranks = new Array<number>(values.length).fill(0);
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]!.v === order[start]!.v) end++;
    const mean = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) ranks[order[k]!.i] = mean;
    start = end + 1;
  }
  return ranks;
}

/** Spearman's rho: Pearson correlation of the average ranks. */
export function spearman(a: readonly number[], b: readonly number[]): number {
  const ra = averageRanks(a);
  const rb = averageRanks(b);
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const ma = mean(ra);
  const mb = mean(rb);
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < ra.length; i++) {
    num += (ra[i]! - ma) * (rb[i]! - mb);
    da += (ra[i]! - ma) ** 2;
    db += (rb[i]! - mb) ** 2;
  }
  return da === 0 || db === 0 ? Number.NaN : num / Math.sqrt(da * db);
}

/** Kendall's tau-b: concordant minus discordant pairs, corrected for ties on either side. */
export function kendallTauB(a: readonly number[], b: readonly number[]): number {
  let concordant = 0;
  let discordant = 0;
  let tiesA = 0;
  let tiesB = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = i + 1; j < a.length; j++) {
      const x = Math.sign(a[i]! - a[j]!);
      const y = Math.sign(b[i]! - b[j]!);
      if (x === 0 && y === 0) continue;
      if (x === 0) tiesA++;
      else if (y === 0) tiesB++;
      else if (x === y) concordant++;
      else discordant++;
    }
  }
  const denom = Math.sqrt((concordant + discordant + tiesA) * (concordant + discordant + tiesB));
  return denom === 0 ? Number.NaN : (concordant - discordant) / denom;
}

// ---------------------------------------------------------------------------------------------------------
// 1. Real captures, through the pipeline

const fmt = (x: number) => (Number.isNaN(x) ? 'n/a' : x.toFixed(3));

/** HF's upvotes per captured `paper.id` (the largest, should an id be listed twice). */
function hfUpvotes(data: unknown): Map<string, number> {
  const out = new Map<string, number>();
  for (const item of Array.isArray(data) ? data : []) {
    const paper = (item as { paper?: { id?: unknown; upvotes?: unknown } } | null)?.paper;
    if (typeof paper?.id !== 'string') continue;
    const upvotes = typeof paper.upvotes === 'number' ? paper.upvotes : 0;
    out.set(paper.id, Math.max(out.get(paper.id) ?? 0, upvotes));
  }
  return out;
}

/**
 * The published 24h overall board after the pipeline ingested `payload` as an `hf-daily` feed: fetch, wait
 * until fetch and resolve have drained, a manual re-score, then the board read through the rankings
 * repository's current pointer and snapshot (what `GET /trending` reads, services/api/src/routes/trending.ts).
 */
async function boardThroughPipeline(name: string, payload: unknown, log: Logger): Promise<RankingSnapshot> {
  return withPipeline({ tag: 'eval', name, log }, async ({ rt, server, startWorkers }) => {
    server.set('/api/daily_papers', { body: JSON.stringify(payload), contentType: 'application/json' });
    const url = server.url('/api/daily_papers');
    // Straight into the registry's collection, as the bench does: `feeds add` would also start a scheduler.
    const feed: Feed = {
      _id: feedIdFor('hf-daily', url),
      url,
      kind: 'hf-daily',
      source: sourceOfKind('hf-daily'),
      intervalMinutes: 60,
      enabled: true,
      createdAt: new Date().toISOString(),
      state: {},
      health: { status: 'new', consecutiveFailures: 0 },
    };
    await rt.db.feeds.insertIfAbsent(feed);
    startWorkers();
    await fetchAll(rt, [feed._id]);
    await waitIdle(rt.queues, WAIT_MS, ['fetch', 'resolve']);
    // A fetch that failed (or stored nothing) would leave an empty board and a meaningless figure.
    const health = (await rt.db.feeds.get(feed._id))?.health;
    if (health?.status !== 'ok') {
      throw new Error(
        `eval-trending: ${name}: the feed's fetch ended ${health?.status ?? 'unknown'}` +
          (health?.lastError ? ` (${health.lastError.message})` : ''),
      );
    }
    await rescoreNow(rt.queues, WAIT_MS);
    const board = await rt.db.rankings.current('24h', 'all');
    if (!board) throw new Error(`eval-trending: ${name}: the scorer published no 24h overall board`);
    return board;
  });
}

interface Figures {
  /** Distinct papers in the capture. */
  papers: number;
  /** Of those, on the board. */
  ranked: number;
  rho: number;
  tau: number;
  /** The board's first five, as captured ids with HF's upvotes. */
  top5: string;
}

/** The board's order against HF's upvotes, over the capture's papers on the board. */
function compare(
  board: RankingSnapshot,
  capturedId: Map<string, string>,
  upvotes: Map<string, number>,
): Figures {
  const rows = board.entries.flatMap((e) => {
    const served = e.ids.hf ?? e.ids.arxiv ?? e.paperId.replace(/^arxiv:/, '');
    const id = capturedId.get(served);
    return id !== undefined && upvotes.has(id) ? [{ id, rank: e.rank, upvotes: upvotes.get(id)! }] : [];
  });
  const ours = rows.map((r) => -r.rank);
  const theirs = rows.map((r) => r.upvotes);
  return {
    papers: upvotes.size,
    ranked: rows.length,
    rho: spearman(ours, theirs),
    tau: kendallTauB(ours, theirs),
    top5: rows
      .slice(0, 5)
      .map((r) => `${r.id}(${r.upvotes})`)
      .join(' '),
  };
}

interface Headline {
  file: string;
  figures: Figures;
}

/** Section 1; returns the headline capture's figures (the largest capture), undefined when skipped. */
async function evalRealCaptures(now: Date, log: Logger): Promise<Headline | undefined> {
  console.log(
    '1. Real Hugging Face daily-papers captures through the pipeline: 24h board vs HF upvote order',
  );
  if (!existsSync(HF_DIR)) {
    console.log(`   skipped: ${HF_DIR} is absent (the real captures live outside this repository)\n`);
    return undefined;
  }
  const files = readdirSync(HF_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const captures = [];
  for (const file of files) {
    const dayStart = captureDayStart(file);
    if (dayStart === undefined) console.log(`   ${file}: skipped (no date in the file name)`);
    else
      captures.push({
        file,
        dayStart,
        data: JSON.parse(readFileSync(join(HF_DIR, file), 'utf8')) as unknown,
      });
  }
  const entries = (data: unknown) => (Array.isArray(data) ? data.length : 0);
  const largest = captures.reduce<(typeof captures)[number] | undefined>(
    (best, c) => (best === undefined || entries(c.data) > entries(best.data) ? c : best),
    undefined,
  );
  let headline: Headline | undefined;
  for (const [i, { file, dayStart, data }] of captures.entries()) {
    const upvotes = hfUpvotes(data);
    const run = async (moveIds: boolean) => {
      const replay = replayHfCapture(data, dayStart, now, { moveIds });
      const what = `${file}${moveIds ? '' : ' (ids as captured)'}`;
      const t0 = performance.now();
      process.stderr.write(`eval-trending: ${what}: running the pipeline…\n`);
      const board = await boardThroughPipeline(`capture-${i}${moveIds ? '' : '-ids'}`, replay.payload, log);
      const seconds = ((performance.now() - t0) / 1000).toFixed(1);
      process.stderr.write(`eval-trending: ${what}: done in ${seconds} s\n`);
      return { replay, board, figures: compare(board, replay.capturedId, upvotes) };
    };
    const { replay, board, figures } = await run(true);
    const days = (replay.offsetMs / DAY_MS).toFixed(2);
    console.log(
      `   ${file}: ${entries(data)} entries, ${figures.ranked} of ${figures.papers} papers on the board ` +
        `(moved ${days} days and ${replay.idMonths} id months; board as of ${board.asOf})`,
    );
    console.log(`     Spearman rho = ${fmt(figures.rho)}, Kendall tau-b = ${fmt(figures.tau)}`);
    console.log(`     top 5 (upvotes): ${figures.top5}`);
    if (!sameConstants(board.constants))
      console.log('     (SCORE_CONSTANTS overrides the default constants)');
    if (largest?.file === file) {
      headline = { file, figures };
      // The replay with the arXiv ids as captured (what moving the dates alone gives): see the top of the file.
      const asCaptured = await run(false);
      console.log(
        `     with the arXiv ids as captured (every paper aged from its id's bound): Spearman rho = ` +
          `${fmt(asCaptured.figures.rho)}, Kendall tau-b = ${fmt(asCaptured.figures.tau)}`,
      );
    }
  }
  console.log('');
  return headline;
}

/** Whether the board was ranked with the default constants (SCORE_CONSTANTS unset). */
function sameConstants(constants: Readonly<Record<string, number>>): boolean {
  const keys = Object.keys(DEFAULT_SCORE_CONSTANTS) as (keyof typeof DEFAULT_SCORE_CONSTANTS)[];
  return keys.every((k) => constants[k] === DEFAULT_SCORE_CONSTANTS[k]);
}

// ---------------------------------------------------------------------------------------------------------
// 2. Synthetic week

const SEED = 20_260_312;

/**
 * Hourly HF upvote totals for a week (day 1 00:00 UTC to day 8 00:00): a "stale" paper that appears on
 * day 1 and collects ~1,500 upvotes in its first 12 hours, then ~1 an hour; and a "riser" that appears a
 * day later and gains 20–35 an hour for its first 24 hours, then ~1 an hour. Rates are drawn from a seeded
 * PRNG, so the figures are reproducible.
 */
function syntheticWeek(start: number): {
  stale: Paper;
  riser: Paper;
  points: Map<string, [number, number][]>;
} {
  const rand = mulberry32(SEED);
  const paper = (id: string, firstSeenAt: string): Paper =>
    ({
      _id: `arxiv:${id}`,
      ids: { arxiv: id },
      title: `Paper ${id}`,
      authors: [],
      primaryCategory: 'cs.LG',
      categories: ['cs.LG'],
      firstSeenAt,
      versions: [],
      links: {},
      sightings: [],
      textSource: { rank: 0, version: 0, at: firstSeenAt },
    }) as unknown as Paper;
  const riserBorn = start + DAY_MS;
  const stale = paper('2603.00001', new Date(start).toISOString());
  const riser = paper('2603.00002', new Date(riserBorn).toISOString());
  const points = new Map<string, [number, number][]>([
    [stale._id, []],
    [riser._id, []],
  ]);
  let staleTotal = 0;
  let riserTotal = 0;
  for (let t = start; t <= start + 7 * DAY_MS; t += HOUR_MS) {
    const staleHours = (t - start) / HOUR_MS;
    points.get(stale._id)!.push([t, staleTotal]);
    staleTotal += Math.floor(staleHours < 12 ? 110 + 30 * rand() : 2 * rand());
    if (t >= riserBorn) {
      const hours = (t - riserBorn) / HOUR_MS;
      points.get(riser._id)!.push([t, riserTotal]);
      riserTotal += Math.floor(hours < 24 ? 20 + 15 * rand() : 2 * rand());
    }
  }
  return { stale, riser, points };
}

function evalSyntheticWeek(): void {
  console.log(`2. Synthetic week (seed ${SEED}): a fast-rising new paper vs a stale paper with a high total`);
  const start = Date.UTC(2026, 2, 1);
  const { stale, riser, points } = syntheticWeek(start);
  const seriesAt = (id: string, t: number): SeriesBySource => ({
    huggingface: {
      feeds: [FEED_ID],
      points: points
        .get(id)!
        .filter(([at]) => at <= t)
        .map(([at, upvotes]) => ({ at: new Date(at).toISOString(), signals: { upvotes } })),
    },
  });
  for (const window of ['24h', '7d'] as Window[]) {
    let overtook: number | undefined;
    let lostLead: number | undefined;
    for (let t = start + DAY_MS; t <= start + 7 * DAY_MS; t += HOUR_MS) {
      const now = new Date(t);
      const ranking = rankWindow(
        [stale, riser].map((p) => scoreInputFromPaper(p, seriesAt(p._id, t))),
        { window, now, constants: DEFAULT_SCORE_CONSTANTS, limit: 2 },
      );
      const riserFirst = ranking[0]?.paperId === riser._id;
      if (riserFirst && overtook === undefined) overtook = t;
      if (!riserFirst && overtook !== undefined && lostLead === undefined) lostLead = t;
    }
    const when = (t: number | undefined) =>
      t === undefined
        ? 'never'
        : `day ${Math.floor((t - start) / DAY_MS) + 1} ${new Date(t).toISOString().slice(11, 16)} UTC (${(t - (start + DAY_MS)) / HOUR_MS}h after the riser appeared)`;
    console.log(`   ${window}: the riser overtakes the stale paper on ${when(overtook)}`);
    if (overtook !== undefined) {
      console.log(
        lostLead === undefined
          ? '        and stays ahead to the end of the week'
          : `        and falls back behind it on ${when(lostLead)}`,
      );
    }
  }
  const totalAt = (id: string, t: number) =>
    points
      .get(id)!
      .filter(([at]) => at <= t)
      .at(-1)?.[1] ?? 0;
  const born = start + DAY_MS;
  console.log(
    `   when the riser appears: stale ${totalAt(stale._id, born)} upvotes; a day later: stale ${totalAt(stale._id, born + DAY_MS)}, riser ${totalAt(riser._id, born + DAY_MS)}`,
  );
  const end = start + 7 * DAY_MS;
  const finalTotals = [stale, riser].map((p) => `${p._id}: ${totalAt(p._id, end)} upvotes`);
  console.log(`   totals at the end of the week: ${finalTotals.join(', ')}\n`);
}

async function main(): Promise<void> {
  // One clock for the whole run: every capture's day is moved to end here.
  const now = new Date();
  const log = createLogger({
    service: 'eval-trending',
    level: (process.env.LOG_LEVEL as 'warn' | undefined) ?? 'warn',
    pretty: false,
    destination: pino.destination(2),
  });
  console.log(
    `eval-trending: score ${DEFAULT_SCORE_CONSTANTS['halfLifeHours.24h']}h half-life (24h board), default constants; now ${now.toISOString()}\n`,
  );
  const headline = await evalRealCaptures(now, log);
  evalSyntheticWeek();
  console.log(
    headline
      ? `headline: Spearman rho ${fmt(headline.figures.rho)} (${headline.file}, ${headline.figures.ranked} papers, 24h board through the pipeline)`
      : 'headline: none (no dated real capture to run)',
  );
}

// Exit explicitly: a failed pipeline may leave a reconnecting client behind (each run's servers and temp
// dir are gone by then: withPipeline cleans up on failure too).
try {
  await main();
  process.exit(0);
} catch (err) {
  console.error('eval-trending: internal error', err);
  process.exit(2);
}
