// `npm run eval:trending`: how Paperwire's trending score behaves on data, measured.
//   1. Real: each Hugging Face daily-papers capture in ../shared/fixtures/real/hf-daily-papers/ is parsed,
//      normalised and merged into papers as the pipeline does, ranked on the 24h board at the capture time
//      with the default constants, and compared with HF's own upvote order for that day: Spearman's rho and
//      Kendall's tau-b (both tie-aware). Skipped with a message when the folder is absent.
//   2. Synthetic (seeded): a week of hourly observations in which a fast-rising new paper meets a stale
//      paper with a much higher total; prints the hour the riser overtakes it on the 24h and 7d boards.
// Prints figures only; exits non-zero only on an internal error. Reads files; writes nothing but stdout.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  appendSignalPoints,
  applyObservation,
  DAY_MS,
  DEFAULT_SCORE_CONSTANTS,
  HOUR_MS,
  normaliseEntry,
  type Observation,
  type Paper,
  rankWindow,
  resolutionKeys,
  type SeriesBySource,
  scoreInputFromPaper,
  type Window,
} from '@paperwire/core';
import { parsePayload } from '@paperwire/sources';
import { mulberry32 } from '../../../shared/core/src/scoring/test-helpers.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../../..');
const HF_DIR = resolve(REPO, '../shared/fixtures/real/hf-daily-papers');
const FEED_ID = 'hf-daily';

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
// 1. Real captures

interface Built {
  papers: Map<string, Paper>;
  series: Map<string, SeriesBySource>;
}

/** Observations → papers and signal series, as the resolver builds them (keyed by the strongest key). */
function build(observations: readonly Observation[]): Built {
  const papers = new Map<string, Paper>();
  const series = new Map<string, SeriesBySource>();
  for (const obs of observations) {
    const id = resolutionKeys(obs)[0]!;
    const paper = applyObservation(papers.get(id), id, obs);
    papers.set(id, paper);
    series.set(id, appendSignalPoints(series.get(id) ?? {}, paper, obs.provenance.fetchedAt));
  }
  return { papers, series };
}

/** The capture's date from its file name, read at the end of that UTC day (when the day's list is final). */
function captureTime(file: string): Date | undefined {
  const m = /(\d{4}-\d{2}-\d{2})/.exec(file);
  return m ? new Date(`${m[1]}T23:59:59.000Z`) : undefined;
}

const fmt = (x: number) => (Number.isNaN(x) ? 'n/a' : x.toFixed(3));

async function evalRealCaptures(): Promise<void> {
  console.log('1. Real Hugging Face daily-papers captures: Paperwire 24h ranking vs HF upvote order');
  if (!existsSync(HF_DIR)) {
    console.log(`   skipped: ${HF_DIR} is absent (the real captures live outside this repository)\n`);
    return;
  }
  const files = readdirSync(HF_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort();
  for (const file of files) {
    const now = captureTime(file);
    if (!now) {
      console.log(`   ${file}: skipped (no date in the file name)`);
      continue;
    }
    const body = readFileSync(join(HF_DIR, file), 'utf8');
    const parsed = await parsePayload('hf-daily', body, { feedId: FEED_ID, fetchedAt: now.toISOString() });
    const observations: Observation[] = [];
    for (const entry of parsed.entries) {
      const r = normaliseEntry(entry);
      if (r.ok) observations.push(r.observation);
    }
    const { papers, series } = build(observations);
    const inputs = [...papers.values()].map((p) => scoreInputFromPaper(p, series.get(p._id) ?? {}));
    const ranking = rankWindow(inputs, {
      window: '24h',
      now,
      constants: DEFAULT_SCORE_CONSTANTS,
      limit: inputs.length,
      normaliseCategories: true,
    });
    // Compare over the papers both orders contain: every ranked paper with its HF upvotes.
    const upvotes = (id: string) =>
      papers.get(id)?.sightings.reduce((n, s) => n + (s.signals.upvotes ?? 0), 0) ?? 0;
    const ours = ranking.map((e) => -e.rank);
    const theirs = ranking.map((e) => upvotes(e.paperId));
    const top5 = ranking
      .slice(0, 5)
      .map((e) => `${e.paperId.replace(/^arxiv:/, '')}(${upvotes(e.paperId)})`)
      .join(' ');
    console.log(
      `   ${file}: ${parsed.entries.length} entries, ${ranking.length} ranked of ${papers.size} papers at ${now.toISOString()}`,
    );
    console.log(
      `     Spearman rho = ${fmt(spearman(ours, theirs))}, Kendall tau-b = ${fmt(kendallTauB(ours, theirs))}`,
    );
    console.log(`     top 5 (upvotes): ${top5}`);
  }
  console.log('');
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

try {
  console.log(
    `eval-trending: score ${DEFAULT_SCORE_CONSTANTS['halfLifeHours.24h']}h half-life (24h board), default constants\n`,
  );
  await evalRealCaptures();
  evalSyntheticWeek();
} catch (err) {
  console.error('eval-trending: internal error', err);
  process.exit(2);
}
