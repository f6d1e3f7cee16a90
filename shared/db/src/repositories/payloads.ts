// The raw payload archive: each body stored once, keyed by its content hash, gzipped into its document.
// MongoDB refuses documents over 16 MiB: a body still over MAX_ARCHIVED_BYTES once compressed is refused
// (ArchiveTooLargeError), never half-written. Documents written before compression hold the body as a
// string in `body`; `get` reads both.
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { PipelineError } from '@paperwire/core';
import { toBsonDates, toIsoDates } from '../bson-dates.ts';
import type { Models } from '../models.ts';
import { declareQuery } from '../queries.ts';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** The most a compressed body may take in its document (the rest of the document stays far below 1 MiB). */
export const MAX_ARCHIVED_BYTES = 15 * 1024 * 1024;

export interface ArchivedPayload {
  _id: string;
  feedId: string;
  url: string;
  status: number;
  headers: Record<string, string>;
  fetchedAt: string;
  /** The body's size as received. */
  bytes: number;
  body: string;
}

/** The stored document: the body gzipped (`bodyGzip`), or, in documents from before that, as `body`. */
type StoredPayload = Omit<ArchivedPayload, 'body'> & {
  body?: string;
  bodyGzip?: Buffer | { buffer: Buffer };
};

/** A body that does not fit in a document even compressed. Says how big, never what. */
export class ArchiveTooLargeError extends PipelineError {
  readonly compressedBytes: number;

  constructor(compressedBytes: number) {
    super(
      `db: payload archive: the body is ${compressedBytes} bytes gzipped, over the ${MAX_ARCHIVED_BYTES} a document may hold`,
      { code: 'archive-too-large', retryable: false },
    );
    this.compressedBytes = compressedBytes;
  }
}

async function bodyOf(doc: StoredPayload): Promise<string> {
  if (doc.bodyGzip === undefined) return doc.body ?? '';
  const bytes = Buffer.isBuffer(doc.bodyGzip) ? doc.bodyGzip : Buffer.from(doc.bodyGzip.buffer);
  return (await gunzipAsync(bytes)).toString('utf8');
}

export function payloadsRepository(models: Models) {
  const { Payload } = models;
  return {
    /** Insert-if-absent: archiving the same body twice writes nothing. Throws ArchiveTooLargeError. */
    async archive(payload: ArchivedPayload): Promise<void> {
      const { body, ...rest } = payload;
      const bodyGzip = await gzipAsync(Buffer.from(body, 'utf8'));
      if (bodyGzip.length > MAX_ARCHIVED_BYTES) throw new ArchiveTooLargeError(bodyGzip.length);
      await Payload.updateOne(
        { _id: payload._id },
        { $setOnInsert: { ...toBsonDates(rest), bodyGzip } },
        { upsert: true },
      );
    },
    async get(id: string): Promise<ArchivedPayload | undefined> {
      const doc = (await Payload.findById(id).lean()) as StoredPayload | null;
      if (!doc) return undefined;
      const { bodyGzip: _gz, ...rest } = doc;
      return { ...toIsoDates(rest), body: await bodyOf(doc) };
    },
    /** Ids of a feed's archived payloads, newest first. */
    async listForFeed(feedId: string, limit = 100): Promise<{ _id: string; fetchedAt: string }[]> {
      return toIsoDates(
        (await Payload.find({ feedId }, { _id: 1, fetchedAt: 1 })
          .sort({ fetchedAt: -1 })
          .limit(limit)
          .lean()) as unknown as { _id: string; fetchedAt: string }[],
      );
    },
  };
}
export type PayloadsRepository = ReturnType<typeof payloadsRepository>;

// The queries above besides `_id` reads, and the index each relies on (checked by queries.test.ts).
declareQuery({
  name: 'payloads.listForFeed(feedId)',
  collection: 'payloads',
  equality: ['feedId'],
  sort: { fetchedAt: -1 },
  index: 'payloads_feed_fetchedAt',
});
