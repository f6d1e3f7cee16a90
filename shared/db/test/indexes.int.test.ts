// Every secondary index the repositories rely on (declared with a comment in models.ts) exists in the
// real database after connect, with the key it was declared with.
import { createLogger } from '@paperwire/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMongoUri } from '../../../test/support/services.ts';
import { connectDatabase, type Database } from '../src/index.ts';

const log = createLogger({ service: 'test', level: 'warn' });
const uri = testMongoUri('indexes');
let db: Database;

beforeAll(async () => {
  db = await connectDatabase(uri, log);
});
afterAll(async () => {
  await db?.close();
});

describe('indexes', () => {
  it('declares the indexes the queries need', () => {
    const expected = db.expectedIndexes();
    expect(expected).toMatchObject({
      feeds: ['feeds_url'],
      payloads: ['payloads_feed_fetchedAt'],
      aliases: ['aliases_paperId'],
      papers: ['papers_firstSeenAt', 'papers_category_firstSeenAt'],
    });
  });

  it('every declared index exists in the database', async () => {
    const existing = await db.existingIndexes();
    for (const [collection, names] of Object.entries(db.expectedIndexes())) {
      for (const name of names) {
        expect(existing[collection], `${collection}.${name}`).toContain(name);
      }
    }
  });

  it('reconnecting does not duplicate or drop indexes', async () => {
    const again = await connectDatabase(uri, log);
    try {
      const existing = await again.existingIndexes();
      expect(existing.papers?.filter((n) => n === 'papers_firstSeenAt')).toHaveLength(1);
    } finally {
      await again.close();
    }
  });
});
