// The raw payload archive: each body stored once, keyed by its content hash.
import type { Models } from '../models.ts';

export interface ArchivedPayload {
  _id: string;
  feedId: string;
  url: string;
  status: number;
  headers: Record<string, string>;
  fetchedAt: string;
  bytes: number;
  body: string;
}

export function payloadsRepository(models: Models) {
  const { Payload } = models;
  return {
    /** Insert-if-absent: archiving the same body twice writes nothing. */
    async archive(payload: ArchivedPayload): Promise<void> {
      await Payload.updateOne({ _id: payload._id }, { $setOnInsert: payload }, { upsert: true });
    },
    async get(id: string): Promise<ArchivedPayload | undefined> {
      return ((await Payload.findById(id).lean()) as ArchivedPayload | null) ?? undefined;
    },
    /** Ids of a feed's archived payloads, newest first. */
    async listForFeed(feedId: string, limit = 100): Promise<{ _id: string; fetchedAt: string }[]> {
      return (await Payload.find({ feedId }, { _id: 1, fetchedAt: 1 })
        .sort({ fetchedAt: -1 })
        .limit(limit)
        .lean()) as { _id: string; fetchedAt: string }[];
    },
  };
}
export type PayloadsRepository = ReturnType<typeof payloadsRepository>;
