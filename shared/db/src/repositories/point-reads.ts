// Reads of known ids as multi-key reads (`idReader`: `$in` where the server serves it from the _id index,
// bounded-parallel point reads otherwise); writes of documents believed new as inserts that fall back to a
// replace (`insertOrReplace`), and whole-document rewrites of many documents in one command (`replaceMany`).
import pLimit from 'p-limit';

const PARALLEL_READS = 16;

/** `read` of every id, at most PARALLEL_READS at a time; the documents found, in the order of `ids`. */
export async function pointReads<T>(
  ids: readonly string[],
  read: (id: string) => Promise<T | null>,
): Promise<T[]> {
  const out = await pLimit(PARALLEL_READS).map(ids, (id) => read(id));
  return out.filter((v): v is T => v !== null);
}

/** MongoDB's 11000, also as FerretDB reports it inside a bulk result. */
export function isDuplicateKeyError(err: unknown): boolean {
  const e = err as { code?: number; writeErrors?: { code?: number }[] };
  if (e?.code === 11000) return true;
  return (
    Array.isArray(e?.writeErrors) && e.writeErrors.length > 0 && e.writeErrors.every((w) => w.code === 11000)
  );
}

/** Ids per `$in` read: a few hundred keep each command and its reply small. */
export const IN_CHUNK = 250;

interface FindableCollection {
  find(filter: never, options: { batchSize: number }): { toArray(): Promise<unknown[]> };
}

/**
 * Reads documents by `_id`: the stored documents of `ids` that exist, in the order given, duplicate ids read
 * once. `idIn` says whether the server answers `{_id: {$in}}` with index lookups: MongoDB does, and so does
 * the embedded FerretDB with the launcher's patch (infra/ferretdb/patches.json, detected from buildInfo);
 * an unpatched FerretDB v1 would scan the whole collection for every `$in`, so there the reader falls back
 * to bounded-parallel point reads.
 */
export type IdReader = <T extends { _id: string }>(
  coll: FindableCollection & ReadableCollection,
  ids: readonly string[],
) => Promise<T[]>;

export function idReader(idIn: boolean): IdReader {
  return async <T extends { _id: string }>(
    coll: FindableCollection & ReadableCollection,
    ids: readonly string[],
  ): Promise<T[]> => {
    const unique = [...new Set(ids)];
    if (!idIn || unique.length === 1) return pointReads(unique, (id) => findById<T>(coll, id));
    const byId = new Map<string, T>();
    for (let i = 0; i < unique.length; i += IN_CHUNK) {
      const chunk = unique.slice(i, i + IN_CHUNK);
      // The whole chunk in the first reply, and the cursor closed by it: the driver's default first batch
      // (101 documents) would cost a getMore round trip for every chunk larger than that, and so would a
      // batch exactly as large as the answer (the server closes a cursor only once it sees no more).
      const docs = (await coll
        .find({ _id: { $in: chunk } } as never, { batchSize: chunk.length + 1 })
        .toArray()) as T[];
      for (const doc of docs) byId.set(doc._id, doc);
    }
    return unique.flatMap((id) => {
      const doc = byId.get(id);
      return doc ? [doc] : [];
    });
  };
}

interface ReadableCollection {
  findOne(filter: never, options?: never): Promise<unknown>;
}

/**
 * One document by `_id`, straight through the driver: the hot paths' ids are strings already, so mongoose's
 * query building and casting (tens of µs of CPU a read, ~20 reads an entry) buys nothing there.
 */
export async function findById<T>(
  coll: ReadableCollection,
  id: string,
  projection?: Record<string, 0>,
): Promise<T | null> {
  return (await coll.findOne(
    { _id: id } as never,
    (projection ? { projection } : undefined) as never,
  )) as T | null;
}

interface WritableCollection {
  insertOne(doc: never): Promise<unknown>;
  insertMany(docs: never[], options: { ordered: false }): Promise<unknown>;
  replaceOne(filter: never, doc: never, options: { upsert: true }): Promise<unknown>;
}

/**
 * Writes whole documents the caller believes are new: one insert (or insertMany) round trip; the ids found
 * to exist after all are replaced, so the result is the same as an upsert of each.
 */
export async function insertOrReplace(coll: WritableCollection, docs: readonly { _id: string }[]) {
  if (docs.length === 0) return;
  let existing: readonly { _id: string }[] = [];
  try {
    if (docs.length === 1) await coll.insertOne(docs[0] as never);
    else await coll.insertMany(docs as never[], { ordered: false });
  } catch (err) {
    // MongoDB's driver gives one WriteError or a list; without indexes, replace them all (same result).
    const we = (err as { writeErrors?: unknown }).writeErrors;
    const list = (we === undefined ? [] : Array.isArray(we) ? we : [we]) as {
      index: number;
      code?: number;
    }[];
    const duplicate = isDuplicateKeyError(err) || (list.length > 0 && list.every((w) => w.code === 11000));
    if (!duplicate) throw err;
    const failed = new Set(list.map((w) => w.index));
    existing = docs.length === 1 || failed.size === 0 ? docs : docs.filter((_, i) => failed.has(i));
  }
  for (const doc of existing) {
    await coll.replaceOne({ _id: doc._id } as never, doc as never, { upsert: true });
  }
}

interface BulkWritableCollection {
  bulkWrite(ops: never[], options: { ordered: false }): Promise<unknown>;
}

/** Statements per bulk write. */
export const BULK_CHUNK = 100;

/** One command per BULK_CHUNK whole-document upserts. */
async function replaceManyInBulk(coll: BulkWritableCollection, docs: readonly { _id: string }[]) {
  for (let i = 0; i < docs.length; i += BULK_CHUNK) {
    const ops = docs.slice(i, i + BULK_CHUNK).map((doc) => ({
      replaceOne: { filter: { _id: doc._id }, replacement: doc, upsert: true },
    }));
    await coll.bulkWrite(ops as never[], { ordered: false });
  }
}

/** What the server does well, read from `buildInfo` once at connect. */
export interface ServerCapabilities {
  /** `{_id: {$in}}` is answered from the _id index. */
  idIn: boolean;
  /** A multi-statement update is safe (one connection per command on FerretDB). */
  bulkUpdate: boolean;
}

/** Multi-document reads and rewrites by `_id`, shaped by what the server does well. */
export interface DocIo {
  readMany: IdReader;
  /**
   * Rewrites whole documents (upserts): in bulk where the server is safe with it (MongoDB; the embedded
   * FerretDB with the launcher's msg_update.go patch), one statement each otherwise: an unpatched FerretDB v1
   * holds one pooled SQLite connection per statement until the command returns, and a 100-statement
   * update then waits forever for a connection it holds itself.
   */
  replaceMany(
    coll: BulkWritableCollection & WritableCollection,
    docs: readonly { _id: string }[],
  ): Promise<void>;
  /**
   * Whole-document writes of many documents: those whose id is in `absent` (the caller read and found none)
   * inserted (replaced after all if one turns up), the others rewritten.
   */
  writeMany(
    coll: BulkWritableCollection & WritableCollection,
    docs: readonly { _id: string }[],
    absent: ReadonlySet<string>,
  ): Promise<void>;
}

export function docIo(caps: ServerCapabilities): DocIo {
  const replaceMany: DocIo['replaceMany'] = async (coll, docs) => {
    if (docs.length === 0) return;
    if (caps.bulkUpdate && docs.length > 1) return replaceManyInBulk(coll, docs);
    for (const doc of docs) {
      await coll.replaceOne({ _id: doc._id } as never, doc as never, { upsert: true });
    }
  };
  return {
    readMany: idReader(caps.idIn),
    replaceMany,
    async writeMany(coll, docs, absent) {
      await insertOrReplace(
        coll,
        docs.filter((d) => absent.has(d._id)),
      );
      await replaceMany(
        coll,
        docs.filter((d) => !absent.has(d._id)),
      );
    },
  };
}

/** Capabilities from a `buildInfo` reply: MongoDB has both; FerretDB only with the launcher's patches. */
export function capabilitiesOf(buildInfo: {
  ferretdbFeatures?: Record<string, unknown>;
}): ServerCapabilities {
  const features = buildInfo.ferretdbFeatures;
  if (features === undefined) return { idIn: true, bulkUpdate: true };
  return { idIn: features.paperwireIdIn === true, bulkUpdate: features.paperwireBulkUpdate === true };
}
