import { describe, expect, it } from 'vitest';
import { uniqueName, uniquePrefix, withDatabase } from './services.ts';

describe('withDatabase', () => {
  it.each([
    ['mongodb://127.0.0.1:27017/', 'mongodb://127.0.0.1:27017/db1'],
    ['mongodb://127.0.0.1:27017', 'mongodb://127.0.0.1:27017/db1'],
    ['mongodb://127.0.0.1:27017/other', 'mongodb://127.0.0.1:27017/db1'],
    ['mongodb://u:p@a:1,b:2/other?replicaSet=rs0', 'mongodb://u:p@a:1,b:2/db1?replicaSet=rs0'],
    ['mongodb://a:1?directConnection=true', 'mongodb://a:1/db1?directConnection=true'],
    [
      'mongodb+srv://cluster.example.net/x?retryWrites=true',
      'mongodb+srv://cluster.example.net/db1?retryWrites=true',
    ],
  ])('%s', (uri, expected) => {
    expect(withDatabase(uri, 'db1')).toBe(expected);
  });

  it('rejects what is not a MongoDB URI', () => {
    expect(() => withDatabase('redis://127.0.0.1:6379', 'db1')).toThrow(/not a MongoDB URI/);
  });
});

describe('unique names', () => {
  it('sanitises, bounds and randomises database names', () => {
    const name = uniqueName('Fetcher: Store/Feeds!'.repeat(5), '_', 'pw');
    expect(name).toMatch(/^pw_[a-z0-9_]+_[0-9a-f]{8}$/);
    expect(name.length).toBeLessThanOrEqual(60);
    expect(uniqueName('x', '_', 'pw')).not.toBe(uniqueName('x', '_', 'pw'));
  });

  it('makes BullMQ prefixes without colons', () => {
    expect(uniquePrefix('fetch:feed jobs')).toMatch(/^test-fetch-feed-jobs-[0-9a-f]{8}$/);
  });
});
