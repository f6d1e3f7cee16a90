// Every secondary index the repositories rely on (declared with a comment in models.ts) exists in the
// real database after connect, with the key it was declared with.
import { createLogger } from '@paperwire/platform';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMongoUri } from '../../../test/support/services.ts';
import { connectDatabase, type Database } from '../src/index.ts';
import { RETIRED_INDEXES } from '../src/models.ts';

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

  it('connecting drops the retired indexes, and only those', async () => {
    const conn = await MongoClient.connect(uri);
    try {
      for (const [collection, names] of Object.entries(RETIRED_INDEXES)) {
        for (const name of names)
          await conn.db().collection(collection).createIndex({ retired: 1 }, { name });
      }
      const before = await db.existingIndexes();
      expect(before.aliases).toContain('aliases_paperId');
      const again = await connectDatabase(uri, log);
      try {
        const after = await again.existingIndexes();
        for (const [collection, names] of Object.entries(RETIRED_INDEXES)) {
          for (const name of names)
            expect(after[collection] ?? [], `${collection}.${name}`).not.toContain(name);
        }
        expect(after.papers).toEqual(before.papers);
      } finally {
        await again.close();
      }
    } finally {
      await conn.close();
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

  it('a read-only connection (CLI read commands) reads without creating or dropping indexes', async () => {
    const freshUri = testMongoUri('indexes-readonly');
    const reader = await connectDatabase(freshUri, log, { readOnly: true });
    try {
      expect(await reader.papers.getStored('2401.00001')).toBeUndefined();
      const existing = await reader.existingIndexes();
      for (const names of Object.values(existing)) expect(names.filter((n) => n !== '_id_')).toEqual([]);
    } finally {
      await reader.close();
    }
  });
});
