// Where the data goes: the URI's database when it names one, else the configured name (MONGODB_DB,
// default `paperwire`), never the driver's `test`.
import { createLogger } from '@paperwire/platform';
import { MongoClient } from 'mongodb';
import { afterAll, expect, inject, it } from 'vitest';
import { uniqueName, withDatabase } from '../../../test/support/services.ts';
import { connectDatabase } from '../src/index.ts';

const log = createLogger({ service: 'test', level: 'warn' });
const inUri = uniqueName('dbname-uri', '_', 'pw');
const named = withDatabase(inject('mongoUri'), inUri);
const bare = named.replace(`/${inUri}`, '');
const configured = uniqueName('dbname-cfg', '_', 'pw');
const client = new MongoClient(named);

afterAll(async () => {
  await client.db(configured).dropDatabase();
  await client.db(inUri).dropDatabase();
  await client.close();
});

it('a URI without a database uses the configured name', async () => {
  const db = await connectDatabase(bare, log, { dbName: configured });
  try {
    expect(db.name).toBe(configured);
    await db.meta.claim('dbname-test', new Date().toISOString());
  } finally {
    await db.close();
  }
  expect(
    await client
      .db(configured)
      .collection('meta')
      .countDocuments({ _id: 'dbname-test' as never }),
  ).toBe(1);
});

it("the URI's database wins over the configured name", async () => {
  const db = await connectDatabase(named, log, { dbName: configured });
  try {
    expect(db.name).toBe(inUri);
  } finally {
    await db.close();
  }
});
