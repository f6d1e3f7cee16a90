// Each repository query against the indexes the models declare, by MongoDB's prefix rule (FerretDB cannot
// show MongoDB's plans): equality fields first, then the sort keys; `_id` counts as an index. Scans are
// declared as such, with a reason. And every declared index serves at least one declared query.
import mongoose from 'mongoose';
import { afterAll, describe, expect, it } from 'vitest';
import './index.ts';
import { registerModels } from './models.ts';
import { type DeclaredQuery, declaredQueries, ID_INDEX, type IndexSpec, unservedReason } from './queries.ts';

const conn = mongoose.createConnection();
afterAll(() => conn.close());
const indexes = new Map<string, IndexSpec[]>();
for (const model of Object.values(registerModels(conn))) {
  indexes.set(
    model.collection.collectionName,
    model.schema.indexes().map(([key, options]) => ({
      name: String((options as { name?: string }).name),
      key: key as IndexSpec['key'],
    })),
  );
}
const queries = declaredQueries();
const indexOf = (q: DeclaredQuery) =>
  q.index === '_id' ? ID_INDEX : indexes.get(q.collection)?.find((i) => i.name === q.index);

describe('declared queries', () => {
  it('the repositories declare their queries', () => {
    expect(queries.length).toBeGreaterThan(15);
    expect(new Set(queries.map((q) => q.name)).size).toBe(queries.length);
  });

  it.each(queries.filter((q) => typeof q.index === 'string').map((q) => [q.name, q] as const))(
    '%s is served by its index',
    (_name, q) => {
      expect(indexes.has(q.collection), `collection ${q.collection}`).toBe(true);
      const index = indexOf(q);
      expect(index, `index ${String(q.index)} on ${q.collection}`).toBeDefined();
      expect(unservedReason(q, index!)).toBeUndefined();
    },
  );

  it.each(queries.filter((q) => typeof q.index !== 'string').map((q) => [q.name, q] as const))(
    '%s is a declared scan with a reason',
    (_name, q) => {
      expect(indexes.has(q.collection), `collection ${q.collection}`).toBe(true);
      expect((q.index as { scan: string }).scan.length).toBeGreaterThan(10);
    },
  );

  it('every declared index serves a declared query', () => {
    const used = new Set(queries.map((q) => `${q.collection}.${String(q.index)}`));
    const unused = [...indexes].flatMap(([collection, specs]) =>
      specs.map((s) => `${collection}.${s.name}`).filter((name) => !used.has(name)),
    );
    expect(unused).toEqual([]);
  });
});

describe('unservedReason (the prefix rule)', () => {
  const index: IndexSpec = { name: 'i', key: { a: 1, b: -1, _id: 1 } };
  const q = (over: Partial<DeclaredQuery>): DeclaredQuery => ({
    name: 'q',
    collection: 'c',
    index: 'i',
    ...over,
  });
  it.each([
    [
      'equality on the first key, sort on the next ones',
      q({ equality: ['a'], sort: { b: -1, _id: 1 } }),
      true,
    ],
    ['the whole sort reversed', q({ equality: ['a'], sort: { b: 1, _id: -1 } }), true],
    ['sort alone on the first keys', q({ sort: { a: 1, b: -1 } }), true],
    ['equality on both first keys, any order', q({ equality: ['b', 'a'], sort: { _id: -1 } }), true],
    [
      'a sort key that is also an equality field is ignored',
      q({ equality: ['a'], sort: { a: 1, b: -1 } }),
      true,
    ],
    [
      'a range on a key after the equality prefix',
      q({ equality: ['a'], range: ['b'], sort: { b: -1 } }),
      true,
    ],
    ['equality on a key that is not first', q({ equality: ['b'] }), false],
    ['equality on a field the index lacks', q({ equality: ['a', 'z'] }), false],
    ['a sort that skips a key', q({ equality: ['a'], sort: { _id: 1 } }), false],
    ['a sort with mixed directions', q({ equality: ['a'], sort: { b: -1, _id: -1 } }), false],
    ['a range on a field the index lacks', q({ equality: ['a'], range: ['z'] }), false],
    ['the papers category mismatch', q({ equality: ['categories'] }), false],
  ] as const)('%s', (_label, query, served) => {
    expect(unservedReason(query, index) === undefined).toBe(served);
  });

  it('`_id` serves `_id` equality and an `_id` sort, nothing else', () => {
    expect(unservedReason(q({ equality: ['_id'] }), ID_INDEX)).toBeUndefined();
    expect(unservedReason(q({ sort: { _id: -1 } }), ID_INDEX)).toBeUndefined();
    expect(unservedReason(q({ equality: ['url'] }), ID_INDEX)).toBeDefined();
  });

  it('the old papers index did not serve papers.list({ category })', () => {
    const old: IndexSpec = {
      name: 'papers_category_firstSeenAt',
      key: { primaryCategory: 1, firstSeenAt: -1 },
    };
    const listByCategory = queries.find((x) => x.name === 'papers.list({ category })')!;
    expect(unservedReason(listByCategory, old)).toMatch(/equality fields \[categories\]/);
  });
});
