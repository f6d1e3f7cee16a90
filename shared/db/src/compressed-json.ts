// Values the database keeps as gzip-compressed JSON in one binary field: a ranking snapshot's rows and an
// observation's content. FerretDB v1 turns every field of a document into its JSON form with a schema of
// each nested value, and back on every read; as bytes, a value costs it a copy. Only what no query filters
// on goes in: nothing ever reads part of such a value. (De)compression runs on libuv's pool.
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import mongoose from 'mongoose';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);
/** Most of level 6's ratio at less than half its CPU. */
const GZIP_LEVEL = 3;

/** The driver's own BSON binary type (mongoose's copy of it, so the two never disagree). */
const { Binary } = mongoose.mongo;
export type Binary = InstanceType<typeof Binary>;

/** `value` as JSON, gzip-compressed, in a BSON binary. */
export async function toGzipJson(value: unknown): Promise<Binary> {
  return new Binary(await gzipAsync(JSON.stringify(value), { level: GZIP_LEVEL }));
}

/** The value `toGzipJson` stored (a driver's Binary, or its bytes). */
export async function fromGzipJson<T>(stored: Binary | Uint8Array): Promise<T> {
  const bytes = stored instanceof Uint8Array ? stored : stored.buffer;
  return JSON.parse((await gunzipAsync(bytes)).toString('utf8')) as T;
}
