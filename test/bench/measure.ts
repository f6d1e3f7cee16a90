// What the benchmark measures besides wall time: CPU of our process and of the embedded servers, this
// process's memory, Redis memory, database size, job durations and latencies, database commands, and when
// the queues have gone quiet.
import { readFile } from 'node:fs/promises';
import type { QueueName } from '@paperwire/jobs';
import type { Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Db, MongoClient } from 'mongodb';
import { readRecord } from '../../infra/local/src/record.ts';

/** Linux's USER_HZ: /proc/<pid>/stat counts CPU time in these ticks (100 on every mainstream kernel). */
const CLK_TCK = 100;

/** utime + stime of a process, seconds; undefined when it cannot be read (not Linux, or gone). */
export async function procCpuSeconds(pid: number): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start with field 3, `state`.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) / CLK_TCK : undefined;
  } catch {
    return undefined;
  }
}

export interface ServerPids {
  redis?: number;
  ferretdb?: number;
}

/** The embedded servers' pids, as local-infra recorded them in the data dir. */
export async function serverPids(dataDir: string): Promise<ServerPids> {
  const record = await readRecord(dataDir);
  return {
    ...(record?.redis ? { redis: record.redis.pid } : {}),
    ...(record?.mongo ? { ferretdb: record.mongo.pid } : {}),
  };
}

export interface CpuSnapshot {
  /** Our process (user + system), seconds. */
  node: number;
  redis: number | undefined;
  ferretdb: number | undefined;
}

export async function cpuSnapshot(pids: ServerPids): Promise<CpuSnapshot> {
  const own = process.cpuUsage();
  return {
    node: (own.user + own.system) / 1e6,
    redis: pids.redis ? await procCpuSeconds(pids.redis) : undefined,
    ferretdb: pids.ferretdb ? await procCpuSeconds(pids.ferretdb) : undefined,
  };
}

export function cpuDelta(a: CpuSnapshot, b: CpuSnapshot): CpuSnapshot {
  const d = (x: number | undefined, y: number | undefined) =>
    x === undefined || y === undefined ? undefined : y - x;
  return { node: b.node - a.node, redis: d(a.redis, b.redis), ferretdb: d(a.ferretdb, b.ferretdb) };
}

/** CPU of several phases together (a server's is undefined when any phase lacks it). */
export function cpuSum(xs: readonly CpuSnapshot[]): CpuSnapshot {
  const sum = (k: 'redis' | 'ferretdb') =>
    xs.some((x) => x[k] === undefined) ? undefined : xs.reduce((n, x) => n + x[k]!, 0);
  return { node: xs.reduce((n, x) => n + x.node, 0), redis: sum('redis'), ferretdb: sum('ferretdb') };
}

export interface MemoryFigures {
  rssBeforeBytes: number;
  peakRssBytes: number;
  /** Peak RSS while sampling minus RSS at the start. */
  rssGrowthBytes: number;
  heapUsedBeforeBytes: number;
  peakHeapUsedBytes: number;
}

/** Samples this process's RSS and V8 heap used every `everyMs` until `stop()`. */
export function memorySampler(everyMs = 100) {
  const start = process.memoryUsage();
  let peakRss = start.rss;
  let peakHeap = start.heapUsed;
  const sample = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const timer = setInterval(sample, everyMs).unref();
  return {
    stop(): MemoryFigures {
      clearInterval(timer);
      sample();
      return {
        rssBeforeBytes: start.rss,
        peakRssBytes: peakRss,
        rssGrowthBytes: peakRss - start.rss,
        heapUsedBeforeBytes: start.heapUsed,
        peakHeapUsedBytes: peakHeap,
      };
    },
  };
}

/**
 * CPU seconds the whole machine spent busy (user, nice, system, irq, softirq of every core; steal, the time a
 * hypervisor gave elsewhere, is not ours) from `/proc/stat`; undefined when it cannot be read (not Linux).
 */
export async function machineBusyCpuSeconds(): Promise<number | undefined> {
  try {
    const line = (await readFile('/proc/stat', 'utf8')).split('\n', 1)[0]!;
    const [user, nice, system, , , irq, softirq] = line.trim().split(/\s+/).slice(1).map(Number);
    const busy = [user, nice, system, irq, softirq].reduce((s: number, v) => s + (v ?? Number.NaN), 0);
    return Number.isFinite(busy) ? busy / CLK_TCK : undefined;
  } catch {
    return undefined;
  }
}

/** Resident set size of a process, bytes (VmRSS); undefined when it cannot be read. */
export async function procRssBytes(pid: number): Promise<number | undefined> {
  try {
    const m = /^VmRSS:\s+(\d+) kB$/m.exec(await readFile(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Peak RSS of the embedded servers, sampled every `everyMs` until `stop()` (one read at a time). */
export function serverRssSampler(pids: ServerPids, everyMs = 1_000) {
  const peak: { redis?: number; ferretdb?: number } = {};
  let timer: NodeJS.Timeout | undefined;
  const sample = async () => {
    for (const k of ['redis', 'ferretdb'] as const) {
      const pid = pids[k];
      const rss = pid ? await procRssBytes(pid) : undefined;
      if (rss !== undefined) peak[k] = Math.max(peak[k] ?? 0, rss);
    }
  };
  const tick = () => {
    timer = setTimeout(() => void sample().finally(() => timer && tick()), everyMs).unref();
  };
  tick();
  return {
    async stop(): Promise<{ redis?: number; ferretdb?: number }> {
      clearTimeout(timer);
      timer = undefined;
      await sample();
      return { ...peak };
    },
  };
}

/** Database commands by `commandName`. */
export type CommandCounts = Record<string, number>;

/**
 * Database commands by `commandName` and collection (`"find papers"`): how many, and their summed round-trip
 * time as the driver saw it (on the embedded FerretDB, mostly the server's own work).
 */
export type CommandTimes = Record<string, { n: number; ms: number }>;

export function timesDelta(a: CommandTimes, b: CommandTimes): CommandTimes {
  return Object.fromEntries(
    Object.entries(b)
      .map(([k, t]) => [k, { n: t.n - (a[k]?.n ?? 0), ms: t.ms - (a[k]?.ms ?? 0) }] as const)
      .filter(([, t]) => t.n > 0),
  );
}

/**
 * Counts the commands `client` starts, by name, from the driver's command monitoring: the client must have
 * been made with `monitorCommands` (the driver reads it only then, e.g. from the URI's `?monitorCommands=true`).
 */
export function commandCounter(client: MongoClient) {
  const counts: CommandCounts = {};
  const times: CommandTimes = {};
  const pending = new Map<number, string>();
  client.on('commandStarted', (e) => {
    counts[e.commandName] = (counts[e.commandName] ?? 0) + 1;
    const coll = e.command[e.commandName];
    pending.set(e.requestId, typeof coll === 'string' ? `${e.commandName} ${coll}` : e.commandName);
  });
  const done = (e: { requestId: number; duration: number }) => {
    const target = pending.get(e.requestId);
    if (target === undefined) return;
    pending.delete(e.requestId);
    const t = times[target] ?? { n: 0, ms: 0 };
    times[target] = { n: t.n + 1, ms: t.ms + e.duration };
  };
  client.on('commandSucceeded', done);
  client.on('commandFailed', done);
  return {
    read: (): CommandCounts => ({ ...counts }),
    readTimes: (): CommandTimes => structuredClone(times),
  };
}
export type CommandCounter = ReturnType<typeof commandCounter>;

export function countsDelta(a: CommandCounts, b: CommandCounts): CommandCounts {
  return Object.fromEntries(
    Object.entries(b)
      .map(([k, n]) => [k, n - (a[k] ?? 0)] as const)
      .filter(([, n]) => n > 0),
  );
}

export function countsSum(xs: readonly CommandCounts[]): CommandCounts {
  const out: CommandCounts = {};
  for (const x of xs) for (const [k, n] of Object.entries(x)) out[k] = (out[k] ?? 0) + n;
  return out;
}

export const COMMAND_KINDS = ['find', 'insert', 'update', 'delete', 'other'] as const;
export type CommandKind = (typeof COMMAND_KINDS)[number];
const KIND_OF: Record<string, CommandKind> = {
  find: 'find',
  getMore: 'find',
  insert: 'insert',
  update: 'update',
  findAndModify: 'update',
  delete: 'delete',
};

/** Commands by kind: find (+ getMore), insert, update (+ findAndModify), delete, other (aggregate, count, …). */
export function commandsByKind(counts: CommandCounts): Record<CommandKind, number> {
  const out = Object.fromEntries(COMMAND_KINDS.map((k) => [k, 0])) as Record<CommandKind, number>;
  for (const [name, n] of Object.entries(counts)) out[KIND_OF[name] ?? 'other'] += n;
  return out;
}

export async function redisUsedMemory(redis: Redis): Promise<number | undefined> {
  const info = await redis.info('memory');
  const m = /^used_memory:(\d+)/m.exec(info);
  return m ? Number(m[1]) : undefined;
}

export interface DbSize {
  objects: number;
  dataSize: number;
  storageSize: number;
  indexSize: number;
  totalSize: number;
  /** `collStats` of each collection: documents and data size (bytes), largest first. */
  byCollection: Record<string, { count: number; size: number }>;
}

const numberIn = (o: Record<string, unknown>, k: string) => (typeof o[k] === 'number' ? (o[k] as number) : 0);

/** `dbStats` (FerretDB answers it too; totalSize falls back to storage + indexes where it is absent). */
export async function dbSize(db: Db): Promise<DbSize> {
  const s = (await db.command({ dbStats: 1 })) as Record<string, unknown>;
  const n = (k: string) => numberIn(s, k);
  const sizes: [string, { count: number; size: number }][] = [];
  for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) {
    const c = (await db.command({ collStats: name })) as Record<string, unknown>;
    sizes.push([name, { count: numberIn(c, 'count'), size: numberIn(c, 'size') }]);
  }
  return {
    objects: n('objects'),
    dataSize: n('dataSize'),
    storageSize: n('storageSize'),
    indexSize: n('indexSize'),
    totalSize: n('totalSize') || n('storageSize') + n('indexSize'),
    byCollection: Object.fromEntries(sizes.sort((a, b) => b[1].size - a[1].size)),
  };
}

export interface Percentiles {
  p50: number;
  p99: number;
}

/** Nearest-rank p50 and p99 (NaN when there are no values). */
export function percentiles(xs: readonly number[]): Percentiles {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => (s.length === 0 ? Number.NaN : s[Math.max(0, Math.ceil(q * s.length) - 1)]!);
  return { p50: at(0.5), p99: at(0.99) };
}

export interface JobFigures {
  jobs: number;
  failed: number;
  /** Summed processing time (`processedOn` → `finishedOn`), ms; jobs of one queue run concurrently. */
  ms: number;
  /** Created (`timestamp`) → `finishedOn`, ms. */
  latencyMs: Percentiles;
  /** Queue wait: created → `processedOn` (the last attempt's start; includes a job's delay), ms. */
  waitMs: Percentiles;
}

/**
 * Each queue's completed jobs between `reset()`s, from the BullMQ timestamps on the job a worker's
 * 'completed' event carries (read in this process, so the queues' removeOnComplete does not matter).
 */
export function jobTimer() {
  const totals = new Map<
    string,
    { jobs: number; failed: number; ms: number; latency: number[]; wait: number[] }
  >();
  /**
   * Sums of the numeric fields of each queue's job results (a resolve job's created/merged/… counts) since
   * the timer was made: progress, not a phase figure, so reset() keeps them.
   */
  const results = new Map<string, Record<string, number>>();
  const bucket = (queue: string) => {
    let b = totals.get(queue);
    if (!b) {
      b = { jobs: 0, failed: 0, ms: 0, latency: [], wait: [] };
      totals.set(queue, b);
    }
    return b;
  };
  const addResult = (queue: string, value: unknown) => {
    if (typeof value !== 'object' || value === null) return;
    const sums = results.get(queue) ?? {};
    for (const [k, v] of Object.entries(value)) if (typeof v === 'number') sums[k] = (sums[k] ?? 0) + v;
    results.set(queue, sums);
  };
  return {
    watch(queue: QueueName, worker: Worker): void {
      worker.on('completed', (job: Job) => {
        const b = bucket(queue);
        b.jobs++;
        if (job.processedOn && job.finishedOn) b.ms += job.finishedOn - job.processedOn;
        if (job.finishedOn) b.latency.push(job.finishedOn - job.timestamp);
        if (job.processedOn) b.wait.push(job.processedOn - job.timestamp);
        addResult(queue, job.returnvalue);
      });
      worker.on('failed', () => {
        bucket(queue).failed++;
      });
    },
    get(queue: QueueName): JobFigures {
      const { latency, wait, ...sums } = bucket(queue);
      return { ...sums, latencyMs: percentiles(latency), waitMs: percentiles(wait) };
    },
    /** Summed numeric result fields of the queue's completed jobs since the timer was made. */
    results(queue: QueueName): Readonly<Record<string, number>> {
      return results.get(queue) ?? {};
    },
    reset(): void {
      totals.clear();
    },
  };
}
export type JobTimer = ReturnType<typeof jobTimer>;

// The pipeline's queues and `waitIdle` moved to test/support/pipeline.ts (the trending eval waits on them too).
export { PIPELINE_QUEUES, type PipelineQueue, waitIdle } from '../support/pipeline.ts';

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length === 0 ? Number.NaN : s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
