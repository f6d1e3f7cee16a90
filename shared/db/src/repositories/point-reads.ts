// FerretDB v1 only pushes `_id` equality down to SQLite (an `$in` reads the whole collection), so reads
// of many known ids are done as bounded-parallel point reads.
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
