// A real fetcher for integration tests: a Runtime on the run's Redis and FerretDB (own database and queue
// prefix per file), the fetch worker, and helpers to register feeds, enqueue fetches, wait for them and read
// what they stored. Waits poll with a deadline; nothing sleeps a fixed time.
// The reference brings in the global setup's `ProvidedContext` typing, which test/support/services.ts relies on.
/// <reference path="../../../../test/setup/global-setup.ts" />
import type { Feed, FeedKind } from '@paperwire/core';
import type { ArchivedPayload } from '@paperwire/db';
import { type JobPayload, jobId } from '@paperwire/jobs';
import { createLogger } from '@paperwire/platform';
import {
  createRuntime,
  type FeedRegistry,
  feedRegistry,
  feedSchedulerId,
  type Runtime,
} from '@paperwire/runtime';
import type { Job, JobState, Worker } from 'bullmq';
import { type Db, MongoClient } from 'mongodb';
import { testMongoUri, testRedisUrl, uniquePrefix } from '../../../../test/support/services.ts';
import { type FetcherConfig, type FetchFeedResult, fetcherEnvSchema, startFetcher } from '../../src/index.ts';

export interface HarnessOptions {
  /** Database URI; a fresh `testMongoUri(name)` when omitted. Pass one to share a database. */
  mongoUri?: string;
  /** BullMQ prefix; a fresh `uniquePrefix(name)` when omitted. Pass one to share queues. */
  prefix?: string;
  /** Fetcher settings as environment strings, over the test defaults (all budgets 0, loopback allowed). */
  env?: Record<string, string>;
  /** Logger level; files whose tests fail feeds on purpose pass 'fatal' so expected failures stay quiet. */
  logLevel?: string;
  /** The fetch job's clock; tests of a feed's cadence move it forward themselves. */
  now?: () => Date;
}

export interface FetcherHarness {
  rt: Runtime;
  config: FetcherConfig;
  worker: Worker;
  registry: FeedRegistry;
  /** The same database through the driver, for counting what the repositories do not expose. */
  mongo: Db;
  /** Registers a feed with no scheduled first fetch (see addFeed below). */
  addFeed(spec: { url: string; kind: FeedKind; intervalMinutes?: number }): Promise<Feed>;
  /**
   * Enqueues a fetch-feed job and returns its id. `attempts: 1` (the default) makes one failure final, so a
   * failing feed's health counts exactly one failure per call; pass `attempts` to keep the catalogue's retries.
   */
  enqueueFetch(
    feedId: string,
    options?: { reason?: JobPayload<'fetch-feed'>['reason']; attempts?: number },
  ): Promise<string>;
  /** Waits until the job is in one of `states` (default completed or failed) and returns it. */
  waitForJob(id: string, states?: JobState[], timeoutMs?: number): Promise<Job>;
  /** Enqueues and waits; returns the handler's result, or throws with the failure reason. */
  fetchOnce(feedId: string, reason?: JobPayload<'fetch-feed'>['reason']): Promise<FetchFeedResult>;
  feed(feedId: string): Promise<Feed>;
  observationCount(feedId: string): Promise<number>;
  payloadsOf(feedId: string): Promise<ArchivedPayload[]>;
  /** Resolve jobs the fetch enqueued for this feed (no resolver runs here, so they stay queued). */
  resolveJobsOf(feedId: string): Promise<Job[]>;
  /** Drops the database and the queues' keys, then shuts the runtime down. */
  close(options?: { dropData?: boolean }): Promise<void>;
}

/**
 * Every budget 0, bursts 1 and no default pause (a 503 without Retry-After pauses nothing), loopback allowed:
 * tests that measure politeness set their own budget or pause. hf-daily feeds re-poll no previous days, so
 * each fetch is one request; test/hf-days.int.test.ts turns it on.
 */
const TEST_ENV: Record<string, string> = {
  HF_REPOLL_DAYS: '0',
  PAPERWIRE_ALLOW_PRIVATE_NETWORKS: 'true',
  PAPERWIRE_CONTACT: 'mailto:tests@paperwire.invalid',
  BUDGET_ARXIV_MS: '0',
  BUDGET_HUGGINGFACE_MS: '0',
  BUDGET_HACKERNEWS_MS: '0',
  BUDGET_REDDIT_MS: '0',
  BUDGET_WEB_HOST_MS: '0',
  BURST_ARXIV: '1',
  BURST_HUGGINGFACE: '1',
  BURST_HACKERNEWS: '1',
  BURST_REDDIT: '1',
  BURST_WEB_HOST: '1',
  PAUSE_DEFAULT_MS: '0',
};

export async function startHarness(name: string, options: HarnessOptions = {}): Promise<FetcherHarness> {
  const config = fetcherEnvSchema.parse({
    ...TEST_ENV,
    ...options.env,
    MONGODB_URI: options.mongoUri ?? testMongoUri(name),
    REDIS_URL: testRedisUrl(),
    PAPERWIRE_QUEUE_PREFIX: options.prefix ?? uniquePrefix(name),
  });
  const log = createLogger({ service: 'test', level: options.logLevel ?? 'warn' });
  const rt = await createRuntime(config, log);
  const mongoClient = new MongoClient(rt.mongoUri, { serverSelectionTimeoutMS: 10_000 });
  const mongo = mongoClient.db();
  // As the CLI does: file:// feeds under PAPERWIRE_FILE_FEEDS_ROOT (off when a test sets none).
  const registry = feedRegistry(rt.db, rt.queues, {
    fileFeeds: { root: config.PAPERWIRE_FILE_FEEDS_ROOT },
  });
  const worker = startFetcher(rt, config, options.now ? { now: options.now } : {});
  const fetchQueue = rt.queues.byName.fetch;
  let enqueued = 0;

  async function waitForJob(id: string, states: JobState[] = ['completed', 'failed'], timeoutMs = 20_000) {
    let state: JobState | 'unknown' = 'unknown';
    await waitUntil(
      async () => {
        state = await fetchQueue.getJobState(id);
        return (states as string[]).includes(state);
      },
      timeoutMs,
      () => `job ${id} to reach ${states.join('/')} (last state ${state})`,
    );
    const job = await fetchQueue.getJob(id);
    if (!job) throw new Error(`harness: job ${id} vanished`);
    return job as Job;
  }

  const harness: FetcherHarness = {
    rt,
    config,
    worker,
    registry,
    mongo,
    async addFeed(spec) {
      // registry.add upserts the feed's `every` scheduler, and BullMQ produces its first job at once. Tests
      // drive every fetch themselves, so that job and the scheduler are removed again while the queue is paused.
      await fetchQueue.pause();
      try {
        const feed = await registry.add({ intervalMinutes: 15, ...spec }, new Date());
        await fetchQueue.removeJobScheduler(feedSchedulerId(feed._id));
        const queued = await fetchQueue.getJobs(['wait', 'delayed', 'prioritized']);
        for (const job of queued) if (job.data?.feedId === feed._id) await job.remove();
        return feed;
      } finally {
        await fetchQueue.resume();
      }
    },
    async enqueueFetch(feedId, { reason = 'manual', attempts = 1 } = {}) {
      enqueued += 1;
      return rt.queues.enqueue(
        'fetch-feed',
        { feedId, reason },
        { jobId: jobId('fetch', feedId, 'test', Date.now(), enqueued), attempts },
      );
    },
    waitForJob,
    async fetchOnce(feedId, reason = 'manual') {
      const job = await waitForJob(await harness.enqueueFetch(feedId, { reason }));
      if (job.failedReason) throw new Error(`harness: fetch of ${feedId} failed: ${job.failedReason}`);
      return job.returnvalue as FetchFeedResult;
    },
    async feed(feedId) {
      const feed = await rt.db.feeds.get(feedId);
      if (!feed) throw new Error(`harness: no feed ${feedId}`);
      return feed;
    },
    observationCount: (feedId) =>
      mongo.collection('observations').countDocuments({ 'provenance.feedId': feedId }),
    async payloadsOf(feedId) {
      // Through the repository: bodies are stored gzipped.
      const ids = await rt.db.payloads.listForFeed(feedId, 1_000);
      const payloads = await Promise.all(ids.map(({ _id }) => rt.db.payloads.get(_id)));
      return payloads.filter((p): p is ArchivedPayload => p !== undefined);
    },
    async resolveJobsOf(feedId) {
      const jobs = await rt.queues.byName.resolve.getJobs(['wait', 'delayed', 'prioritized', 'active']);
      return jobs.filter((j) => j.data?.feedId === feedId);
    },
    async close({ dropData = true } = {}) {
      try {
        await worker.close();
        if (dropData) {
          await mongo.dropDatabase();
          for (const queue of Object.values(rt.queues.byName)) await queue.obliterate({ force: true });
          const leftover = await rt.redis.keys(`${rt.prefix}:*`); // budgets, locks, anything the queues left
          if (leftover.length > 0) await rt.redis.del(...leftover);
        }
      } finally {
        await mongoClient.close();
        await rt.shutdown.run('test');
      }
    },
  };
  return harness;
}

/** Polls `check` every 20 ms until it is true; fails after `timeoutMs` naming what it waited for. */
export async function waitUntil(
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
  what: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline)
      throw new Error(`harness: timed out after ${timeoutMs} ms waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
