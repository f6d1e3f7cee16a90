// Adding, pausing, resuming, changing or removing a feed updates its BullMQ job scheduler at once (one
// scheduler per feed, id `feed.<feedId>`; upsert is idempotent, so concurrent processes agree).
import { type Feed, feedIdFor, PipelineError } from '@paperwire/core';
import type { Database } from '@paperwire/db';
import { JOBS, jobId, type Queues } from '@paperwire/jobs';
import { sourceOfKind } from '@paperwire/sources';
import type { FeedSpec } from './default-feeds.ts';

export const feedSchedulerId = (feedId: string) => `feed.${feedId}`;
/** The periodic re-score (decay moves ranks with no new signals). */
export const RESCORE_SCHEDULER_ID = 'rescore.periodic';

export class FeedRegistryError extends PipelineError {
  constructor(message: string, code: 'feed-exists' | 'feed-unknown' | 'feed-invalid') {
    super(message, { code, retryable: false });
  }
}

export function feedRegistry(db: Database, queues: Queues) {
  const fetchQueue = queues.byName.fetch;

  async function syncSchedule(feed: Feed): Promise<void> {
    if (!feed.enabled) {
      await fetchQueue.removeJobScheduler(feedSchedulerId(feed._id));
      return;
    }
    const { removeOnComplete, removeOnFail, attempts, backoff } = JOBS['fetch-feed'].options;
    await fetchQueue.upsertJobScheduler(
      feedSchedulerId(feed._id),
      { every: feed.intervalMinutes * 60_000 },
      {
        name: 'fetch-feed',
        data: { feedId: feed._id, reason: 'schedule' },
        opts: { removeOnComplete, removeOnFail, attempts, backoff },
      },
    );
  }

  async function mustGet(id: string): Promise<Feed> {
    const feed = await db.feeds.get(id);
    if (!feed)
      throw new FeedRegistryError(
        `feeds: no feed with id "${id}" (see \`paperwire feeds list\`)`,
        'feed-unknown',
      );
    return feed;
  }

  return {
    syncSchedule,
    async add(spec: FeedSpec, now: Date): Promise<Feed> {
      validateUrl(spec.url);
      const existing = await db.feeds.findByUrl(spec.url);
      if (existing)
        throw new FeedRegistryError(
          `feeds: ${spec.url} is already registered as "${existing._id}"`,
          'feed-exists',
        );
      const feed: Feed = {
        _id: feedIdFor(spec.kind, spec.url),
        url: spec.url,
        kind: spec.kind,
        source: sourceOfKind(spec.kind),
        intervalMinutes: spec.intervalMinutes,
        enabled: true,
        createdAt: now.toISOString(),
        state: {},
        health: { status: 'new', consecutiveFailures: 0 },
      };
      await db.feeds.insertIfAbsent(feed);
      await syncSchedule(feed);
      return feed;
    },
    async setEnabled(id: string, enabled: boolean): Promise<Feed> {
      await mustGet(id);
      await db.feeds.setEnabled(id, enabled);
      const feed = await mustGet(id);
      await syncSchedule(feed);
      return feed;
    },
    async setInterval(id: string, intervalMinutes: number): Promise<Feed> {
      await mustGet(id);
      await db.feeds.setInterval(id, intervalMinutes);
      const feed = await mustGet(id);
      await syncSchedule(feed);
      return feed;
    },
    async remove(id: string): Promise<void> {
      await mustGet(id);
      await fetchQueue.removeJobScheduler(feedSchedulerId(id));
      await db.feeds.remove(id);
    },
    /** Queues a fetch now (deduplicated per feed while one is waiting). */
    async fetchNow(id: string, reason: 'manual' | 'run-once', now: Date): Promise<string> {
      await mustGet(id);
      return queues.enqueue(
        'fetch-feed',
        { feedId: id, reason },
        { jobId: jobId('fetch', id, reason, now.getTime()) },
      );
    },
    /** Seeds `specs` once per database; later starts (and removed defaults) are left alone. */
    async seedOnce(specs: FeedSpec[], now: Date): Promise<number> {
      if (!(await db.meta.claim('default-feeds-seeded', now.toISOString()))) return 0;
      let added = 0;
      for (const spec of specs) {
        if (await db.feeds.findByUrl(spec.url)) continue;
        await this.add(spec, now);
        added++;
      }
      return added;
    },
    /** Makes the schedulers match the registry: one per enabled feed, none for others. */
    async reconcile(): Promise<{ upserted: number; removed: number }> {
      const feeds = await db.feeds.list();
      const wanted = new Set(feeds.filter((f) => f.enabled).map((f) => feedSchedulerId(f._id)));
      for (const feed of feeds) await syncSchedule(feed);
      let removed = 0;
      for (const s of await fetchQueue.getJobSchedulers(0, -1)) {
        const id = s.key;
        if (id.startsWith('feed.') && !wanted.has(id)) {
          await fetchQueue.removeJobScheduler(id);
          removed++;
        }
      }
      return { upserted: wanted.size, removed };
    },
    async upsertRescoreSchedule(everyMinutes: number): Promise<void> {
      const { removeOnComplete, removeOnFail } = JOBS['score-rankings'].options;
      await queues.byName.score.upsertJobScheduler(
        RESCORE_SCHEDULER_ID,
        { every: everyMinutes * 60_000 },
        { name: 'score-rankings', data: { reason: 'periodic' }, opts: { removeOnComplete, removeOnFail } },
      );
    },
  };
}
export type FeedRegistry = ReturnType<typeof feedRegistry>;

function validateUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new FeedRegistryError(`feeds: "${url}" is not a URL`, 'feed-invalid');
  }
  if (!['http:', 'https:', 'file:'].includes(parsed.protocol)) {
    throw new FeedRegistryError(
      `feeds: ${parsed.protocol} URLs are not supported (use http, https or file)`,
      'feed-invalid',
    );
  }
  if (parsed.username || parsed.password) {
    throw new FeedRegistryError('feeds: URLs with credentials are not accepted', 'feed-invalid');
  }
}
