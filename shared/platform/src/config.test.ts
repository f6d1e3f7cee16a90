import { describe, expect, it } from 'vitest';
import { commonEnvSchema, databaseNameFor, uriDatabaseName } from './config.ts';

describe('database name', () => {
  it.each([
    ['mongodb://127.0.0.1:27017', undefined],
    ['mongodb://127.0.0.1:27017/', undefined],
    ['mongodb://127.0.0.1:27017/?directConnection=true', undefined],
    ['mongodb://127.0.0.1:27017/paperwire?directConnection=true', 'paperwire'],
    ['mongodb://u:p@a:1,b:2/prod_db', 'prod_db'],
    ['mongodb+srv://cluster0.example.net/pw?retryWrites=true', 'pw'],
  ])('%s names %s', (uri, name) => {
    expect(uriDatabaseName(uri)).toBe(name);
  });

  it('the URI wins over MONGODB_DB; MONGODB_DB otherwise', () => {
    expect(databaseNameFor('mongodb://h:1/a', 'b')).toBe('a');
    expect(databaseNameFor('mongodb://h:1', 'b')).toBe('b');
  });

  it('MONGODB_DB defaults to paperwire and is validated', () => {
    expect(commonEnvSchema.parse({}).MONGODB_DB).toBe('paperwire');
    expect(commonEnvSchema.safeParse({ MONGODB_DB: 'a/b' }).success).toBe(false);
    expect(commonEnvSchema.safeParse({ MONGODB_URI: 'mongodb://h:1/a.b' }).success).toBe(false);
    expect(commonEnvSchema.safeParse({ MONGODB_URI: 'mongodb://h:1/ok_db-1?x=1' }).success).toBe(true);
  });
});
