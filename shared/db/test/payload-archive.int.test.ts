// The payload archive on the real database: bodies are stored gzipped and read back as they were; documents
// archived before compression (body as text) still read; a body that does not fit in a document even
// compressed is refused whole, with its size and none of its bytes in the message.
import { randomBytes } from 'node:crypto';
import { createLogger } from '@paperwire/platform';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMongoUri } from '../../../test/support/services.ts';
import {
  type ArchivedPayload,
  ArchiveTooLargeError,
  connectDatabase,
  type Database,
  MAX_ARCHIVED_BYTES,
} from '../src/index.ts';

const log = createLogger({ service: 'test', level: 'warn' });
const uri = testMongoUri('payload-archive');
let db: Database;
let mongo: MongoClient;

beforeAll(async () => {
  db = await connectDatabase(uri, log);
  mongo = await new MongoClient(uri).connect();
});
afterAll(async () => {
  await mongo?.db().dropDatabase();
  await mongo?.close();
  await db?.close();
});

const raw = () => mongo.db().collection<Record<string, unknown> & { _id: string }>('payloads');

function payload(id: string, body: string): ArchivedPayload {
  return {
    _id: id,
    feedId: 'archive-feed',
    url: 'https://example.org/feed.xml',
    status: 200,
    headers: { 'content-type': 'application/rss+xml' },
    fetchedAt: new Date().toISOString(),
    bytes: Buffer.byteLength(body),
    body,
  };
}

describe('payload archive', () => {
  it('stores the body gzipped and reads it back unchanged', async () => {
    const body = `<?xml version="1.0"?><rss><channel>${'<item><title>é ✓ paper</title></item>'.repeat(5_000)}</channel></rss>`;
    const archived = payload('archive:gz', body);
    await db.payloads.archive(archived);
    const stored = await raw().findOne({ _id: 'archive:gz' });
    expect(stored?.body).toBeUndefined();
    const gz = stored?.bodyGzip as { length(): number } | undefined;
    expect(gz?.length()).toBeLessThan(Buffer.byteLength(body) / 10);
    const read = await db.payloads.get('archive:gz');
    expect(read?.body === body).toBe(true); // not toEqual: a mismatch would print 200 kB
    expect({ ...read, body: '' }).toEqual({ ...archived, body: '' });
  });

  it('reads a document archived before compression', async () => {
    const old = payload('archive:old', '<rss><channel><title>old</title></channel></rss>');
    await raw().insertOne({ ...old });
    expect(await db.payloads.get('archive:old')).toEqual(old);
  });

  it('refuses a body still over the limit once compressed, storing nothing', async () => {
    // Random bytes as base64 do not compress below ~75%: 21 MiB of them stay over 15 MiB.
    const body = randomBytes(16 * 1024 * 1024).toString('base64');
    const err = await db.payloads.archive(payload('archive:huge', body)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArchiveTooLargeError);
    expect((err as ArchiveTooLargeError).compressedBytes).toBeGreaterThan(MAX_ARCHIVED_BYTES);
    expect((err as Error).message).not.toContain(body.slice(0, 16));
    expect(await raw().countDocuments({ _id: 'archive:huge' })).toBe(0);
  });
});
