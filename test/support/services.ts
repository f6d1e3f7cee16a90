/// <reference path="../setup/global-setup.ts" />
// Helpers for integration tests (*.int.test.ts): where the servers are, and names that keep test files
// apart. Call each once per file, at module level, and use the result in every test of that file.
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';

/** The MongoDB (FerretDB in local runs) URI with a database name of its own: `pw_<name>_<random>`. */
export function testMongoUri(dbName: string): string {
  return withDatabase(inject('mongoUri'), uniqueName(dbName, '_', 'pw'));
}

/** The Redis URL for this run; keep test files apart with `uniquePrefix()` rather than Redis databases. */
export function testRedisUrl(): string {
  return inject('redisUrl');
}

/** A BullMQ `prefix` unique to this file: `test-<name>-<random>`, no `:` in it. */
export function uniquePrefix(name: string): string {
  return uniqueName(name, '-', 'test');
}

/** `<head><sep><name, sanitised><sep><8 hex>`, at most 60 characters (MongoDB/FerretDB limit is 63). */
export function uniqueName(name: string, sep: '_' | '-', head: string): string {
  const clean = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, sep)
    .replace(new RegExp(`^\\${sep}+|\\${sep}+$`, 'g'), '')
    .slice(0, 40);
  return [head, clean, randomBytes(4).toString('hex')].filter(Boolean).join(sep);
}

/**
 * Replaces (or adds) the database path of a MongoDB URI, keeping hosts, credentials and options. Works on
 * multi-host and mongodb+srv URIs, which the WHATWG URL parser does not accept.
 */
export function withDatabase(uri: string, dbName: string): string {
  const m = /^(mongodb(?:\+srv)?:\/\/[^/?]+)(?:\/[^?]*)?(\?.*)?$/.exec(uri);
  if (!m) throw new Error(`test/support: not a MongoDB URI: ${uri}`);
  return `${m[1]}/${dbName}${m[2] ?? ''}`;
}
