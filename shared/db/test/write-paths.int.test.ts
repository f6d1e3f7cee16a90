// The repositories' cheap paths on FerretDB give the same results as the plain ones: many-id reads as
// parallel point reads (readByIds), writes of documents believed new as inserts that fall back to replace (insertOrReplace),
// and title buckets inserted when they did not exist.
import type { Paper } from '@paperwire/core';
import { createLogger } from '@paperwire/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMongoUri } from '../../../test/support/services.ts';
import { connectDatabase, type Database, type PaperRedirect } from '../src/index.ts';

const log = createLogger({ service: 'test', level: 'warn' });
const uri = testMongoUri('write-paths');
let db: Database;

beforeAll(async () => {
  db = await connectDatabase(uri, log);
});
afterAll(async () => {
  await db?.close();
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
    await db.signalSeries.put({ _id: 'wp:series', sources: {} }, { absent: true });
    await db.signalSeries.put(
      { _id: 'wp:series', sources: { hackernews: { feeds: ['f'], points: [] } } } as never,
      {
        absent: true,
      },
    );
    expect((await db.signalSeries.get('wp:series'))?.sources).toHaveProperty('hackernews');
  });

  it('aliases: fresh keys inserted, a key that existed after all and moved keys repointed', async () => {
    await db.papers.pointAliases(['wp:k1', 'wp:k2'], 'p1', 'now', new Set(['wp:k1', 'wp:k2']));
    // wp:k2 is claimed "absent" although it exists: it is replaced, not duplicated or left behind.
    await db.papers.pointAliases(['wp:k2', 'wp:k3', 'wp:k1'], 'p2', 'later', new Set(['wp:k2', 'wp:k3']));
    expect(Object.fromEntries(await db.papers.lookupAliases(['wp:k1', 'wp:k2', 'wp:k3']))).toEqual({
      'wp:k1': 'p2',
      'wp:k2': 'p2',
      'wp:k3': 'p2',
    });
  });

  it('title buckets: new ones inserted, existing ones appended to, repeats and merges handled', async () => {
    const entry = (paperId: string, title: string) => ({ paperId, title, authorKeys: ['a smith'], ids: {} });
    const keys = ['wp:lsh:0:a', 'wp:lsh:1:b'];
    await db.nearDuplicates.addEntry([], keys, entry('p1', 'One'), []);
    let bands = await db.nearDuplicates.getBands(keys);
    expect(bands.map((b) => b.entries.map((e) => e.paperId))).toEqual([['p1'], ['p1']]);
    await db.nearDuplicates.addEntry(bands, [...keys, 'wp:lsh:2:c'], entry('p2', 'One!'), ['p1']);
    bands = await db.nearDuplicates.getBands([...keys, 'wp:lsh:2:c']);
    expect(bands.map((b) => b.entries.map((e) => `${e.paperId}:${e.title}`))).toEqual([
      ['p2:One', 'p2:One!'],
      ['p2:One', 'p2:One!'],
      ['p2:One!'],
    ]);
  });

  it('keeps a paper written whole by put', async () => {
    const paper = { _id: 'wp:paper', title: 'T', authors: [], ids: {}, sightings: [] } as unknown as Paper;
    await db.papers.put(paper, { absent: true });
    expect(await db.papers.getStored('wp:paper')).toEqual(paper);
  });
});
