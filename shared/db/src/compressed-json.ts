// Values the database keeps as gzip-compressed JSON in one binary field: a ranking snapshot's rows, an
// observation's content, an event's data. FerretDB v1 turns every field of a document into its JSON form
// with a schema of each nested value, and back on every read; as bytes, a value costs it a copy. Only what
// no query filters on goes in: nothing ever reads part of such a value.
//
// Small values (an entry, an event: ~1.5 KB of JSON) are compressed on the main thread with a 4 KB window:
// ~25 µs each, where zlib's pool cost ~280 µs of CPU per value in setting up a stream and handing it over
// (measured; 200,000 values in a 100,000-entry ingest). Large ones (a snapshot: hundreds of KB) go to the
// pool, off the event loop.
import { promisify } from 'node:util';
import { gunzip, gunzipSync, gzip, gzipSync } from 'node:zlib';
import mongoose from 'mongoose';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);
/** Most of level 6's ratio at less than half its CPU. */
const GZIP_LEVEL = 3;
/** JSON up to this many characters is compressed on the main thread. */
const SMALL = 32 * 1024;
/** Compressed values up to this many bytes (an entry, an event: well under it) are read back there. */
const SMALL_COMPRESSED = SMALL / 4;
/** A 4 KB window and less memory per stream: as good for a value of a few KB, much cheaper to set up. */
const SMALL_OPTIONS = { level: GZIP_LEVEL, windowBits: 12, memLevel: 5 } as const;

/** The driver's own BSON binary type (mongoose's copy of it, so the two never disagree). */
const { Binary } = mongoose.mongo;
export type Binary = InstanceType<typeof Binary>;

/** `value` as JSON, gzip-compressed, in a BSON binary. */
export async function toGzipJson(value: unknown): Promise<Binary> {
  const json = JSON.stringify(value);
  const bytes =
    json.length <= SMALL ? gzipSync(json, SMALL_OPTIONS) : await gzipAsync(json, { level: GZIP_LEVEL });
  return new Binary(bytes);
}

/** The value `toGzipJson` stored (a driver's Binary, or its bytes). */
export async function fromGzipJson<T>(stored: Binary | Uint8Array): Promise<T> {
  const bytes = stored instanceof Uint8Array ? stored : stored.buffer;
  const json = bytes.length <= SMALL_COMPRESSED ? gunzipSync(bytes) : await gunzipAsync(bytes);
  return JSON.parse(json.toString('utf8')) as T;
}
