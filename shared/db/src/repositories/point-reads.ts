// Reads of known ids as bounded-parallel point reads (`readByIds`); writes of documents believed new as
// inserts that fall back to a replace (`insertOrReplace`): one round trip in the common case.
const PARALLEL_READS = 16;

export async function pointReads<T>(
  ids: readonly string[],
  read: (id: string) => Promise<T | null>,
): Promise<T[]> {
  const out: (T | null)[] = new Array(ids.length).fill(null);
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const i = next++;
      out[i] = await read(ids[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_READS, ids.length) }, worker));
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

/**
 * The stored documents of `ids` that exist, in the order given (duplicate ids read once), as bounded-parallel
 * point reads. Not one `_id: {$in}`: FerretDB pushes only `_id` equality down to SQLite (an index lookup
 * with the launcher's patch, infra/ferretdb/patches.json), while an `$in` is a scan of the whole collection
 * filtered in Go, whose cost grows with the collection. On MongoDB both are index lookups.
 */
export async function readByIds<T extends { _id: string }>(
  ids: readonly string[],
  readOne: (id: string) => Promise<T | null>,
): Promise<T[]> {
  return pointReads([...new Set(ids)], readOne);
}

interface ReadableCollection {
  findOne(filter: never): Promise<unknown>;
}

/**
 * One document by `_id`, straight through the driver: the hot paths' ids are strings already, so mongoose's
 * query building and casting (tens of µs of CPU a read, ~20 reads an entry) buys nothing there.
 */
export async function findById<T>(coll: ReadableCollection, id: string): Promise<T | null> {
  return (await coll.findOne({ _id: id } as never)) as T | null;
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
