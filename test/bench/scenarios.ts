// The benchmark's scenarios beside ingestion:
//   idReadCost     what one `_id` read costs FerretDB against a collection of a given size (the reason most
//                  figures depend on the database's size: see docs/performance.md);
//   apiLoad        the read API in a process of its own (`paperwire start --only api`, as in production) under
//                  a fixed request rate from a third (load.ts, open loop);
//   rescoreAtScale a database seeded with N papers of which A are active, then the scorer's jobs: the
//                  first of a process (loads the active set), a periodic one (reads only what changed), and
//                  one after 1% of the active papers were marked dirty.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { applyObservation, type Observation, type Paper } from '@paperwire/core';
import type { Runtime } from '@paperwire/runtime';
import { type ScorerConfig, startScorer } from '@paperwire/scorer';
import type { Db } from 'mongodb';
import { Cleanup, exited, LogSink, sleep, spawnCli } from '../resilience/support.ts';
import type { LoadResult } from './load.ts';
import {
  type CpuSnapshot,
  cpuDelta,
  cpuSnapshot,
  type JobTimer,
  machineBusyCpuSeconds,
  procCpuSeconds,
  type ServerPids,
  waitIdle,
} from './measure.ts';

const run = promisify(execFile);

/**
 * FerretDB CPU per `_id` read of an absent id, and that per 1,000 stored documents: unpatched FerretDB v1.24
 * scans the table (the figure per document stays flat), the patched launcher uses the _id index (it falls).
 */
export async function idReadCost(
  db: Db,
  pids: ServerPids,
  collection: string,
): Promise<{ documents: number; cpuMsPerRead: number; cpuUsPerReadPerThousandDocs: number }> {
  const coll = db.collection<{ _id: string }>(collection);
  const documents = await coll.estimatedDocumentCount();
  const reads = 20;
  const before = await cpuSnapshot(pids);
  for (let i = 0; i < reads; i++) await coll.findOne({ _id: `bench-absent-${i}` });
  const d = cpuDelta(before, await cpuSnapshot(pids));
  const cpuMsPerRead = ((d.ferretdb ?? Number.NaN) * 1000) / reads;
  return {
    documents,
    cpuMsPerRead,
    cpuUsPerReadPerThousandDocs: (cpuMsPerRead * 1e6) / Math.max(1, documents),
  };
}

export interface ApiLoadFigures {
  route: string;
  rate: number;
  seconds: number;
  result: LoadResult;
  /**
   * CPU of the API process (its own, see withApiProcess), the database, Redis and the load generator during
   * the load, ms per request.
   */
  cpuMsPerRequest: { api: number; ferretdb?: number; redis?: number; loadGenerator: number };
  /**
   * Cores the rest of the machine kept busy meanwhile (`/proc/stat`'s busy time less this process, the API,
   * the servers and the generator): other users' work competes for the same two cores, and a latency taken
   * while it ran is not the API's alone.
   */
  otherCores?: number;
}

/** What `paperwire start` writes to stderr once the API listens (at any LOG_LEVEL). */
const API_LISTENING = /Paperwire API on (http:\/\/\S+)/;

/**
 * Runs `body` with the read API in a child process of its own, as production runs it: `paperwire start
 * --only api` with `env` (the database, Redis and queue prefix to use, and the API's settings), on a port
 * it picks (PORT=0, read from its "Paperwire API on <url>" line), once it answers `GET /ready`. Stops it with
 * SIGTERM afterwards and waits for it to exit; it is killed on any failure, and if this process exits.
 */
export async function withApiProcess<T>(
  env: Record<string, string>,
  body: (api: { url: string; pid: number }) => Promise<T>,
): Promise<T> {
  const sink = new LogSink();
  const cleanup = new Cleanup(); // SIGKILLs the child unless it has exited already
  try {
    const proc = await spawnCli(
      'api',
      ['start', '--only', 'api'],
      { ...env, PORT: '0', HOST: '127.0.0.1' },
      sink,
      cleanup,
      API_LISTENING,
      120_000,
    );
    const url = API_LISTENING.exec(proc.output())![1]!;
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (exited(proc.child))
        throw new Error(
          `bench: the API process exited (${proc.child.exitCode}):\n${proc.output().slice(-3000)}`,
        );
      const status = await fetch(`${url}/ready`).then(
        async (r) => {
          await r.arrayBuffer();
          return r.status;
        },
        (err: Error) => err.message,
      );
      if (status === 200) break;
      if (Date.now() > deadline) throw new Error(`bench: the API at ${url} is not ready; last: ${status}`);
      await sleep(100);
    }
    const result = await body({ url, pid: proc.child.pid! });
    // The CLI's signal handler runs the shutdown steps and exits with 128 + 15.
    const code = await proc.stop('SIGTERM');
    if (code !== 143 && code !== 0)
      process.stderr.write(
        `bench: the API process did not exit cleanly on SIGTERM (${code}):\n${proc.output().slice(-3000)}\n`,
      );
    return result;
  } finally {
    await cleanup.run();
  }
}

/**
 * Runs load.ts in a second process against `url` + each route; the API must already listen there, in the
 * process `apiPid` (whose CPU is read from /proc).
 */
export async function apiLoad(
  url: string,
  routes: { name: string; paths: string[] }[],
  rate: number,
  seconds: number,
  pids: ServerPids,
  apiPid: number,
): Promise<ApiLoadFigures[]> {
  const out: ApiLoadFigures[] = [];
  const script = join(import.meta.dirname, 'load.ts');
  const apiCpu = async () => {
    const s = await procCpuSeconds(apiPid);
    if (s === undefined) throw new Error(`bench: cannot read the CPU of the API process ${apiPid}`);
    return s;
  };
  for (const route of routes) {
    const machineBefore = await machineBusyCpuSeconds();
    const before = await cpuSnapshot(pids);
    const apiBefore = await apiCpu();
    const t0 = performance.now();
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', script, JSON.stringify({ url, paths: route.paths, rate, seconds })],
      { maxBuffer: 1 << 20, timeout: (seconds + 60) * 1000 },
    );
    const apiSeconds = (await apiCpu()) - apiBefore;
    const d = cpuDelta(before, await cpuSnapshot(pids));
    const machineAfter = await machineBusyCpuSeconds();
    const wall = (performance.now() - t0) / 1000;
    const result = JSON.parse(stdout.trim().split('\n').pop()!) as LoadResult;
    const per = (x: number | undefined) =>
      x === undefined ? undefined : (x * 1000) / Math.max(1, result.requests);
    const ours = apiSeconds + d.node + (d.ferretdb ?? 0) + (d.redis ?? 0) + result.cpuSeconds;
    out.push({
      route: route.name,
      rate,
      seconds,
      result,
      cpuMsPerRequest: {
        api: per(apiSeconds)!,
        ...(d.ferretdb !== undefined ? { ferretdb: per(d.ferretdb) } : {}),
        ...(d.redis !== undefined ? { redis: per(d.redis) } : {}),
        loadGenerator: per(result.cpuSeconds)!,
      },
      ...(machineBefore !== undefined && machineAfter !== undefined
        ? { otherCores: Math.max(0, machineAfter - machineBefore - ours) / wall }
        : {}),
    });
  }
  return out;
}

export interface RescoreJobFigures {
  seconds: number;
  /** Papers the job read from the database. */
  read: number;
  active: number;
  cpu: CpuSnapshot;
}

export interface RescoreFigures {
  papers: number;
  active: number;
  seedSeconds: number;
  seedCpu: CpuSnapshot;
  /** The first job of a scorer process: loads every active paper. */
  first: RescoreJobFigures;
  /** A periodic re-score with nothing changed: decay only, no reads. */
  periodic: RescoreJobFigures;
  /** A periodic re-score after 1% of the active papers were marked changed. */
  periodicAfterChanges: RescoreJobFigures & { changed: number };
}

/** Deterministic pseudo-random numbers (xorshift), so a seed and size always give the same papers. */
function rng(seed: number) {
  let x = seed || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

const CATEGORIES = ['cs.LG', 'cs.CL', 'cs.CV', 'cs.AI', 'stat.ML', 'math.OC', 'q-bio.NC', 'physics.comp-ph'];

/**
 * Seeds `papers` papers (insertMany, 1,000 a batch) shaped like `template`, the first `active` of them
 * active in the last week (`pw:active`), then times the scorer's jobs. The runtime's database must be empty.
 */
export async function rescoreAtScale(opts: {
  rt: Runtime;
  db: Db;
  pids: ServerPids;
  template: Observation;
  papers: number;
  active: number;
  timer: JobTimer;
  config: ScorerConfig;
  timeoutMs: number;
  progress?: (line: string) => void;
}): Promise<RescoreFigures> {
  const { rt, db, pids, template, papers, timer } = opts;
  const active = Math.min(opts.active, papers);
  const now = Date.now();
  const random = rng(papers * 31 + active);
  const base = applyObservation(undefined, 'arxiv:0000.00000', template);
  const paperAt = (i: number): Paper => {
    const id = `arxiv:${String(2000 + (i % 7000)).padStart(4, '0')}.${String(i).padStart(7, '0')}`;
    const isActive = i < active;
    const seen = new Date(now - (isActive ? random() * 7 : 40 + random() * 900) * 86_400_000).toISOString();
    const category = CATEGORIES[i % CATEGORIES.length]!;
    return {
      ...base,
      _id: id,
      title: `${base.title} (${i})`,
      primaryCategory: category,
      categories: [category],
      firstSeenAt: seen,
      ids: { ...base.ids, arxiv: id.slice('arxiv:'.length) },
      sightings: base.sightings.map((s) => ({
        ...s,
        firstSeenAt: seen,
        lastSeenAt: seen,
        signals: { upvotes: Math.floor(random() * 200), comments: Math.floor(random() * 30) },
      })),
    } as Paper;
  };

  const seedBefore = await cpuSnapshot(pids);
  const t0 = performance.now();
  const coll = db.collection<Paper>('papers');
  const BATCH = 1_000;
  for (let i = 0; i < papers; i += BATCH) {
    const docs = Array.from({ length: Math.min(BATCH, papers - i) }, (_, j) => paperAt(i + j));
    await coll.insertMany(docs, { ordered: false });
    if (opts.progress && (i / BATCH) % 100 === 99) opts.progress(`  [rescore] seeded ${i + BATCH} papers\n`);
  }
  // Activity marks go in as the resolver would leave them: one ZADD per paper, spread over the last week.
  const activeKey = `${rt.prefix}:pw:active`;
  for (let i = 0; i < active; i += 1_000) {
    const args: (string | number)[] = [];
    for (let j = i; j < Math.min(active, i + 1_000); j++) {
      args.push(now - Math.floor(random() * 7 * 86_400_000), paperAt(j)._id);
    }
    await rt.redis.zadd(activeKey, ...args);
  }
  const seedSeconds = (performance.now() - t0) / 1000;
  const seedCpu = cpuDelta(seedBefore, await cpuSnapshot(pids));

  const worker = startScorer(rt, opts.config);
  timer.watch('score', worker);
  const job = async (): Promise<RescoreJobFigures> => {
    await waitIdle(rt.queues, opts.timeoutMs, ['score']);
    timer.reset();
    const before = await cpuSnapshot(pids);
    const s0 = performance.now();
    const id = await rt.queues.enqueue('score-rankings', { reason: 'periodic' });
    await waitIdle(rt.queues, opts.timeoutMs, ['score']);
    const result = (await rt.queues.byName.score.getJob(id))?.returnvalue as { read: number; active: number };
    return {
      seconds: (performance.now() - s0) / 1000,
      read: result.read,
      active: result.active,
      cpu: cpuDelta(before, await cpuSnapshot(pids)),
    };
  };
  try {
    const first = await job();
    const periodic = await job();
    const changed = Math.max(1, Math.floor(active / 100));
    const ids = Array.from({ length: changed }, (_, k) => paperAt(Math.floor((k * active) / changed))._id);
    // Marked active (as a resolver would), not dirty: the periodic job finds them by their activity mark.
    await rt.redis.zadd(activeKey, ...ids.flatMap((id) => [Date.now(), id]));
    const after = await job();
    return {
      papers,
      active,
      seedSeconds,
      seedCpu,
      first,
      periodic,
      periodicAfterChanges: { ...after, changed },
    };
  } finally {
    await worker.close();
  }
}
