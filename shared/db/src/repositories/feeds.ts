// Feed registry and per-feed fetch state. Each feed document is written by one fetch job at a time
// (deterministic job id per feed), so plain `$set`s on it do not race.
import type { Feed, FeedCadence, FeedErrorClass, FeedHealth, FeedState } from '@paperwire/core';
import { toBsonDates, toIsoDates } from '../bson-dates.ts';
import type { Models } from '../models.ts';
import { declareQuery } from '../queries.ts';

export interface FetchSuccess {
  state: FeedState;
  entryCount?: number;
  skippedCount?: number;
  title?: string;
  /** New-entry cadence and quietness after this fetch (nextCadence in @paperwire/core). */
  cadence?: FeedCadence;
}

export function feedsRepository(models: Models) {
  const { Feed: FeedModel } = models;
  return {
    async get(id: string): Promise<Feed | undefined> {
      return toIsoDates((await FeedModel.findById(id).lean()) as Feed | null) ?? undefined;
    },

    async findByUrl(url: string): Promise<Feed | undefined> {
      return toIsoDates((await FeedModel.findOne({ url }).lean()) as Feed | null) ?? undefined;
    },

    async list(): Promise<Feed[]> {
      return toIsoDates((await FeedModel.find({}).sort({ _id: 1 }).lean()) as unknown as Feed[]);
    },

    /** Inserts the feed unless one with the same id exists; returns whether it was inserted. */
    async insertIfAbsent(feed: Feed): Promise<boolean> {
      const res = await FeedModel.updateOne(
        { _id: feed._id },
        { $setOnInsert: toBsonDates(feed) },
        { upsert: true },
      );
      return res.upsertedCount === 1;
    },

    async setEnabled(id: string, enabled: boolean): Promise<boolean> {
      const res = await FeedModel.updateOne({ _id: id }, { $set: { enabled } });
      return res.matchedCount === 1;
    },

    async setInterval(id: string, intervalMinutes: number): Promise<boolean> {
      const res = await FeedModel.updateOne({ _id: id }, { $set: { intervalMinutes } });
      return res.matchedCount === 1;
    },

    async remove(id: string): Promise<boolean> {
      const res = await FeedModel.deleteOne({ _id: id });
      return res.deletedCount === 1;
    },

    /** Called only after the payload's entries are stored (validators advance after the write). */
    async recordSuccess(id: string, success: FetchSuccess): Promise<void> {
      const health: FeedHealth = {
        status: success.entryCount === 0 ? 'empty' : 'ok',
        consecutiveFailures: 0,
        ...(success.entryCount === undefined ? {} : { lastEntryCount: success.entryCount }),
        ...(success.skippedCount === undefined ? {} : { lastSkippedCount: success.skippedCount }),
        ...success.cadence,
      };
      const set: Record<string, unknown> = { state: success.state };
      if (success.entryCount !== undefined) set.health = health;
      else {
        // 304 / unchanged body: health counts stay as they were, failures reset.
        set['health.consecutiveFailures'] = 0;
        set['health.status'] = 'ok';
        for (const [key, value] of Object.entries(success.cadence ?? {})) set[`health.${key}`] = value;
      }
      if (success.title) set.title = success.title;
      await FeedModel.updateOne({ _id: id }, { $set: toBsonDates(set) });
    },

    async recordFailure(
      id: string,
      failure: { errorClass: FeedErrorClass; message: string; at: string; nextCheckAt: string },
    ): Promise<void> {
      const feed = await FeedModel.findById(id).lean();
      const previous = ((feed as Feed | null)?.health?.consecutiveFailures ?? 0) as number;
      await FeedModel.updateOne(
        { _id: id },
        toBsonDates({
          $set: {
            'health.status': 'failing',
            'health.consecutiveFailures': previous + 1,
            'health.lastError': { errorClass: failure.errorClass, message: failure.message, at: failure.at },
            'state.lastFetchAt': failure.at,
            'state.nextCheckAt': failure.nextCheckAt,
          },
        }),
      );
    },
  };
}
export type FeedsRepository = ReturnType<typeof feedsRepository>;

// The queries above besides `_id` reads, and the index each relies on (checked by queries.test.ts).
declareQuery({ name: 'feeds.findByUrl(url)', collection: 'feeds', equality: ['url'], index: 'feeds_url' });
declareQuery({ name: 'feeds.list()', collection: 'feeds', sort: { _id: 1 }, index: '_id' });
