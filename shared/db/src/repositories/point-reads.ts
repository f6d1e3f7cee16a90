// Reads of known ids: bounded-parallel point reads for a few, one `$in` for more (`readByIds`); writes of
// documents believed new as inserts (`insertOrReplace`). Why, on FerretDB v1.24: see IN_QUERY_FROM.
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
 * From this many ids, `readByIds` asks one `_id: {$in}` query instead of point reads. FerretDB v1.24's
 * SQLite backend does push `_id` equality down, but as `_ferretdb_sjson->'$._id' = ?`, which its `_id`
 * index (`_ferretdb_sjson->"_id"`) does not match: every point read is a scan of the table in SQLite
 * (measured ~3 µs a row + ~1 ns a byte, plus ~1–2 ms a query), while an `$in` is one scan filtered in Go
 * (~6–90× dearer a row as documents grow, plus ~0.2 µs a row per id asked). For a handful of ids on a
 * small collection one `$in` costs less (the per-query cost dominates); for a few dozen large documents in
 * a big one, point reads would (README "Performance"). On MongoDB both are `_id` index lookups.
 */
export const IN_QUERY_FROM = 8;
/** Ids per `$in` query (each is one scan on FerretDB: keep it large). */
const IN_QUERY_CHUNK = 10_000;

/** The stored documents of `ids` that exist, in the order given (duplicate ids read once). */
export async function readByIds<T extends { _id: string }>(
  ids: readonly string[],
  readOne: (id: string) => Promise<T | null>,
  readIn: (ids: string[]) => Promise<T[]>,
): Promise<T[]> {
  const unique = [...new Set(ids)];
  if (unique.length < IN_QUERY_FROM) return pointReads(unique, readOne);
  const byId = new Map<string, T>();
  for (let i = 0; i < unique.length; i += IN_QUERY_CHUNK) {
    for (const doc of await readIn(unique.slice(i, i + IN_QUERY_CHUNK))) byId.set(doc._id, doc);
  }
  return unique.flatMap((id) => {
    const doc = byId.get(id);
    return doc ? [doc] : [];
  });
}

interface WritableCollection {
  insertOne(doc: never): Promise<unknown>;
  insertMany(docs: never[], options: { ordered: false }): Promise<unknown>;
  replaceOne(filter: never, doc: never, options: { upsert: true }): Promise<unknown>;
}

/**
 * Writes whole documents the caller believes are new: an insert, which on FerretDB is an `_id` index probe
 * (a replace with upsert scans the table first, see `IN_QUERY_FROM`); the ids found to exist after all are
 * replaced, so the result is the same as an upsert of each.
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
