// The global setup's servers reach test files through these helpers.

import { Redis } from 'ioredis';
import { MongoClient } from 'mongodb';
import { afterAll, describe, expect, it } from 'vitest';
import { testMongoUri, testRedisUrl, uniquePrefix } from './services.ts';

const mongoUri = testMongoUri('support-services');
const redisUrl = testRedisUrl();
const prefix = uniquePrefix('support-services');

describe('test services', () => {
  const mongo = new MongoClient(mongoUri, { serverSelectionTimeoutMS: 10_000 });
  const redis = new Redis(redisUrl, { lazyConnect: true });
  redis.on('error', () => {}); // failures surface through the awaited commands

  afterAll(async () => {
    await mongo.db().dropDatabase();
    await mongo.close();
    await redis.del(`${prefix}:probe`);
    redis.disconnect();
  });

  it('gives each file its own database on the shared MongoDB', async () => {
    expect(mongo.options.dbName).toMatch(/^pw_support_services_[0-9a-f]{8}$/);
    await mongo
      .db()
      .collection('probe')
      .insertOne({ _id: 'x' as never, n: 1 });
    expect(
      await mongo
        .db()
        .collection('probe')
        .findOne({ _id: 'x' as never }),
    ).toEqual({ _id: 'x', n: 1 });
  });

  it('points at a Redis that never evicts', async () => {
    await redis.connect();
    expect(await redis.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
    await redis.set(`${prefix}:probe`, '1');
    expect(await redis.get(`${prefix}:probe`)).toBe('1');
  });
});
