// The naive baseline the issue compares against: what a first version of an ingester usually looks like.
// Same feeds, same HTTP server, same parser; then one BullMQ job per entry and, per job, one
// `findOneAndUpdate` upsert returning a hydrated mongoose document, keyed by the entry's strongest identity
// key (no alias documents, no near-duplicate matching, no merge policy). A separate model, collection and
// queue prefix on the run's servers, so it shares the machine's state with the Paperwire figures.
import type { FeedKind, Observation } from '@paperwire/core';
import { parseAndNormalise } from '@paperwire/ingest';
import type { Logger } from '@paperwire/platform';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import mongoose from 'mongoose';

export interface NaiveFeed {
  id: string;
  url: string;
  kind: FeedKind;
  source: Observation['provenance']['source'];
}

export interface NaiveResult {
  entries: number;
  seconds: number;
  entriesPerSecond: number;
  papers: number;
}

const naiveSchema = new mongoose.Schema(
  {
    _id: String,
    title: String,
    authors: [String],
    ids: mongoose.Schema.Types.Mixed,
    feeds: [String],
    signals: mongoose.Schema.Types.Mixed,
    seenAt: String,
  },
  { versionKey: false },
);

export async function runNaive(opts: {
  mongoUri: string;
  redisUrl: string;
  prefix: string;
  feeds: NaiveFeed[];
  concurrency: number;
  log: Logger;
  timeoutMs: number;
}): Promise<NaiveResult> {
  const conn = await mongoose.createConnection(opts.mongoUri, { autoIndex: false }).asPromise();
  const Naive = conn.model('NaivePaper', naiveSchema, 'naivepapers');
  const producer = new Redis(opts.redisUrl, { maxRetriesPerRequest: 1 });
  const consumer = new Redis(opts.redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue<Observation>('naive', { connection: producer, prefix: opts.prefix });
  let done = 0;
  let failed = 0;
  let total = 0;
  let allQueued = false;
  let finish: () => void = () => {};
  const finished = new Promise<void>((r) => {
    finish = r;
  });
  const check = () => {
    if (allQueued && done + failed >= total) finish();
  };
  const worker = new Worker<Observation>(
    'naive',
    async (job) => {
      const o = job.data;
      // Hydrated on purpose: the baseline is the mongoose default, not a tuned path.
      await Naive.findOneAndUpdate(
        { _id: o.identityKeys[0] ?? o._id },
        {
          $set: { title: o.title, authors: o.authors.map((a) => a.name), ids: o.ids, signals: o.signals },
          $setOnInsert: { seenAt: o.provenance.fetchedAt },
          $addToSet: { feeds: o.provenance.feedId },
        },
        { upsert: true, returnDocument: 'after' },
      );
    },
    { connection: consumer, prefix: opts.prefix, concurrency: opts.concurrency },
  );
  queue.on('error', (err) => opts.log.warn({ err }, 'naive: queue error'));
  worker.on('error', (err) => opts.log.warn({ err }, 'naive: worker error'));
  worker.on('completed', () => {
    done++;
    check();
  });
  worker.on('failed', (job, err) => {
    // Only a job's last attempt counts as failed; earlier ones are retried.
    if (job && job.attemptsMade < (job.opts.attempts ?? 1)) return;
    failed++;
    opts.log.warn({ err }, 'naive: job failed');
    check();
  });

  const started = performance.now();
  try {
    for (const feed of opts.feeds) {
      const res = await fetch(feed.url);
      const body = await res.text();
      const fetchedAt = new Date().toISOString();
      const headers = Object.fromEntries(res.headers);
      const { observations } = await parseAndNormalise(
        { _id: feed.id, kind: feed.kind, source: feed.source },
        [{ url: feed.url, status: res.status, headers, body, bytes: body.length }],
        fetchedAt,
        opts.log,
      );
      for (const o of observations) {
        total++;
        // Retried like any BullMQ job: concurrent upserts of one new _id can fail with E11000.
        await queue.add('entry', o, {
          attempts: 5,
          backoff: { type: 'fixed', delay: 50 },
          removeOnComplete: true,
          removeOnFail: 1000,
        });
      }
    }
    allQueued = true;
    check();
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error('bench: naive baseline timed out')), opts.timeoutMs).unref(),
    );
    await Promise.race([finished, timeout]);
    const seconds = (performance.now() - started) / 1000;
    if (failed > 0) throw new Error(`bench: ${failed} naive jobs failed`);
    return {
      entries: total,
      seconds,
      entriesPerSecond: total / seconds,
      papers: await Naive.countDocuments(),
    };
  } finally {
    await worker.close();
    await queue.obliterate({ force: true }).catch(() => {});
    await queue.close();
    producer.disconnect();
    consumer.disconnect();
    await conn.close();
  }
}
