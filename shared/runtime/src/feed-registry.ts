// Adding, pausing, resuming, changing or removing a feed updates its BullMQ job scheduler at once (one
// scheduler per feed, id `feed.<feedId>`; upsert is idempotent, so concurrent processes agree).
// file:// feeds are added and resumed only through a registry made with `fileFeeds` (the CLI), and only
// under its root (file-feeds.ts); a registry without it (the HTTP API) refuses them.
import { type Feed, feedIdFor, PipelineError } from '@paperwire/core';
import type { Database } from '@paperwire/db';
import { JOBS, jobId, type Queues } from '@paperwire/jobs';
import type { Logger } from '@paperwire/platform';
import { sourceOfKind } from '@paperwire/sources';
import type { FeedSpec } from './default-feeds.ts';
import { checkFileFeed, FILE_FEEDS_ROOT_SETTING, isFileUrl } from './file-feeds.ts';

export const feedSchedulerId = (feedId: string) => `feed.${feedId}`;
/** The periodic re-score (decay moves ranks with no new signals). */
export const RESCORE_SCHEDULER_ID = 'rescore.periodic';

export class FeedRegistryError extends PipelineError {
  constructor(message: string, code: 'feed-exists' | 'feed-unknown' | 'feed-invalid') {
    super(message, { code, retryable: false });
  }
}

export interface FeedRegistryOptions {
  /**
   * Where file:// feeds may be added and resumed: under `root` (PAPERWIRE_FILE_FEEDS_ROOT; undefined: file
   * feeds are off). Only the CLI passes this; without it every file: URL is refused.
   */
  fileFeeds?: { root: string | undefined };
}

/** The refusal a registry without `fileFeeds` (the HTTP API) gives a file: URL. */
export const FILE_FEEDS_NOT_HERE = `feeds: file: URLs are not accepted here: a local file feed is an operator's tool, added with \`paperwire feeds add\` on the server, under ${FILE_FEEDS_ROOT_SETTING} (see docs/security.md)`;

export function feedRegistry(db: Database, queues: Queues, options: FeedRegistryOptions = {}) {
  const fetchQueue = queues.byName.fetch;

  /** Throws unless `url` (a file: URL) may be read as a feed by this registry's caller. */
  async function assertFileFeedAllowed(url: string): Promise<void> {
    if (!options.fileFeeds) throw new FeedRegistryError(FILE_FEEDS_NOT_HERE, 'feed-invalid');
    const check = await checkFileFeed(url, options.fileFeeds.root);
    if (!check.ok) throw new FeedRegistryError(`feeds: ${check.message}`, 'feed-invalid');
  }

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
      if (isFileUrl(spec.url)) await assertFileFeedAllowed(spec.url);
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
      const before = await mustGet(id);
      if (enabled && isFileUrl(before.url)) await assertFileFeedAllowed(before.url);
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
    /**
     * Queues a fetch now of each feed the caller has just listed (`paperwire run --once`): no read of each
     * feed again first, as `fetchNow` makes to refuse an unknown id (a feed removed in between is reported
     * by its fetch job as `missing`).
     */
    async fetchListed(
      feeds: readonly Pick<Feed, '_id'>[],
      reason: 'manual' | 'run-once',
      now: Date,
    ): Promise<void> {
      for (const feed of feeds) {
        await queues.enqueue(
          'fetch-feed',
          { feedId: feed._id, reason },
          { jobId: jobId('fetch', feed._id, reason, now.getTime()) },
        );
      }
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
    /**
     * At start: every enabled file feed that may not be read (file feeds off, or its path outside the root
     * once symlinks are resolved) is paused, its health records why, and a warning is logged. Returns what
     * was disabled.
     */
    async disableForbiddenFileFeeds(now: Date, log: Logger): Promise<{ id: string; reason: string }[]> {
      const disabled: { id: string; reason: string }[] = [];
      for (const feed of await db.feeds.list()) {
        if (!feed.enabled || !isFileUrl(feed.url)) continue;
        const check = await checkFileFeed(feed.url, options.fileFeeds?.root);
        if (check.ok) continue;
        const reason = `feeds: disabled at start: ${check.message}`;
        await db.feeds.setEnabled(feed._id, false);
        await db.feeds.recordFailure(feed._id, {
          errorClass: 'blocked',
          message: reason,
          at: now.toISOString(),
          nextCheckAt: now.toISOString(),
        });
        await fetchQueue.removeJobScheduler(feedSchedulerId(feed._id));
        log.warn({ feedId: feed._id, reason }, 'feeds: file feed disabled');
        disabled.push({ id: feed._id, reason });
      }
      return disabled;
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
