// The fetcher as a component: given a runtime, start its worker; the returned handle closes it.

import { createWorker } from '@paperwire/jobs';
import { PAPERWIRE_VERSION } from '@paperwire/platform';
import type { Runtime } from '@paperwire/runtime';
import type { Worker } from 'bullmq';
import type { FetcherConfig } from './config.ts';
import { createHttpClient } from './http/index.ts';
import { backfillPageHandler } from './jobs/backfill-page.job.ts';
import { fetchFeedHandler } from './jobs/fetch-feed.job.ts';
import { createPoliteness } from './politeness.ts';

export interface FetcherOptions {
  /** The fetch job's clock (tests drive a feed's cadence through it). */
  now?: () => Date;
}

export function startFetcher(rt: Runtime, config: FetcherConfig, options: FetcherOptions = {}): Worker {
  const http = createHttpClient({
    userAgent: `Paperwire/${PAPERWIRE_VERSION} (+${config.PAPERWIRE_CONTACT})`,
    allowPrivateNetworks: config.PAPERWIRE_ALLOW_PRIVATE_NETWORKS,
    maxBodyBytes: config.FETCH_MAX_BODY_BYTES,
    totalTimeoutMs: config.FETCH_TOTAL_TIMEOUT_MS,
  });
  const politeness = createPoliteness(rt.redis, rt.prefix, config);
  const now = options.now ?? (() => new Date());
  const worker = createWorker(
    'fetch',
    {
      'fetch-feed': fetchFeedHandler({
        db: rt.db,
        queues: rt.queues,
        http,
        politeness,
        pauseDefaultMs: config.PAUSE_DEFAULT_MS,
        locks: rt.locks,
        maxBodyBytes: config.FETCH_MAX_BODY_BYTES,
        fileFeedsRoot: config.PAPERWIRE_FILE_FEEDS_ROOT,
        lockTtlMs: 2 * config.FETCH_TOTAL_TIMEOUT_MS + 60_000,
        now,
        random: Math.random,
        hfRepoll: { days: config.HF_REPOLL_DAYS, stableAfter: config.HF_REPOLL_STABLE_POLLS },
      }),
      'backfill-page': backfillPageHandler({ db: rt.db, queues: rt.queues, http, politeness, now }),
    },
    { connection: rt.workerRedis, prefix: rt.prefix, log: rt.log, concurrency: config.FETCH_CONCURRENCY },
  );
  rt.shutdown.add({ name: 'fetch worker', phase: 'workers', run: () => worker.close() });
  rt.shutdown.add({ name: 'http client', phase: 'connections', run: () => http.close() });
  return worker;
}
