// Each paper document carries its current signals by source at the top level (for readers with their own
// driver), written by the resolver in the same document write as the sightings they come from.
import { normaliseEntry, type Observation, type SourceEntry } from '@paperwire/core';
import { MongoClient } from 'mongodb';
import { afterAll, expect, it } from 'vitest';
import { testRuntimes } from '../../../test/support/runtime.ts';
import { testMongoUri, uniquePrefix } from '../../../test/support/services.ts';
import { resolverEnvSchema, startResolver } from '../src/index.ts';

const { runtime, closeAll } = testRuntimes();
const mongoUri = testMongoUri('resolve-signals');
const client = new MongoClient(mongoUri);
afterAll(async () => {
  await client.close();
  await closeAll();
});

const start = Date.now();
function observation(
  feedId: string,
  source: SourceEntry['provenance']['source'],
  key: string,
  minute: number,
  fields: Partial<SourceEntry>,
): Observation {
  const r = normaliseEntry({
    provenance: { feedId, source, entryKey: key, fetchedAt: new Date(start + minute * 60_000).toISOString() },
    title: 'Top level signals for readers of the database',
    authors: ['Ada Lovelace'],
    links: [],
    ids: { arxiv: '2612.04321' },
    categories: ['cs.DB'],
    signals: {},
    ...fields,
  });
  if (!r.ok) throw new Error(r.reason);
  return r.observation;
}

it('top-level signals follow the sightings as they change', async () => {
  const rt = await runtime(uniquePrefix('resolve-signals'), {
    mongoUri,
    prefix: uniquePrefix('resolve-signals'),
  });
  startResolver(rt, resolverEnvSchema.parse({}));
  const papers = client.db().collection('papers');
  const resolve = async (obs: Observation[]) => {
    await rt.db.observations.insertNew(obs);
    const id = await rt.queues.enqueue('resolve-batch', {
      feedId: 'all',
      observationIds: obs.map((o) => o._id),
    });
    const job = await rt.queues.byName.resolve.getJob(id);
    const deadline = Date.now() + 60_000;
    while (!(await job?.isCompleted())) {
      expect(await job?.isFailed()).toBe(false);
      if (Date.now() > deadline) throw new Error('resolve-batch did not finish');
      await new Promise((r) => setTimeout(r, 100));
    }
    return papers.findOne({ _id: 'arxiv:2612.04321' as never });
  };

  const first = await resolve([
    observation('arxiv', 'arxiv', '2612.04321v1', 0, {}),
    observation('hf', 'huggingface', '2612.04321', 1, { signals: { upvotes: 3, comments: 1 } }),
  ]);
  expect(first?.signals).toEqual({ huggingface: { upvotes: 3, comments: 1 } });

  const later = await resolve([
    observation('hf', 'huggingface', '2612.04321', 60, { signals: { upvotes: 9, comments: 2, stars: 4 } }),
    observation('hn', 'hackernews', 'hn-1', 61, {
      url: 'https://arxiv.org/abs/2612.04321',
      signals: { points: 42, comments: 7 },
    }),
  ]);
  expect(later?.signals).toEqual({
    hackernews: { points: 42, comments: 7 },
    huggingface: { upvotes: 9, comments: 2, stars: 4 },
  });
  // The same numbers as the sightings in the same document.
  const hf = later?.sightings.find((s: { source: string }) => s.source === 'huggingface');
  expect(hf.signals).toEqual(later?.signals.huggingface);
  expect(later?.firstSeenAt).toBeInstanceOf(Date);
}, 120_000);
