// The pipeline in this process on fresh servers, as `paperwire run --once` runs it: a temp data dir (so its
// own embedded Redis and FerretDB), its own queue prefix, a loopback feed server, and a fetcher, resolver and
// scorer started on demand; everything shut down and the data dir removed afterwards, on failure too.
// Shared by the benchmark (test/bench/run.ts) and the trending evaluation (test/eval/trending/); each one
// serves and registers its own feeds and adds its own measurements.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFetcher } from '@paperwire/fetcher';
import type { QueueName, Queues } from '@paperwire/jobs';
import { type EmbeddedServices, serversForConfig, startEmbeddedServices } from '@paperwire/local-infra';
import type { Logger } from '@paperwire/platform';
import { startResolver } from '@paperwire/resolver';
import { createRuntime, feedRegistry, type Runtime } from '@paperwire/runtime';
import { startScorer } from '@paperwire/scorer';
import type { Worker } from 'bullmq';
import { loadCliConfig } from '../../services/cli/src/config.ts';
import { type FeedServer, type FeedServerOptions, startFeedServer } from './feed-server.ts';

/** The queues whose workers `startWorkers` runs (others, such as an event relay, have no consumer here). */
export const PIPELINE_QUEUES = ['fetch', 'resolve', 'score'] as const satisfies readonly QueueName[];
export type PipelineQueue = (typeof PIPELINE_QUEUES)[number];

/**
 * The CLI's config on `dataDir` (its embedded servers; MONGODB_URI, REDIS_URL and METRICS_PORT from the
 * environment are dropped) for a loopback feed server: private networks allowed, no default feeds, no
 * politeness gaps and no HF re-polls of previous days. Other settings come from the environment.
 */
export function pipelineConfig(dataDir: string, prefix: string, mongoUri?: string) {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const k of ['MONGODB_URI', 'REDIS_URL', 'METRICS_PORT']) delete env[k];
  return loadCliConfig({
    ...env,
    ...(mongoUri ? { MONGODB_URI: mongoUri } : {}),
    PAPERWIRE_DATA_DIR: dataDir,
    PAPERWIRE_QUEUE_PREFIX: prefix,
    PAPERWIRE_ALLOW_PRIVATE_NETWORKS: 'true',
    PAPERWIRE_SEED_DEFAULT_FEEDS: 'false',
    // No politeness gaps on a loopback server, and no HF re-polls of previous days.
    BUDGET_ARXIV_MS: '0',
    BUDGET_HUGGINGFACE_MS: '0',
    BUDGET_HACKERNEWS_MS: '0',
    BUDGET_REDDIT_MS: '0',
    BUDGET_WEB_HOST_MS: '0',
    HF_REPOLL_DAYS: '0',
    LOG_LEVEL: env.LOG_LEVEL ?? 'warn',
  });
}
export type PipelineConfig = ReturnType<typeof pipelineConfig>;

export interface PipelineOptions {
  /** `bench`, `eval`…: names the temp dir (`paperwire-<tag>-…`) and starts the queue prefix. */
  tag: string;
  /** This pipeline among the tag's (spaces become `-` in the queue prefix). */
  name: string;
  log: Logger;
  feedServer?: FeedServerOptions;
  /**
   * Hand the runtime the data dir's FerretDB URI with `monitorCommands=true` (the driver turns command
   * monitoring on only when a client is made), for a caller that counts the runtime's database commands.
   */
  monitorCommands?: boolean;
}

export interface Pipeline {
  rt: Runtime;
  config: PipelineConfig;
  prefix: string;
  dataDir: string;
  /** The loopback feed server, empty: the caller serves its feeds on it. */
  server: FeedServer;
  /** Starts a fetcher, resolver and scorer in this process, in `PIPELINE_QUEUES` order. */
  startWorkers(): Worker[];
}

/** Runs `body` on a fresh pipeline (see the top of this file) and shuts it all down afterwards. */
export async function withPipeline<T>(opts: PipelineOptions, body: (p: Pipeline) => Promise<T>): Promise<T> {
  const { tag, name, log } = opts;
  const dataDir = await mkdtemp(join(tmpdir(), `paperwire-${tag}-`));
  const prefix = `${tag}-${name.replaceAll(' ', '-')}-${randomBytes(4).toString('hex')}`;
  let servers: EmbeddedServices | undefined;
  let rt: Runtime | undefined;
  let server: FeedServer | undefined;
  let failed = false;
  const workers: Worker[] = [];
  try {
    // Our own lease on the servers, for their URI; the runtime starts Redis's.
    let mongoUri: string | undefined;
    if (opts.monitorCommands) {
      servers = await startEmbeddedServices({
        dataDir,
        log: (msg) => log.info({ component: 'local-infra' }, msg),
      });
      const url = new URL(servers.mongoUri);
      url.searchParams.set('monitorCommands', 'true');
      mongoUri = url.toString();
    }
    const config = pipelineConfig(dataDir, prefix, mongoUri);
    rt = await createRuntime(config, log, {
      shutdownTimeoutMs: 60_000,
      servers: await serversForConfig(config, log),
    });
    server = await startFeedServer(opts.feedServer);
    const r = rt;
    const startWorkers = () => {
      const started = [startFetcher(r, config), startResolver(r, config), startScorer(r, config)];
      workers.push(...started);
      return started;
    };
    return await body({ rt, config, prefix, dataDir, server, startWorkers });
  } catch (err) {
    failed = true;
    throw err;
  } finally {
    // A failed run may leave a job running (waiting on a lock, say): close the workers without waiting for
    // it, so the shutdown below does not time out and leave them talking to servers that are gone.
    if (failed) await Promise.allSettled(workers.map((w) => w.close(true)));
    await server?.close();
    await rt?.shutdown.run(`${tag} ${name} finished`);
    await servers?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Asks for one fetch of each feed now, as `paperwire run --once` does with the feeds it listed. */
export async function fetchAll(rt: Runtime, feedIds: readonly string[]): Promise<void> {
  await feedRegistry(rt.db, rt.queues).fetchListed(
    feedIds.map((_id) => ({ _id })),
    'run-once',
    new Date(),
  );
}

/** Queues a manual re-score (every board of every window published) and waits until every queue is idle. */
export async function rescoreNow(queues: Queues, timeoutMs: number): Promise<void> {
  await queues.enqueue('score-rankings', { reason: 'manual' });
  await waitIdle(queues, timeoutMs);
}

const POLL_MS = 25;

async function pending(queues: Queues, names: readonly QueueName[]): Promise<number> {
  let n = 0;
  for (const name of names) {
    const q = queues.byName[name];
    const c = await q.getJobCounts('waiting', 'active', 'prioritized', 'waiting-children', 'delayed');
    n += (c.waiting ?? 0) + (c.active ?? 0) + (c.prioritized ?? 0) + (c['waiting-children'] ?? 0);
    // Job schedulers keep one delayed job each forever; those do not count (as in `paperwire run --once`).
    if ((c.delayed ?? 0) > 0) {
      const delayed = await q.getDelayed(0, 1_000);
      n += delayed.filter((j) => !String(j.id).startsWith('repeat:')).length;
    }
  }
  return n;
}

/**
 * Resolves when the named queues have had nothing waiting, active or delayed on two polls in a row
 * (`drain()` of the CLI, polled faster so small corpora are not dominated by the poll interval).
 */
export async function waitIdle(
  queues: Queues,
  timeoutMs: number,
  names: readonly QueueName[] = PIPELINE_QUEUES,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let quiet = 0;
  let left = 0;
  while (quiet < 2) {
    if (Date.now() > deadline) {
      throw new Error(
        `pipeline: ${names.join(', ')} did not drain within ${timeoutMs / 1000}s (${left} jobs left)`,
      );
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
    left = await pending(queues, names);
    quiet = left === 0 ? quiet + 1 : 0;
  }
}
