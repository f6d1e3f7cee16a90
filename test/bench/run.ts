// `npm run bench`: Paperwire's ingestion benchmark. Generates a seeded corpus (test/bench/corpus.ts), serves
// it from a loopback HTTP server with ETag and gzip, and runs the pipeline in this process (fetcher,
// resolver and scorer workers on the embedded Redis and FerretDB, like `paperwire run --once`):
//   cold ingest    empty database, every feed fetched once;
//   warm re-ingest every feed fetched again: 304s, nothing new written;
//   signal storm   the HF, HN and Reddit feeds come back with changed signals, then a re-score.
// Beside it, in the same run: the CPU cost of parsing and of normalising the corpus, a naive baseline
// (naive.ts) and the cost of one plain write per paper, from which an upper bound on entries/s for 2 cores is
// derived. After the timed runs, on fresh servers each: one staged cold ingest (fetch, resolve and score apart
// in time, for CPU and database commands per stage), one cold ingest per --memory-sizes size (each in a
// child process, for RSS growth against size), and the periodic re-score at scale.
// Each run gets a fresh temp data dir (so its own servers) and queue prefix and shuts them down.
// A run counts only if the stored papers are exactly the corpus's distinct papers (no duplicates, nothing
// merged wrongly, signals up to date after the storm); otherwise it prints INVALID and exits 1.
//
//   node --import tsx test/bench/run.ts [--smoke] [--entries N] [--runs K] [--feeds-per-kind F]
//                                       [--seed S] [--no-warmup] [--out bench-report.json]
//                                       [--memory-sizes N,M] (and the scenarios' flags: see test/bench/README.md)
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { normaliseEntry } from '@paperwire/core';
import { collectGarbage, type GcResult } from '@paperwire/db';
import { parseAndNormalise } from '@paperwire/ingest';
import { serversForConfig } from '@paperwire/local-infra';
import {
  createLogger,
  type Logger,
  PAPERWIRE_VERSION,
  retentionEnvSchema,
  retentionSettings,
} from '@paperwire/platform';
import { createRuntime, type Runtime } from '@paperwire/runtime';
import { parsePayload, sourceOfKind } from '@paperwire/sources';
import { type Db, MongoClient } from 'mongodb';
import mongoose from 'mongoose';
import pino from 'pino';
import type { FeedServer } from '../support/feed-server.ts';
import {
  fetchAll,
  type PipelineConfig,
  pipelineConfig,
  rescoreNow,
  withPipeline as withFreshPipeline,
} from '../support/pipeline.ts';
import { formatColdStart, measureColdStart } from './cold-start.ts';
import { type Corpus, type CorpusFeed, corpusFeedRecord, generateCorpus } from './corpus.ts';
import {
  COMMAND_KINDS,
  type CommandCounter,
  type CommandCounts,
  type CommandKind,
  type CommandTimes,
  type CpuSnapshot,
  commandCounter,
  commandsByKind,
  countsDelta,
  countsSum,
  cpuDelta,
  cpuSnapshot,
  cpuSum,
  type DbSize,
  dbSize,
  type JobFigures,
  type JobTimer,
  jobTimer,
  type MemoryFigures,
  median,
  memorySampler,
  PIPELINE_QUEUES,
  type PipelineQueue,
  redisUsedMemory,
  type ServerPids,
  serverPids,
  serverRssSampler,
  timesDelta,
  waitIdle,
} from './measure.ts';
import { type NaiveFeed, type NaiveResult, runNaive } from './naive.ts';
import {
  type ApiLoadFigures,
  apiLoad,
  idReadCost,
  type RescoreFigures,
  type RescoreJobFigures,
  rescoreAtScale,
  withApiProcess,
} from './scenarios.ts';

// ---------- options ----------
const { values: args } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    entries: { type: 'string' },
    runs: { type: 'string' },
    'feeds-per-kind': { type: 'string' },
    seed: { type: 'string', default: '20261201' },
    'no-warmup': { type: 'boolean', default: false },
    out: { type: 'string', default: 'bench-report.json' },
    'rescore-papers': { type: 'string' },
    'rescore-active': { type: 'string' },
    'api-rate': { type: 'string' },
    'api-seconds': { type: 'string' },
    'memory-sizes': { type: 'string' },
    /** Internal: run one --memory-sizes cold ingest and print its figures as JSON (see runMemoryApart). */
    'memory-child': { type: 'string' },
  },
});
const positive = (name: string, v: string | undefined, def: number): number => {
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`bench: --${name} must be a positive integer, got "${v}"`);
  return n;
};
const SMOKE = args.smoke ?? false;
// Smoke sizes are tiny so CI finishes in well under a minute; they check the harness, not the figures.
const ENTRIES = positive('entries', args.entries, SMOKE ? 70 : 10_000);
const RUNS = positive('runs', args.runs, SMOKE ? 1 : 5);
const FEEDS_PER_KIND = positive(
  'feeds-per-kind',
  args['feeds-per-kind'],
  Math.max(1, Math.round(ENTRIES / 1000)),
);
const SEED = positive('seed', args.seed, 20261201);
const WARMUP = !SMOKE && !args['no-warmup'];
const CORES = 2;
/** Database sizes for the periodic re-score scenario (comma-separated), and its active papers. */
const RESCORE_PAPERS = (args['rescore-papers'] ?? (SMOKE ? '2000' : '100000,1000000'))
  .split(',')
  .map((v) => positive('rescore-papers', v.trim(), 1));
const RESCORE_ACTIVE = positive('rescore-active', args['rescore-active'], SMOKE ? 200 : 5_000);
/** The API load test: a fixed request rate for a few seconds per route, from a second process. */
const API_RATE = positive('api-rate', args['api-rate'], SMOKE ? 100 : 500);
const API_SECONDS = positive('api-seconds', args['api-seconds'], SMOKE ? 2 : 10);
/** Cold-ingest sizes run once each on fresh servers after the timed runs, for peak RSS against size. */
const MEMORY_SIZES = (args['memory-sizes'] ?? (SMOKE ? '35,140' : ''))
  .split(',')
  .filter((v) => v.trim() !== '')
  .map((v) => positive('memory-sizes', v.trim(), 1));
/** Generous: a stuck queue should fail the run, not hang CI. */
const WAIT_MS = SMOKE ? 120_000 : 600_000 + Math.max(ENTRIES, ...MEMORY_SIZES) * 500;
/** The naive baseline resolves this many entries at once (what 2 resolvers x 8 in-batch slots gave before batch resolution; fixed so its figures stay comparable). */
const NAIVE_CONCURRENCY = 16;

const log: Logger = createLogger({
  service: 'bench',
  level: (process.env.LOG_LEVEL as 'warn' | undefined) ?? 'warn',
  pretty: false,
  destination: pino.destination(2),
});
const silent: Logger = createLogger({ service: 'bench', level: 'silent', pretty: false });

// ---------- ground truth ----------
interface Truth {
  /** `<path>\0<entryKey>` → paper key. */
  paperOf: Map<string, string>;
  /** `<path>\0<entryKey>` → the entry's signals as parsed. */
  signalsOf: Map<string, Record<string, number>>;
  /** Parse + normalise CPU for the whole corpus, seconds. */
  parseCpuSeconds: number;
  /** The same, parse and normalise apart. */
  cpuSeconds: { parse: number; normalise: number };
}

const truthKey = (path: string, entryKey: string) => `${path}\u0000${entryKey}`;

/**
 * Parses, then normalises, every payload (each step timed on its own: the fetch job's pure steps, as
 * parseAndNormalise takes them), and labels each entry key with the paper it is.
 */
async function parseCorpus(feeds: readonly CorpusFeed[], body: (f: CorpusFeed) => string): Promise<Truth> {
  const bodies = feeds.map((f) => body(f));
  const cpuSince = (before: NodeJS.CpuUsage) => {
    const used = process.cpuUsage(before);
    return (used.user + used.system) / 1e6;
  };
  const t0 = process.cpuUsage();
  const entries = [];
  for (const [i, f] of feeds.entries()) {
    const ctx = { feedId: `bench-${f.path}`, fetchedAt: '2026-04-01T00:00:00.000Z', url: f.path };
    entries.push((await parsePayload(f.kind, bodies[i]!, ctx)).entries);
  }
  const parse = cpuSince(t0);
  const t1 = process.cpuUsage();
  const normalised = entries.map((es) => es.map((e) => normaliseEntry(e)));
  const normalise = cpuSince(t1);
  const parsed = normalised.map((ns) => ns.flatMap((n) => (n.ok ? [n.observation] : [])));
  const paperOf = new Map<string, string>();
  const signalsOf = new Map<string, Record<string, number>>();
  for (const [i, f] of feeds.entries()) {
    const obs = parsed[i]!;
    if (obs.length !== f.entries.length) {
      throw new Error(
        `bench: ${f.path} parsed into ${obs.length} observations, generated ${f.entries.length}`,
      );
    }
    obs.forEach((o, j) => {
      const key = truthKey(f.path, o.provenance.entryKey);
      paperOf.set(key, f.papers[j]!);
      signalsOf.set(key, o.signals as Record<string, number>);
    });
  }
  return { paperOf, signalsOf, parseCpuSeconds: parse + normalise, cpuSeconds: { parse, normalise } };
}

interface Validity {
  valid: boolean;
  expected: number;
  stored: number;
  duplicates: number;
  wronglyMerged: number;
  missing: number;
  unknownSightings: number;
  staleSignals: number;
}

interface StoredSighting {
  feedId: string;
  entryKey: string;
  signals?: Record<string, number>;
}

/** Stored papers against the truth; `signals` (from the storm payloads) must match where given. */
async function validate(
  db: Db,
  truth: Truth,
  expected: number,
  pathOfFeed: Map<string, string>,
  signals?: Map<string, Record<string, number>>,
): Promise<Validity> {
  const papers = db
    .collection<{ _id: string; sightings?: StoredSighting[] }>('papers')
    .find({ mergedInto: { $exists: false } }, { projection: { sightings: 1 } });
  const papersOfTruth = new Map<string, number>();
  let stored = 0;
  let wronglyMerged = 0;
  let unknownSightings = 0;
  let staleSignals = 0;
  for await (const paper of papers) {
    stored++;
    const labels = new Set<string>();
    for (const s of paper.sightings ?? []) {
      const key = truthKey(pathOfFeed.get(s.feedId) ?? '?', s.entryKey);
      const label = truth.paperOf.get(key);
      if (label === undefined) unknownSightings++;
      else labels.add(label);
      const want = signals?.get(key);
      if (want && Object.entries(want).some(([k, v]) => s.signals?.[k] !== v)) staleSignals++;
    }
    if (labels.size > 1) wronglyMerged++;
    for (const l of labels) papersOfTruth.set(l, (papersOfTruth.get(l) ?? 0) + 1);
  }
  let duplicates = 0;
  for (const n of papersOfTruth.values()) duplicates += n - 1;
  const missing = expected - papersOfTruth.size;
  return {
    valid:
      stored === expected &&
      duplicates === 0 &&
      wronglyMerged === 0 &&
      missing === 0 &&
      unknownSightings === 0 &&
      staleSignals === 0,
    expected,
    stored,
    duplicates,
    wronglyMerged,
    missing,
    unknownSightings,
    staleSignals,
  };
}

// ---------- one run ----------
interface PhaseFigures {
  entries: number;
  seconds: number;
  entriesPerSecond: number;
  cpu: CpuSnapshot;
  jobs: Record<string, JobFigures>;
  /** This process's RSS and heap, sampled every 100 ms during the phase. */
  memory: MemoryFigures;
  /** The pipeline's database commands by name (only on a pipeline that counts them). */
  commands?: CommandCounts;
  /** The same by command and collection, with their summed round-trip time (only where counted). */
  commandTimes?: CommandTimes;
  /** Peak RSS of the embedded Redis and FerretDB during the phase, sampled every second. */
  serverPeakRssBytes: { redis?: number; ferretdb?: number };
}

interface RunReport {
  run: number;
  warmup: boolean;
  valid: boolean;
  error?: string;
  validity: {
    cold?: Validity;
    warm?: { newObservations: number; newPapers: number; resolveJobs: number; not304: number };
    storm?: Validity;
  };
  /** `jobs.score` are the ingest's own debounced score jobs, which finish after the clock stopped. */
  cold?: PhaseFigures & { secondsToRanked: number };
  warm?: PhaseFigures;
  storm?: PhaseFigures & { rescoreSeconds: number; rescoreJobMs: number };
  parseCpuMsPerEntry?: number;
  /** The same, parse and normalise apart. */
  parseSplitCpuMsPerEntry?: { parse: number; normalise: number };
  writeCpuMsPerPaper?: number;
  limitEntriesPerSecond?: number;
  naive?: NaiveResult;
  /** FerretDB CPU of one `_id` read against the papers and title-bucket collections after cold ingest. */
  idRead?: Record<string, Awaited<ReturnType<typeof idReadCost>>>;
  apiLoad?: ApiLoadFigures[];
  redisUsedMemoryBytes?: number;
  db?: DbSize;
  /** The database at the end of the run, before and after a gc with a clock past every retention period. */
  gc?: { before: DbSize; after: DbSize; deleted: GcResult['deleted'] };
  peakRssBytes: number;
}

/**
 * What retention leaves for good: gc run as if PAYLOAD_RETENTION_DAYS (and every shorter period) had passed
 * since the run, with the default settings, measured before and after at the same moment. On FerretDB's
 * SQLite the file does not shrink on delete (pages are reused), so storage figures fall less than data.
 * The bench runs no relay, so its outbox events are unpublished and stay (with a relay they would go).
 */
async function gcFigures(rt: Runtime, db: Db): Promise<NonNullable<RunReport['gc']>> {
  const settings = retentionSettings(retentionEnvSchema.parse({}));
  const later = new Date(Date.now() + (settings.payloadRetentionDays + 1) * 24 * 3_600_000);
  const before = await dbSize(db);
  const { deleted } = await collectGarbage(rt.db, settings, later, log);
  return { before, after: await dbSize(db), deleted };
}

/** One run's pipeline: fresh servers, the corpus on a loopback feed server, its feeds, and the workers. */
interface Pipeline {
  rt: Runtime;
  config: PipelineConfig;
  prefix: string;
  db: Db;
  pids: ServerPids;
  server: FeedServer;
  feedIds: string[];
  /** Feed id → corpus path. */
  pathOfFeed: Map<string, string>;
  naiveFeeds: NaiveFeed[];
  timer: JobTimer;
  /** The runtime's database commands (only with `monitorCommands`). */
  commands?: CommandCounter;
}

/**
 * Runs `body` on a fresh pipeline (test/support/pipeline.ts: a temp data dir, so its own Redis and FerretDB,
 * its own queue prefix, a fetcher, resolver and scorer in this process, like `paperwire run --once`) with
 * the corpus served with ETag and gzip and its feeds registered; shuts it all down afterwards. With
 * `monitorCommands` the runtime's database client reports every command it starts (the driver's command
 * monitoring, which costs this process a little CPU per command).
 */
async function withPipeline<T>(
  name: string,
  corpus: Corpus,
  opts: { monitorCommands?: boolean },
  body: (p: Pipeline) => Promise<T>,
): Promise<T> {
  const known = new Set(mongoose.connections);
  const monitorCommands = opts.monitorCommands ?? false;
  return withFreshPipeline(
    { tag: 'bench', name, log, feedServer: { gzip: true }, monitorCommands },
    async ({ rt, config, prefix, dataDir, server, startWorkers }) => {
      let client: MongoClient | undefined;
      let progress: NodeJS.Timeout | undefined;
      try {
        let commands: CommandCounter | undefined;
        if (monitorCommands) {
          const opened = mongoose.connections.filter((c) => !known.has(c));
          if (opened.length !== 1)
            throw new Error(`bench: the runtime opened ${opened.length} connections, not 1`);
          commands = commandCounter(opened[0]!.getClient());
        }
        const pids = await serverPids(dataDir);
        client = await new MongoClient(rt.mongoUri).connect();
        const db = client.db(rt.db.name); // the pipeline's database (MONGODB_DB when the URI names none)
        for (const f of corpus.feeds)
          server.set(f.path, { body: corpus.body(f), contentType: f.contentType });

        // Feeds go straight into the registry's collection: `feeds add` would also start a job scheduler per
        // feed, whose first run would fetch before the clock starts.
        const createdAt = new Date().toISOString();
        const pathOfFeed = new Map<string, string>();
        const naiveFeeds: NaiveFeed[] = [];
        for (const f of corpus.feeds) {
          const url = server.url(f.path);
          const feed = corpusFeedRecord(f.kind, url, createdAt);
          await rt.db.feeds.insertIfAbsent(feed);
          pathOfFeed.set(feed._id, f.path);
          naiveFeeds.push({ id: `naive-${feed._id}`, url, kind: f.kind, source: feed.source });
        }
        const timer = jobTimer();
        const workers = startWorkers();
        for (const [i, q] of PIPELINE_QUEUES.entries()) timer.watch(q, workers[i]!);
        // One progress line at a time, 10 s apart, from queue counts and the resolve jobs' results: no
        // database counts (countDocuments is a scan of the collection on FerretDB, which at 100,000 entries
        // outlasted the interval and competed with the ingest it reports on).
        const tick = () => {
          progress = setTimeout(() => {
            void progressLine(rt, timer, name)
              .then(
                (line) => process.stderr.write(line),
                () => {},
              )
              .finally(() => {
                if (progress !== undefined) tick();
              });
          }, 10_000);
        };
        tick();
        const feedIds = [...pathOfFeed.keys()];
        return await body({
          rt,
          config,
          prefix,
          db,
          pids,
          server,
          feedIds,
          pathOfFeed,
          naiveFeeds,
          timer,
          ...(commands ? { commands } : {}),
        });
      } finally {
        clearTimeout(progress);
        progress = undefined;
        await client?.close();
      }
    },
  );
}

/**
 * Wall time, CPU (ours and the servers'), job figures, this process's memory and (when counted) database
 * commands from now until `stop()`.
 */
async function stopwatch(p: Pipeline) {
  p.timer.reset();
  const commands0 = p.commands?.read();
  const times0 = p.commands?.readTimes();
  const cpu0 = await cpuSnapshot(p.pids);
  const memory = memorySampler();
  const serverMemory = serverRssSampler(p.pids);
  const t0 = performance.now();
  return {
    async stop(entries: number): Promise<PhaseFigures> {
      const seconds = (performance.now() - t0) / 1000;
      const cpu = cpuDelta(cpu0, await cpuSnapshot(p.pids));
      const jobs = Object.fromEntries(PIPELINE_QUEUES.map((q) => [q, p.timer.get(q)]));
      const commands =
        commands0 && times0 && p.commands
          ? {
              commands: countsDelta(commands0, p.commands.read()),
              commandTimes: timesDelta(times0, p.commands.readTimes()),
            }
          : {};
      return {
        entries,
        seconds,
        entriesPerSecond: entries / seconds,
        cpu,
        jobs,
        memory: memory.stop(),
        serverPeakRssBytes: await serverMemory.stop(),
        ...commands,
      };
    },
  };
}

/** Cold ingest: every feed fetched once; the clock stops when fetch and resolve have drained (papers stored). */
async function coldIngest(p: Pipeline, entries: number): Promise<PhaseFigures> {
  const watch = await stopwatch(p);
  await fetchAll(p.rt, p.feedIds);
  await waitIdle(p.rt.queues, WAIT_MS, ['fetch', 'resolve']);
  return watch.stop(entries);
}

/** Runs a manual re-score on idle queues and waits for it; returns its wall time and the score jobs' time, ms. */
async function rescore(rt: Runtime, timer: JobTimer): Promise<{ seconds: number; jobMs: number }> {
  timer.reset();
  const t0 = performance.now();
  await rescoreNow(rt.queues, WAIT_MS);
  return { seconds: (performance.now() - t0) / 1000, jobMs: timer.get('score').ms };
}

/**
 * The unavoidable write: each stored paper inserted once more, as is, into a scratch collection
 * (insertMany, 500 a batch). CPU of this process and FerretDB per paper, seconds.
 */
async function writeCostPerPaper(db: Db, pids: ServerPids): Promise<number> {
  const docs = await db
    .collection('papers')
    .find({ mergedInto: { $exists: false } })
    .toArray();
  if (docs.length === 0) return Number.NaN;
  const scratch = db.collection('benchwrites');
  const before = await cpuSnapshot(pids);
  for (let i = 0; i < docs.length; i += 500)
    await scratch.insertMany(docs.slice(i, i + 500), { ordered: false });
  const d = cpuDelta(before, await cpuSnapshot(pids));
  await scratch.drop();
  return (d.node + (d.ferretdb ?? 0)) / docs.length;
}

/** Progress on stderr, every few seconds, for runs long enough to wonder about. */
async function progressLine(rt: Runtime, timer: JobTimer, name: string): Promise<string> {
  const counts = await Promise.all(
    PIPELINE_QUEUES.map(async (q) => {
      const c = await rt.queues.byName[q].getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed');
      return `${q} ${c.waiting ?? 0}w/${c.active ?? 0}a/${c.delayed ?? 0}d/${c.completed ?? 0}c/${c.failed ?? 0}f`;
    }),
  );
  const r = timer.results('resolve');
  const resolved = (r.created ?? 0) + (r.updated ?? 0) + (r.unchanged ?? 0) + (r.merged ?? 0);
  return `  [${name}] ${counts.join(', ')}; ${resolved} entries resolved: ${r.created ?? 0} created, ${r.merged ?? 0} merged\n`;
}

async function count(db: Db, collection: string): Promise<number> {
  return db.collection(collection).countDocuments({});
}

async function runOnce(run: number, warmup: boolean, corpus: Corpus, withApi: boolean): Promise<RunReport> {
  const report: RunReport = { run, warmup, valid: false, validity: {}, peakRssBytes: 0 };
  const truth = await parseCorpus(corpus.feeds, corpus.body);
  try {
    await withPipeline(`run ${run}`, corpus, {}, async (p) => {
      const { rt, db, pids, server, feedIds, pathOfFeed, timer } = p;
      // Cold ingest: the clock stops when the papers are stored; ranking is timed apart, since the first
      // score waits for the 2 s debounce, which would dominate small corpora.
      const coldStart = performance.now();
      const cold = await coldIngest(p, corpus.entries);
      await waitIdle(rt.queues, WAIT_MS);
      cold.jobs.score = timer.get('score'); // the ingest's debounced score jobs, done after the clock stopped
      await rescore(rt, timer);
      report.cold = { ...cold, secondsToRanked: (performance.now() - coldStart) / 1000 };
      report.validity.cold = await validate(db, truth, corpus.papers, pathOfFeed);
      report.redisUsedMemoryBytes = await redisUsedMemory(rt.redis);
      report.db = await dbSize(db);
      report.idRead = {
        papers: await idReadCost(db, pids, 'papers'),
        aliases: await idReadCost(db, pids, 'aliases'),
      };

      // Warm re-ingest: every feed again; the server answers 304 and nothing new may be written.
      const observations = await count(db, 'observations');
      const papers = await count(db, 'papers');
      const requestsBefore = server.requests.length;
      let watch = await stopwatch(p);
      await fetchAll(rt, feedIds);
      await waitIdle(rt.queues, WAIT_MS);
      report.warm = await watch.stop(corpus.entries);
      report.validity.warm = {
        newObservations: (await count(db, 'observations')) - observations,
        newPapers: (await count(db, 'papers')) - papers,
        resolveJobs: report.warm.jobs.resolve?.jobs ?? 0,
        not304: server.requests.slice(requestsBefore).filter((r) => r.status !== 304).length,
      };

      // Signal storm: the social feeds change their signals; every feed is polled; then a re-score.
      const stormed = corpus.stormed();
      for (const f of stormed) server.set(f.path, { body: corpus.body(f), contentType: f.contentType });
      const stormTruth = await parseCorpus(stormed, corpus.body);
      const stormEntries = stormed.reduce((n, f) => n + f.entries.length, 0);
      watch = await stopwatch(p);
      await fetchAll(rt, feedIds);
      await waitIdle(rt.queues, WAIT_MS, ['fetch', 'resolve']);
      const storm = await watch.stop(stormEntries);
      await waitIdle(rt.queues, WAIT_MS);
      const rescored = await rescore(rt, timer);
      report.storm = { ...storm, rescoreSeconds: rescored.seconds, rescoreJobMs: rescored.jobMs };
      report.validity.storm = await validate(db, truth, corpus.papers, pathOfFeed, stormTruth.signalsOf);

      // The read API under load, on the ingested database: the API in a process of its own (as in
      // production, so this process's heap and pipeline work stay out of its latencies), the load from a
      // second one (load.ts: an open-loop generator at a fixed rate).
      if (withApi) {
        const ids = (
          await db
            .collection<{ _id: string }>('papers')
            .find({ mergedInto: { $exists: false } }, { projection: { _id: 1 } })
            .limit(500)
            .toArray()
        ).map((p) => `/papers/${encodeURIComponent(p._id)}`);
        const apiEnv = {
          MONGODB_URI: rt.mongoUri,
          REDIS_URL: rt.redisUrl,
          PAPERWIRE_QUEUE_PREFIX: p.prefix,
          PAPERWIRE_DATA_DIR: p.config.PAPERWIRE_DATA_DIR,
          LOG_LEVEL: p.config.LOG_LEVEL,
          LOG_PRETTY: 'false',
          METRICS_PORT: '0',
          API_READ_REQUIRES_KEY: 'false',
          API_RATE_LIMIT_PER_MINUTE: '1000000',
        };
        report.apiLoad = await withApiProcess(apiEnv, (api) =>
          apiLoad(
            api.url,
            [
              { name: 'GET /trending', paths: ['/trending'] },
              { name: 'GET /papers/:id', paths: ids },
            ],
            API_RATE,
            API_SECONDS,
            pids,
            api.pid,
          ),
        );
      }

      // The naive baseline, then the cost of the unavoidable work.
      report.naive = await runNaive({
        mongoUri: rt.mongoUri,
        redisUrl: rt.redisUrl,
        prefix: `${p.prefix}-naive`,
        feeds: p.naiveFeeds,
        concurrency: NAIVE_CONCURRENCY,
        log,
        timeoutMs: WAIT_MS,
      });
      const writeCpu = await writeCostPerPaper(db, pids);
      const parseCpu = truth.parseCpuSeconds / corpus.entries;
      report.parseCpuMsPerEntry = parseCpu * 1000;
      report.parseSplitCpuMsPerEntry = {
        parse: (truth.cpuSeconds.parse * 1000) / corpus.entries,
        normalise: (truth.cpuSeconds.normalise * 1000) / corpus.entries,
      };
      report.writeCpuMsPerPaper = writeCpu * 1000;
      report.limitEntriesPerSecond = CORES / (parseCpu + (writeCpu * corpus.papers) / corpus.entries);
      report.gc = await gcFigures(rt, db);

      const w = report.validity.warm;
      report.valid =
        report.validity.cold.valid &&
        report.validity.storm.valid &&
        w.newObservations === 0 &&
        w.newPapers === 0 &&
        w.resolveJobs === 0 &&
        w.not304 === 0;
    });
  } catch (err) {
    report.error = (err as Error).stack ?? String(err);
  }
  report.peakRssBytes = process.resourceUsage().maxRSS * 1024;
  return report;
}

/** A scenario's figures, or its error (which makes the bench exit 1). */
async function settle<T>(f: () => Promise<T>): Promise<T | { error: string }> {
  try {
    return await f();
  } catch (err) {
    return { error: (err as Error).stack ?? String(err) };
  }
}

interface StagedFigures {
  entries: number;
  /** One stage per pipeline queue. */
  stages: Record<PipelineQueue, PhaseFigures>;
  validity: Validity;
}

/**
 * The cold ingest once more, on fresh servers, with its stages apart in time: the resolve and score queues
 * are paused (BullMQ `Queue.pause()`, which the in-process workers obey) while every feed is fetched; then
 * resolve is resumed and timed until drained; then score. CPU and database commands are read at each
 * boundary. Pausing changes throughput, so the timed runs never do it.
 */
async function runStaged(corpus: Corpus): Promise<StagedFigures | { error: string }> {
  const truth = await parseCorpus(corpus.feeds, corpus.body);
  return settle(() =>
    withPipeline('staged', corpus, { monitorCommands: true }, async (p) => {
      const { resolve, score } = p.rt.queues.byName;
      await resolve.pause();
      await score.pause();
      const stage = async (queue: PipelineQueue, start: () => Promise<unknown>) => {
        const watch = await stopwatch(p);
        await start();
        await waitIdle(p.rt.queues, WAIT_MS, [queue]);
        return watch.stop(corpus.entries);
      };
      const stages = {
        fetch: await stage('fetch', () => fetchAll(p.rt, p.feedIds)),
        resolve: await stage('resolve', () => resolve.resume()),
        score: await stage('score', () => score.resume()),
      };
      return {
        entries: corpus.entries,
        stages,
        validity: await validate(p.db, truth, corpus.papers, p.pathOfFeed),
      };
    }),
  );
}

/**
 * runMemory in a child process of this script (same flags), so that RSS before and peak RSS belong to that
 * one ingest, not to what earlier runs left in this process's heap.
 */
async function runMemoryApart(entries: number): Promise<MemoryRun | { error: string }> {
  const argv = [...process.execArgv, '--expose-gc', import.meta.filename, ...process.argv.slice(2)];
  const child = spawn(process.execPath, [...argv, '--memory-child', String(entries)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  try {
    return JSON.parse(out.trim().split('\n').pop() ?? '') as MemoryRun | { error: string };
  } catch {
    return { error: `bench: the memory run of ${entries} entries exited with ${code} and no figures` };
  }
}

interface MemoryRun {
  entries: number;
  papers: number;
  cold: PhaseFigures;
  /** Heap used after a full GC, before the ingest and once it and its scoring were done (needs --expose-gc). */
  liveHeapBytes: { before?: number; after?: number };
  validity: Validity;
  /** dbStats once the ingest and its scoring are done. */
  db: DbSize;
}

/**
 * A cold ingest of `entries` entries on fresh servers, for RSS growth against size: its own corpus (same seed)
 * with as many entries per feed as the timed runs' (more feeds, not longer ones, so payload size stays put).
 */
async function runMemory(entries: number): Promise<MemoryRun | { error: string }> {
  const feedsPerKind = Math.max(1, Math.round((entries * FEEDS_PER_KIND) / ENTRIES));
  const corpus = generateCorpus({ seed: SEED, entries, feedsPerKind });
  const truth = await parseCorpus(corpus.feeds, corpus.body);
  const gc = (globalThis as { gc?: () => void }).gc;
  const liveHeap = () => {
    if (!gc) return undefined;
    gc();
    return process.memoryUsage().heapUsed;
  };
  return settle(() =>
    withPipeline(`memory ${entries}`, corpus, {}, async (p) => {
      const before = liveHeap();
      const cold = await coldIngest(p, corpus.entries);
      await waitIdle(p.rt.queues, WAIT_MS);
      const liveHeapBytes = { before, after: liveHeap() };
      const validity = await validate(p.db, truth, corpus.papers, p.pathOfFeed);
      const db = await dbSize(p.db);
      return { entries: corpus.entries, papers: corpus.papers, cold, liveHeapBytes, validity, db };
    }),
  );
}

/** The periodic re-score at scale, on fresh servers: seed `papers` papers, then time the scorer's jobs. */
async function runRescore(papers: number, corpus: Corpus): Promise<RescoreFigures | { error: string }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'paperwire-bench-rescore-'));
  const prefix = `bench-rescore-${randomBytes(4).toString('hex')}`;
  const config = pipelineConfig(dataDir, prefix);
  let rt: Runtime | undefined;
  let client: MongoClient | undefined;
  try {
    rt = await createRuntime(config, log, {
      shutdownTimeoutMs: 60_000,
      servers: await serversForConfig(config, log),
    });
    const pids = await serverPids(dataDir);
    client = await new MongoClient(rt.mongoUri).connect();
    const feed = corpus.feeds.find((f) => f.kind === 'arxiv-rss')!;
    const parsed = await parseAndNormalise(
      { _id: 'bench-template', kind: feed.kind, source: sourceOfKind(feed.kind) },
      [{ url: feed.path, status: 200, headers: {}, body: corpus.body(feed), bytes: 0 }],
      new Date().toISOString(),
      silent,
    );
    return await rescoreAtScale({
      rt,
      db: client.db(rt.db.name),
      pids,
      template: parsed.observations[0]!,
      papers,
      active: RESCORE_ACTIVE,
      timer: jobTimer(),
      config,
      timeoutMs: WAIT_MS + papers * 10,
      progress: (line) => process.stderr.write(line),
    });
  } catch (err) {
    return { error: (err as Error).stack ?? String(err) };
  } finally {
    await client?.close();
    await rt?.shutdown.run('bench rescore finished');
    await rm(dataDir, { recursive: true, force: true });
  }
}

// ---------- summary ----------
interface Stat {
  median: number;
  min: number;
  max: number;
  /** (max − min) / median. */
  spread: number;
}

function stat(xs: readonly number[]): Stat | undefined {
  const ok = xs.filter(Number.isFinite);
  if (ok.length === 0) return undefined;
  const m = median(ok);
  const min = Math.min(...ok);
  const max = Math.max(...ok);
  return { median: m, min, max, spread: m > 0 ? (max - min) / m : 0 };
}

function summarise(runs: readonly RunReport[]) {
  const per = (f: (r: RunReport) => number | undefined) => stat(runs.map((r) => f(r) ?? Number.NaN));
  const perEntryMs = (p: PhaseFigures | undefined, q: string) =>
    p ? (p.jobs[q]?.ms ?? 0) / p.entries : undefined;
  const cpuMs = (p: PhaseFigures | undefined, k: keyof CpuSnapshot) =>
    p && p.cpu[k] !== undefined ? ((p.cpu[k] as number) * 1000) / p.entries : undefined;
  const cold = per((r) => r.cold?.entriesPerSecond);
  const naive = per((r) => r.naive?.entriesPerSecond);
  const limit = per((r) => r.limitEntriesPerSecond);
  return {
    coldEntriesPerSecond: cold,
    coldSecondsToStored: per((r) => r.cold?.seconds),
    coldSecondsToRanked: per((r) => r.cold?.secondsToRanked),
    warmEntriesPerSecond: per((r) => r.warm?.entriesPerSecond),
    warmSeconds: per((r) => r.warm?.seconds),
    stormEntriesPerSecond: per((r) => r.storm?.entriesPerSecond),
    stormRescoreSeconds: per((r) => r.storm?.rescoreSeconds),
    stormRescoreJobMs: per((r) => r.storm?.rescoreJobMs),
    parseCpuMsPerEntry: per((r) => r.parseCpuMsPerEntry),
    parseOnlyCpuMsPerEntry: per((r) => r.parseSplitCpuMsPerEntry?.parse),
    normaliseCpuMsPerEntry: per((r) => r.parseSplitCpuMsPerEntry?.normalise),
    /** Per queue, over the cold ingest's completed jobs: created → finished and queue wait, ms. */
    coldJobs: Object.fromEntries(
      PIPELINE_QUEUES.map((q) => {
        const job = (f: (j: JobFigures) => number) =>
          per((r) => (r.cold?.jobs[q] ? f(r.cold.jobs[q]) : undefined));
        return [
          q,
          {
            jobs: job((j) => j.jobs),
            latencyP50Ms: job((j) => j.latencyMs.p50),
            latencyP99Ms: job((j) => j.latencyMs.p99),
            waitP50Ms: job((j) => j.waitMs.p50),
            waitP99Ms: job((j) => j.waitMs.p99),
          },
        ];
      }),
    ),
    fetchJobMsPerEntry: per((r) => perEntryMs(r.cold, 'fetch')),
    resolveJobMsPerEntry: per((r) => perEntryMs(r.cold, 'resolve')),
    coldCpuMsPerEntry: {
      node: per((r) => cpuMs(r.cold, 'node')),
      redis: per((r) => cpuMs(r.cold, 'redis')),
      ferretdb: per((r) => cpuMs(r.cold, 'ferretdb')),
    },
    writeCpuMsPerPaper: per((r) => r.writeCpuMsPerPaper),
    peakRssBytes: per((r) => r.peakRssBytes),
    coldRssGrowthBytes: per((r) => r.cold?.memory.rssGrowthBytes),
    coldPeakHeapUsedBytes: per((r) => r.cold?.memory.peakHeapUsedBytes),
    redisUsedMemoryBytes: per((r) => r.redisUsedMemoryBytes),
    dbTotalSizeBytes: per((r) => r.db?.totalSize),
    dbDataSizeBytes: per((r) => r.db?.dataSize),
    naiveEntriesPerSecond: naive,
    paperwireOverNaive: cold && naive ? cold.median / naive.median : undefined,
    limitEntriesPerSecond: limit,
    fractionOfLimit: cold && limit ? cold.median / limit.median : undefined,
    idReadPapersMs: per((r) => r.idRead?.papers?.cpuMsPerRead),
    idReadAliasesMs: per((r) => r.idRead?.aliases?.cpuMsPerRead),
    idReadUsPerThousandDocs: per((r) => r.idRead?.aliases?.cpuUsPerReadPerThousandDocs),
  };
}

/** The staged pass per entry: CPU by process, database commands by kind, FerretDB CPU per command. */
function stagedSummary(st: StagedFigures) {
  const perEntry = (phases: readonly PhaseFigures[]) => {
    const cpu = cpuSum(phases.map((f) => f.cpu));
    const kinds = commandsByKind(countsSum(phases.map((f) => f.commands ?? {})));
    const commands = COMMAND_KINDS.reduce((n, k) => n + kinds[k], 0);
    const ms = (x: number | undefined) => (x === undefined ? undefined : (x * 1000) / st.entries);
    return {
      seconds: phases.reduce((n, f) => n + f.seconds, 0),
      cpuMsPerEntry: { node: ms(cpu.node), redis: ms(cpu.redis), ferretdb: ms(cpu.ferretdb) },
      commandsPerEntry: {
        ...Object.fromEntries(COMMAND_KINDS.map((k) => [k, kinds[k] / st.entries])),
        all: commands / st.entries,
      } as Record<CommandKind | 'all', number>,
      ferretdbUsPerCommand:
        cpu.ferretdb === undefined || commands === 0 ? undefined : (cpu.ferretdb * 1e6) / commands,
    };
  };
  return {
    entries: st.entries,
    fetch: perEntry([st.stages.fetch]),
    resolve: perEntry([st.stages.resolve]),
    score: perEntry([st.stages.score]),
    all: perEntry(PIPELINE_QUEUES.map((k) => st.stages[k])),
  };
}

const fmt = (n: number | undefined, digits = 1): string =>
  n === undefined || !Number.isFinite(n)
    ? '-'
    : n >= 100
      ? Math.round(n).toLocaleString('en-US')
      : n.toFixed(digits);
const mib = (n: number | undefined) => (n === undefined ? '-' : `${fmt(n / 2 ** 20)} MiB`);
const spreadOf = (s: Stat | undefined, f: (n: number) => string = (n) => fmt(n, 2)) =>
  s ? `${f(s.min)} – ${f(s.max)} (±${fmt((s.spread * 100) / 2, 0)}%)` : '-';

type Row = [string, string, string];
const firstLine = (error: string) => error.split('\n')[0] ?? '';
const cpuTriple = (c: { node?: number; redis?: number; ferretdb?: number }) =>
  `${fmt(c.node, 3)} / ${fmt(c.redis, 3)} / ${fmt(c.ferretdb, 3)}`;
const coldCpuMedians = ({ coldCpuMsPerEntry: c }: ReturnType<typeof summarise>) => ({
  node: c.node?.median,
  redis: c.redis?.median,
  ferretdb: c.ferretdb?.median,
});

/** CPU and database commands per entry by stage (the staged pass; parse and normalise from the timed runs). */
function stagedRows(st: StagedFigures | { error: string }, s: ReturnType<typeof summarise>): Row[] {
  if ('error' in st) return [['staged cold ingest', 'FAILED', firstLine(st.error)]];
  const x = stagedSummary(st);
  const parts = [...PIPELINE_QUEUES, 'all'] as const;
  const what: Record<(typeof parts)[number], string> = {
    fetch: 'fetch jobs: HTTP, parse, normalise, archive, insert observations, enqueue',
    resolve: 'resolve jobs, incl. their writes',
    score: 'the debounced score jobs, run once resolve had drained',
    all: `timed cold runs (median): ${cpuTriple(coldCpuMedians(s))}`,
  };
  return [
    [
      'CPU by stage, ms/entry: node / redis / ferretdb',
      '',
      `staged pass: ${st.entries} entries on fresh servers, stages apart in time, command monitoring on`,
    ],
    [
      '  parse',
      fmt(s.parseOnlyCpuMsPerEntry?.median, 3),
      'parsePayload over the corpus payloads (timed runs)',
    ],
    [
      '  normalise',
      fmt(s.normaliseCpuMsPerEntry?.median, 3),
      'normaliseEntry over the parsed entries (timed runs)',
    ],
    ...parts.map(
      (k): Row => [`  ${k}`, cpuTriple(x[k].cpuMsPerEntry), `${fmt(x[k].seconds, 2)} s; ${what[k]}`],
    ),
    [
      'db commands/entry: find / insert / update / delete / other',
      '',
      "staged pass: the driver's commandStarted events on the pipeline's client",
    ],
    ...parts.map(
      (k): Row => [
        `  ${k}`,
        COMMAND_KINDS.map((kind) => fmt(x[k].commandsPerEntry[kind], 2)).join(' / '),
        `${fmt(x[k].commandsPerEntry.all, 1)} in all; FerretDB CPU ${fmt(x[k].ferretdbUsPerCommand, 0)} µs per command`,
      ],
    ),
    [
      'db time by command, ms/entry',
      '',
      'staged pass: round-trip time summed by command and collection, the largest five per stage',
    ],
    ...PIPELINE_QUEUES.map((k): Row => {
      const top = Object.entries(st.stages[k].commandTimes ?? {})
        .sort(([, a], [, b]) => b.ms - a.ms)
        .slice(0, 5)
        .map(([target, t]) => `${target} ${fmt(t.ms / st.entries, 2)} (${t.n}×)`);
      return [`  ${k}`, '', top.join(', ')];
    }),
  ];
}

/** The three largest collections with their data size and document count. */
const largestCollections = (db: DbSize) =>
  Object.entries(db.byCollection ?? {})
    .slice(0, 3)
    .map(([name, c]) => `${name} ${mib(c.size)} in ${c.count.toLocaleString('en-US')}`)
    .join(', ');

/** Peak RSS growth and heap used of each --memory-sizes cold ingest. */
function memoryRows(memory: readonly (MemoryRun | { error: string })[]): Row[] {
  return memory.map((m): Row => {
    if ('error' in m) return ['memory: cold ingest', 'FAILED', firstLine(m.error)];
    const c = m.cold.memory;
    return [
      `memory: cold ingest of ${m.entries.toLocaleString('en-US')} entries`,
      `+${mib(c.rssGrowthBytes)} RSS`,
      `RSS ${mib(c.rssBeforeBytes)} → peak ${mib(c.peakRssBytes)}; heap used ${mib(c.heapUsedBeforeBytes)} → peak ` +
        `${mib(c.peakHeapUsedBytes)}; after GC ${mib(m.liveHeapBytes.before)} → ${mib(m.liveHeapBytes.after)}; ` +
        `${fmt(m.cold.entriesPerSecond)} entries/s${m.validity.valid ? '' : '; INVALID'}; ` +
        `FerretDB peak RSS ${mib(m.cold.serverPeakRssBytes.ferretdb)}; database ${mib(m.db.totalSize)} ` +
        `(${mib((m.db.totalSize * 100_000) / m.papers)} per 100k papers; largest: ${largestCollections(m.db)})`,
    ];
  });
}

function printTable(
  summary: ReturnType<typeof summarise>,
  runs: number,
  extra: {
    rescore: readonly (RescoreFigures | { error: string })[];
    api: readonly ApiLoadFigures[] | undefined;
    staged: StagedFigures | { error: string };
    memory: readonly (MemoryRun | { error: string })[];
  },
): void {
  const s = summary;
  const { rescore, api } = extra;
  const rows: Row[] = [
    [
      'cold ingest, entries/s (to papers stored)',
      fmt(s.coldEntriesPerSecond?.median),
      spreadOf(s.coldEntriesPerSecond),
    ],
    [
      'cold ingest, s to stored / to ranked',
      `${fmt(s.coldSecondsToStored?.median, 2)} / ${fmt(s.coldSecondsToRanked?.median, 2)}`,
      'ranked includes the 2 s score debounce',
    ],
    [
      'warm re-ingest (all 304), entries/s',
      fmt(s.warmEntriesPerSecond?.median),
      spreadOf(s.warmEntriesPerSecond),
    ],
    [
      'signal storm, changed entries/s',
      fmt(s.stormEntriesPerSecond?.median),
      spreadOf(s.stormEntriesPerSecond),
    ],
    [
      're-score after storm, s (job ms)',
      `${fmt(s.stormRescoreSeconds?.median, 2)} (${fmt(s.stormRescoreJobMs?.median)})`,
      spreadOf(s.stormRescoreSeconds),
    ],
    [
      'parse+normalise CPU, ms/entry',
      fmt(s.parseCpuMsPerEntry?.median, 3),
      'process.cpuUsage around parsePayload, normaliseEntry (apart: CPU by stage)',
    ],
    [
      'fetch job time, ms/entry (cold)',
      fmt(s.fetchJobMsPerEntry?.median, 3),
      'wall time of jobs; concurrent jobs overlap',
    ],
    [
      'resolve job time, ms/entry (cold)',
      fmt(s.resolveJobMsPerEntry?.median, 3),
      'wall time of jobs; concurrent jobs overlap',
    ],
    ...PIPELINE_QUEUES.map((q): Row => {
      const j = s.coldJobs[q];
      return [
        `cold ${q} job latency p50 / p99, ms`,
        `${fmt(j?.latencyP50Ms?.median, 0)} / ${fmt(j?.latencyP99Ms?.median, 0)}`,
        `created → finished; queue wait p50 / p99 ${fmt(j?.waitP50Ms?.median, 0)} / ${fmt(j?.waitP99Ms?.median, 0)} ms` +
          `${q === 'score' ? ' (incl. the 2 s debounce)' : ''}; ${fmt(j?.jobs?.median, 0)} jobs`,
      ];
    }),
    [
      'cold CPU, ms/entry: node / redis / ferretdb',
      cpuTriple(coldCpuMedians(s)),
      'node includes the in-process feed server',
    ],
    [
      'one write per paper, CPU ms (node+ferretdb)',
      fmt(s.writeCpuMsPerPaper?.median, 3),
      'insertMany of the stored papers, 500 a batch',
    ],
    ['peak RSS of this process', mib(s.peakRssBytes?.max), 'whole-process maximum so far'],
    [
      'cold ingest RSS growth (peak − before)',
      mib(s.coldRssGrowthBytes?.median),
      `sampled every 100 ms; heap used peak ${mib(s.coldPeakHeapUsedBytes?.median)}`,
    ],
    ['Redis used_memory after cold ingest', mib(s.redisUsedMemoryBytes?.median), ''],
    [
      'database size after cold ingest (dbStats)',
      mib(s.dbTotalSizeBytes?.median),
      `data ${mib(s.dbDataSizeBytes?.median)}`,
    ],
    ['naive baseline, entries/s', fmt(s.naiveEntriesPerSecond?.median), spreadOf(s.naiveEntriesPerSecond)],
    [
      'Paperwire / naive',
      s.paperwireOverNaive === undefined ? '-' : `${fmt(s.paperwireOverNaive, 2)}×`,
      'cold ingest medians',
    ],
    [
      `limit for ${CORES} cores (parse + 1 write/paper), entries/s`,
      fmt(s.limitEntriesPerSecond?.median),
      spreadOf(s.limitEntriesPerSecond),
    ],
    [
      'Paperwire as a fraction of the limit',
      s.fractionOfLimit === undefined ? '-' : `${fmt(s.fractionOfLimit * 100)}%`,
      '',
    ],
    [
      'FerretDB CPU per _id read, papers / aliases',
      `${fmt(s.idReadPapersMs?.median, 2)} / ${fmt(s.idReadAliasesMs?.median, 2)} ms`,
      `${fmt(s.idReadUsPerThousandDocs?.median, 0)} µs per 1,000 stored documents (flat when the _id index is used)`,
    ],
    ...stagedRows(extra.staged, s),
    ...memoryRows(extra.memory),
  ];
  const jobCpu = (j: RescoreJobFigures) =>
    `CPU node ${fmt(j.cpu.node, 2)} s, ferretdb ${fmt(j.cpu.ferretdb, 2)} s, redis ${fmt(j.cpu.redis, 2)} s`;
  for (const r of rescore) {
    if ('error' in r) {
      rows.push(['re-score at scale', 'FAILED', firstLine(r.error)]);
      continue;
    }
    const at = `${r.papers.toLocaleString('en-US')} papers, ${r.active.toLocaleString('en-US')} active`;
    rows.push(
      [`re-score, ${at}: seed`, `${fmt(r.seedSeconds)} s`, 'insertMany 1,000 a batch + ZADD'],
      [
        `  first job of a scorer (loads active)`,
        `${fmt(r.first.seconds, 2)} s`,
        `read ${r.first.read}; ${jobCpu(r.first)}`,
      ],
      [
        `  periodic, nothing changed`,
        `${fmt(r.periodic.seconds, 2)} s`,
        `read ${r.periodic.read}; ${jobCpu(r.periodic)}`,
      ],
      [
        `  periodic, ${r.periodicAfterChanges.changed} changed`,
        `${fmt(r.periodicAfterChanges.seconds, 2)} s`,
        `read ${r.periodicAfterChanges.read}; ${jobCpu(r.periodicAfterChanges)}`,
      ],
    );
  }
  for (const a of api ?? []) {
    rows.push([
      `API ${a.route} at ${a.rate} req/s, ${a.seconds} s`,
      `${fmt(a.result.requestsPerSecond)} req/s`,
      `p50 ${a.result.latencyMs.p50} ms, p99 ${a.result.latencyMs.p99} ms, max ${a.result.latencyMs.max} ms; ` +
        `non-2xx ${a.result.non2xx}, errors ${a.result.errors}; CPU ms/req API process ${fmt(a.cpuMsPerRequest.api, 3)}, ferretdb ${fmt(a.cpuMsPerRequest.ferretdb, 3)}, ` +
        `load generator ${fmt(a.cpuMsPerRequest.loadGenerator, 3)}; other processes ${fmt(a.otherCores, 2)} cores`,
    ]);
  }
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  process.stdout.write(
    `\nfigure${' '.repeat(w0 - 6)}  median${' '.repeat(Math.max(0, w1 - 6))}  min – max over ${runs} run(s)\n`,
  );
  for (const [a, b, c] of rows) process.stdout.write(`${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}\n`);
}

/** The worker settings the figures depend on (defaults unless set in the environment). */
function pipelineSettings() {
  const c = pipelineConfig(tmpdir(), 'bench');
  return {
    FETCH_CONCURRENCY: c.FETCH_CONCURRENCY,
    RESOLVE_CONCURRENCY: c.RESOLVE_CONCURRENCY,
    SCORE_BATCH: c.SCORE_BATCH,
    RANKING_SIZE: c.RANKING_SIZE,
  };
}

// ---------- main ----------
const errorLines = (error: string) => `  ${error.split('\n').slice(0, 4).join('\n  ')}\n`;

async function main(): Promise<number> {
  const corpus = generateCorpus({ seed: SEED, entries: ENTRIES, feedsPerKind: FEEDS_PER_KIND });
  process.stdout.write(
    `paperwire bench${SMOKE ? ' --smoke' : ''}: ${corpus.entries} entries, ${corpus.papers} distinct papers, ` +
      `${corpus.feeds.length} feeds (${FEEDS_PER_KIND} per kind), seed ${SEED}; ` +
      `${corpus.counts.duplicates} cross-source duplicates, ${corpus.counts.nearDuplicates} near-duplicates; ` +
      `${WARMUP ? '1 warm-up + ' : ''}${RUNS} run(s)\n` +
      `machine: ${cpus().length} CPUs, load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}\n`,
  );
  const reports: RunReport[] = [];
  const total = RUNS + (WARMUP ? 1 : 0);
  for (let i = 0; i < total; i++) {
    const warmup = WARMUP && i === 0;
    const t0 = performance.now();
    const r = await runOnce(i, warmup, corpus, i === total - 1);
    reports.push(r);
    const verdict = r.error ? 'FAILED' : r.valid ? 'valid' : 'INVALID';
    process.stdout.write(
      `run ${i}${warmup ? ' (warm-up)' : ''}: ${verdict}; cold ${fmt(r.cold?.entriesPerSecond)} entries/s, ` +
        `naive ${fmt(r.naive?.entriesPerSecond)} entries/s; ${fmt((performance.now() - t0) / 1000)} s in all\n`,
    );
    if (r.error) process.stdout.write(errorLines(r.error));
    else if (!r.valid) process.stdout.write(`  ${JSON.stringify(r.validity)}\n`);
  }
  const seconds = (t0: number) => `${fmt((performance.now() - t0) / 1000)} s in all`;
  const verdict = (v: Validity) => (v.valid ? 'valid' : `INVALID ${JSON.stringify(v)}`);
  let t0 = performance.now();
  const staged = await runStaged(corpus);
  process.stdout.write(
    'error' in staged
      ? `staged cold ingest: FAILED\n${errorLines(staged.error)}`
      : `staged cold ingest: ${verdict(staged.validity)}; ` +
          `${PIPELINE_QUEUES.map((k) => `${k} ${fmt(staged.stages[k].seconds, 2)} s`).join(', ')}; ${seconds(t0)}\n`,
  );
  const memory: (MemoryRun | { error: string })[] = [];
  for (const entries of MEMORY_SIZES) {
    t0 = performance.now();
    const m = await runMemoryApart(entries);
    memory.push(m);
    process.stdout.write(
      'error' in m
        ? `memory at ${entries.toLocaleString('en-US')} entries: FAILED\n${errorLines(m.error)}`
        : `memory at ${m.entries.toLocaleString('en-US')} entries: ${verdict(m.validity)}; ` +
            `RSS +${mib(m.cold.memory.rssGrowthBytes)}; ${seconds(t0)}\n`,
    );
  }
  const rescore: (RescoreFigures | { error: string })[] = [];
  for (const papers of RESCORE_PAPERS) {
    t0 = performance.now();
    const r = await runRescore(papers, corpus);
    rescore.push(r);
    process.stdout.write(
      'error' in r
        ? `re-score at ${papers.toLocaleString('en-US')} papers: FAILED\n${errorLines(r.error)}`
        : `re-score at ${papers.toLocaleString('en-US')} papers, ${r.active.toLocaleString('en-US')} active: ` +
            `first job ${fmt(r.first.seconds, 2)} s, periodic ${fmt(r.periodic.seconds, 2)} s; ${seconds(t0)}\n`,
    );
  }
  // Cold start of the compiled CLI (cold-start.ts); its failure is reported, not a reason to fail the bench.
  const coldStart = await measureColdStart({ runs: SMOKE ? 3 : 10 }).catch((err: Error) => ({
    error: err.stack ?? String(err),
  }));
  process.stdout.write(
    'error' in coldStart ? `cold start: FAILED\n${errorLines(coldStart.error)}` : formatColdStart(coldStart),
  );
  const measured = reports.filter((r) => !r.warmup);
  const allValid =
    reports.every((r) => r.valid) &&
    [staged, ...memory].every((r) => !('error' in r) && r.validity.valid) &&
    rescore.every((r) => !('error' in r));
  const stagedPerEntry = 'error' in staged ? undefined : stagedSummary(staged);
  const summary = {
    ...summarise(measured.filter((r) => r.valid)),
    /** Database commands per entry over the whole pipeline (the staged pass). */
    dbCommandsPerEntry: stagedPerEntry?.all.commandsPerEntry.all,
    /** Database size after the cold ingest, scaled to 100,000 papers. */
    dbBytesPer100kPapers: stat(
      measured
        .filter((r) => r.valid && r.db?.totalSize !== undefined)
        .map((r) => (r.db!.totalSize * 100_000) / corpus.papers),
    ),
    /** Database size at the end of a run, scaled to 100,000 papers, before gc (the same moment as below). */
    dbBytesPer100kPapersBeforeGc: stat(
      measured
        .filter((r) => r.valid && r.gc !== undefined)
        .map((r) => (r.gc!.before.totalSize * 100_000) / corpus.papers),
    ),
    /** The same after gc with a clock past every retention period: what retention keeps for good. */
    dbBytesPer100kPapersAfterGc: stat(
      measured
        .filter((r) => r.valid && r.gc !== undefined)
        .map((r) => (r.gc!.after.totalSize * 100_000) / corpus.papers),
    ),
  };
  const apiFigures = reports.findLast((r) => r.apiLoad)?.apiLoad;
  printTable(summary, measured.length, { rescore, api: apiFigures, staged, memory });
  const report = {
    tool: 'paperwire-bench',
    version: PAPERWIRE_VERSION,
    at: new Date().toISOString(),
    provisional: SMOKE || loadavg()[0]! > cpus().length,
    options: {
      smoke: SMOKE,
      entries: ENTRIES,
      runs: RUNS,
      warmup: WARMUP,
      feedsPerKind: FEEDS_PER_KIND,
      seed: SEED,
      memorySizes: MEMORY_SIZES,
    },
    pipeline: pipelineSettings(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model, loadavg: loadavg(), node: process.version },
    corpus: {
      entries: corpus.entries,
      papers: corpus.papers,
      feeds: corpus.feeds.length,
      ...corpus.counts,
    },
    valid: allValid,
    summary,
    staged: stagedPerEntry === undefined ? staged : { perEntry: stagedPerEntry, ...staged },
    memory,
    rescore,
    apiLoad: apiFigures,
    coldStart,
    runs: reports,
  };
  await writeFile(args.out ?? 'bench-report.json', `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`\nreport written to ${args.out}\n`);
  if (!allValid) {
    process.stdout.write('INVALID: at least one run did not store exactly the expected papers (see above)\n');
    return 1;
  }
  return 0;
}

// Exit explicitly: a run that failed half-way may leave a reconnecting client behind, and a benchmark
// must not hang CI after it has written its report.
const memoryChild = args['memory-child'];
process.exit(
  memoryChild
    ? await runMemory(positive('memory-child', memoryChild, 1)).then((r) => {
        process.stdout.write(`${JSON.stringify(r)}\n`);
        return 0;
      })
    : await main(),
);
