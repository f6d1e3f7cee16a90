// The repositories' cheap paths on FerretDB give the same results as the plain ones: many-id reads as
// `$in` (the launcher's push-down), writes of documents believed new as inserts that fall back to replace,
// rewrites in bulk.
import type { Paper, SeriesBySource } from '@paperwire/core';
import { createLogger } from '@paperwire/platform';
import { MongoClient } from 'mongodb';
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMongoUri } from '../../../test/support/services.ts';
import { connectDatabase, type Database, type PaperRedirect } from '../src/index.ts';

const log = createLogger({ service: 'test', level: 'warn' });
const uri = testMongoUri('write-paths');
let db: Database;
let client: MongoClient;
const rawDb = () => client.db();

beforeAll(async () => {
  db = await connectDatabase(uri, log);
  client = await MongoClient.connect(uri);
});
afterAll(async () => {
  await db?.close();
  await client?.close();
});

const redirect = (id: string, to: string): PaperRedirect => ({ _id: id, mergedInto: to, mergedAt: 'then' });

describe('write paths', () => {
  it('reads many ids in the order given, once each, missing ones left out', async () => {
    const n = 40;
    const ids = Array.from({ length: n }, (_, i) => `wp:read:${String(i).padStart(3, '0')}`);
    for (const id of ids) await db.papers.put(redirect(id, 'x'));
    const few = [ids[3]!, 'wp:read:absent', ids[1]!, ids[3]!];
    expect((await db.papers.getMany(few)).map((p) => p._id)).toEqual([ids[3], ids[1]]);
    const many = ['wp:read:absent', ...[...ids].reverse(), ids[0]!];
    expect((await db.papers.getMany(many)).map((p) => p._id)).toEqual([...ids].reverse());
  });

  it('an "absent" write inserts, and replaces when the document exists after all', async () => {
    await db.papers.put(redirect('wp:put', 'a'), { absent: true });
    await db.papers.put(redirect('wp:put', 'b'), { absent: true });
    expect(await db.papers.getStored('wp:put')).toMatchObject({ mergedInto: 'b' });
  });

  it("a paper's signal history is written with it and read with it, never in the paper the pipeline sees", async () => {
    const at = new Date(Date.now() - 3_600_000).toISOString();
    const series: SeriesBySource = { hackernews: { feeds: ['f'], points: [{ at, signals: { points: 7 } }] } };
    await db.papers.putMany(
      [redirect('wp:hist:1', 'x'), redirect('wp:hist:2', 'x')],
      new Set(['wp:hist:1']),
      new Map([['wp:hist:1', series]]),
    );
    const read = await db.papers.getManyWithSeries(['wp:hist:2', 'wp:hist:1', 'wp:hist:absent']);
    expect(read.map((r) => [r.doc._id, r.series])).toEqual([
      ['wp:hist:2', undefined],
      ['wp:hist:1', series],
    ]);
    expect(await db.papers.getSeries('wp:hist:1')).toEqual(series);
    expect(await db.papers.getSeries('wp:hist:absent')).toBeUndefined();
    // Stored as BSON dates beside the paper; the pipeline's paper carries none of it.
    const raw = await rawDb()
      .collection('papers')
      .findOne({ _id: 'wp:hist:1' as never });
    expect(raw?.series.hackernews.points[0].at).toBeInstanceOf(Date);
    expect(await db.papers.getStored('wp:hist:1')).not.toHaveProperty('series');
    expect((await db.papers.getMany(['wp:hist:1']))[0]).not.toHaveProperty('series');
    // A rewrite carries the history it is given; the resolver always gives the one it read.
    await db.papers.putMany([redirect('wp:hist:1', 'y')], new Set(), new Map());
    expect(await db.papers.getSeries('wp:hist:1')).toBeUndefined();
  });

  it('aliases: fresh keys inserted, a key that existed after all and moved keys repointed', async () => {
    const to = (paperId: string, keys: string[]) => new Map(keys.map((k) => [k, paperId]));
    await db.papers.pointAliases(to('p1', ['wp:k1', 'wp:k2']), 'now', new Set(['wp:k1', 'wp:k2']));
    // wp:k2 is claimed "absent" although it exists: it is replaced, not duplicated or left behind.
    await db.papers.pointAliases(to('p2', ['wp:k2', 'wp:k3', 'wp:k1']), 'later', new Set(['wp:k2', 'wp:k3']));
    expect(Object.fromEntries(await db.papers.lookupAliases(['wp:k1', 'wp:k2', 'wp:k3']))).toEqual({
      'wp:k1': 'p2',
      'wp:k2': 'p2',
      'wp:k3': 'p2',
    });
  });

  it('putMany inserts the absent and rewrites the rest in bulk, past one bulk chunk', async () => {
    const ids = Array.from({ length: 230 }, (_, i) => `wp:bulk:${i}`);
    await db.papers.putMany(
      ids.slice(0, 100).map((id) => redirect(id, 'a')),
      new Set(ids.slice(0, 100)),
      new Map(),
    );
    // 100 rewritten (they exist), 130 inserted; one of the "absent" ones exists after all.
    await db.papers.putMany(
      ids.map((id) => redirect(id, 'b')),
      new Set([ids[0]!, ...ids.slice(100)]),
      new Map(),
    );
    const stored = await db.papers.getMany(ids);
    expect(stored).toHaveLength(230);
    expect(new Set(stored.map((d) => (d as PaperRedirect).mergedInto))).toEqual(new Set(['b']));
  });

  it('multi-key reads give exactly what point reads give, for awkward ids and more ids than one chunk', async () => {
    const awkward = [
      '',
      'q"uote',
      "apos'trophe",
      'back\\slash',
      'ünïcødé ✓',
      '日本語',
      'tab\tnew\nline',
      '$dollar',
      'a.b',
    ];
    const many = Array.from({ length: 600 }, (_, i) => `wp:in:${i}`);
    const ids = [...awkward, ...many];
    await db.papers.putMany(
      ids.filter((_, i) => i % 3 !== 1).map((id) => redirect(id, 'in')),
      new Set(),
      new Map(),
    );
    const viaIn = (await db.papers.getMany([...ids, 'wp:in:absent', ids[0]!])).map((d) => d._id);
    const viaPoint: string[] = [];
    for (const id of ids) if (await db.papers.getStored(id)) viaPoint.push(id);
    expect(viaIn).toEqual(viaPoint);
    expect(viaIn.length).toBe(ids.filter((_, i) => i % 3 !== 1).length);
  });

  it('a multi-key read of more documents than a default first reply holds is one find, no getMore', async () => {
    const ids = Array.from({ length: 240 }, (_, i) => `wp:batch:${i}`);
    await db.papers.putMany(
      ids.map((id) => redirect(id, 'b')),
      new Set(ids),
      new Map(),
    );
    const watchedUri = new URL(uri);
    watchedUri.searchParams.set('monitorCommands', 'true');
    const known = new Set(mongoose.connections);
    const watched = await connectDatabase(watchedUri.toString(), log);
    const seen: string[] = [];
    try {
      const conn = mongoose.connections.find((c) => !known.has(c));
      conn!.getClient().on('commandStarted', (e) => seen.push(e.commandName));
      expect((await watched.papers.getMany(ids)).map((p) => p._id)).toEqual(ids);
    } finally {
      await watched.close();
    }
    expect(seen.filter((c) => c === 'find' || c === 'getMore')).toEqual(['find']);
  });

  it('the embedded FerretDB carries the launcher patches, and answers $in on _id from the _id index', async () => {
    const info = await db.serverInfo();
    expect(info.capabilities).toEqual({ idIn: true, bulkUpdate: true });
    if (!info.ferretdb) return; // MongoDB: $in on _id is an index lookup by design
    const ids = Array.from({ length: 1000 }, (_, i) => `wp:in:${i}`);
    const explained = (await rawDb().command({
      explain: { find: 'papers', filter: { _id: { $in: ids } } },
    })) as { filterPushdown?: boolean; queryPlanner?: { Plan?: string[] } };
    expect(explained.filterPushdown).toBe(true);
    expect(explained.queryPlanner?.Plan?.join('\n')).toMatch(/SEARCH .*USING INDEX/);
  });

  it('keeps a paper written whole by put', async () => {
    const paper = { _id: 'wp:paper', title: 'T', authors: [], ids: {}, sightings: [] } as unknown as Paper;
    await db.papers.put(paper, { absent: true });
    expect(await db.papers.getStored('wp:paper')).toEqual(paper);
  });
});
