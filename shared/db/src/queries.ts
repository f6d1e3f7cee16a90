// Which index each repository query relies on. FerretDB cannot show MongoDB's query plans, so every query a
// repository sends (other than `_id` point reads) is declared beside it with `declareQuery`, and a unit test
// (queries.test.ts) checks each declaration against the model's declared indexes by MongoDB's prefix rule:
// the equality fields first (in any order), then the sort keys in order (all in the index's direction or all
// reversed), range fields after the equality prefix. A query that reads a whole small collection (an admin
// list) or makes one deliberate pass (retention, the snapshot sweep) declares a scan, with the reason.

export type SortSpec = Readonly<Record<string, 1 | -1>>;

export interface DeclaredQuery {
  /** The repository call, e.g. `papers.list({ category })`. */
  name: string;
  collection: string;
  /** Fields compared for equality (`{ field: value }`, or one element of an array field). */
  equality?: readonly string[];
  /** Fields compared with `$lt`/`$gte`/… (a keyset cursor's field too). */
  range?: readonly string[];
  sort?: SortSpec;
  /** Filters the index does not serve, applied to the documents it yields (named so the choice is visible). */
  residual?: readonly string[];
  /** The index name, `_id` for the primary key, or a deliberate scan with its reason. */
  index: string | { scan: string };
}

const registry: DeclaredQuery[] = [];

/** Records a repository query and the index it relies on; returns the declaration. */
export function declareQuery(query: DeclaredQuery): DeclaredQuery {
  registry.push(query);
  return query;
}

/** Every declared query (the repositories' modules declare theirs when they load). */
export function declaredQueries(): readonly DeclaredQuery[] {
  return registry;
}

export interface IndexSpec {
  name: string;
  key: SortSpec;
}

/**
 * Why `index` cannot serve `query` by the prefix rule, or undefined when it can. `_id` serves equality on
 * `_id` alone and an `_id` sort.
 */
export function unservedReason(query: DeclaredQuery, index: IndexSpec): string | undefined {
  const equality = new Set(query.equality ?? []);
  // A sort key that is also an equality field is constant over the results: it needs no index order.
  const sort = Object.entries(query.sort ?? {}).filter(([field]) => !equality.has(field));
  const keys = Object.entries(index.key);
  const prefix = keys.slice(0, equality.size).map(([field]) => field);
  if (prefix.length < equality.size || prefix.some((f) => !equality.has(f))) {
    return `the equality fields [${[...equality].join(', ')}] are not the first keys of ${index.name} (${keys.map(([f]) => f).join(', ')})`;
  }
  const next = keys.slice(equality.size, equality.size + sort.length);
  const sameFields = next.length === sort.length && next.every(([field], i) => field === sort[i]![0]);
  const forward = sameFields && next.every(([, dir], i) => dir === sort[i]![1]);
  const backward = sameFields && next.every(([, dir], i) => dir === -sort[i]![1]);
  if (!forward && !backward) {
    return `the sort (${sort.map(([f, d]) => `${f} ${d}`).join(', ')}) does not follow the equality prefix of ${index.name}`;
  }
  const after = new Set(keys.slice(equality.size).map(([field]) => field));
  const unranged = (query.range ?? []).filter((f) => !after.has(f));
  if (unranged.length > 0) return `the range fields [${unranged.join(', ')}] are not keys of ${index.name}`;
  return undefined;
}

/** The primary key as an index spec. */
export const ID_INDEX: IndexSpec = { name: '_id', key: { _id: 1 } };
