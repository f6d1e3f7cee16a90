// The resolver against real Redis and FerretDB: four resolver processes' worth of workers on overlapping
// batches give exactly the records one worker gives; re-resolving changes nothing; a later entry that
// proves two records are one paper merges them, and the old id still resolves.
/// <reference path="../../../test/setup/global-setup.ts" />
import { normaliseEntry, type Observation, type Paper, type SourceEntry } from '@paperwire/core';
import { isRedirect, type StoredPaper } from '@paperwire/db';
import { eventRecorder, nearIndex } from '@paperwire/jobs';
import type { Runtime } from '@paperwire/runtime';
import { afterAll, describe, expect, it } from 'vitest';
import { testRuntimes } from '../../../test/support/runtime.ts';
import { testMongoUri, uniquePrefix } from '../../../test/support/services.ts';
import { type ResolveDeps, resolveObservations, resolverEnvSchema, startResolver } from '../src/index.ts';

const { runtime: named, closeAll } = testRuntimes();
const runtime = (mongoUri: string, prefix: string) => named(prefix, { mongoUri, prefix });

afterAll(closeAll);

function entry(
  feedId: string,
  source: SourceEntry['provenance']['source'],
  key: string,
  fields: Partial<SourceEntry>,
): SourceEntry {
  return {
    provenance: { feedId, source, entryKey: key, fetchedAt: '2026-11-28T10:00:00.000Z' },
    title: `Paper ${key}`,
    authors: ['Ada Lovelace'],
    links: [],
    ids: {},
    categories: ['cs.LG'],
    signals: {},
    ...fields,
  };
}

const WORDS = [
  'sparse',
  'causal',
  'robust',
  'neural',
  'latent',
  'quantum',
  'graph',
  'federated',
  'spectral',
  'adaptive',
];
const TOPICS = [
  'retrieval',
  'planning',
  'protein folding',
  'speech',
  'weather',
  'code search',
  'robotics',
  'vision',
];
/** Distinct, realistic titles, so title fingerprints differ as they do in real feeds. */
const titleOf = (i: number) =>
  `${WORDS[i % 10]} ${WORDS[(i * 7 + 3) % 10]} models for ${TOPICS[i % 8]} at scale ${String.fromCharCode(65 + (i % 26))}${Math.floor(i / 26)}`;

/** 40 papers seen by arXiv (v1, some v2), Hugging Face (with signals) and HN (some), plus journal DOIs. */
function corpus(): Observation[] {
  const entries: SourceEntry[] = [];
  for (let i = 0; i < 40; i++) {
    const id = `2611.${String(10000 + i)}`;
    const title = titleOf(i);
    entries.push(
      entry('arxiv', 'arxiv', `${id}v1`, {
        title,
        ids: { arxiv: `oai:arXiv.org:${id}v1` },
        announceType: 'new',
      }),
    );
    if (i % 3 === 0) {
      entries.push(
        entry('arxiv', 'arxiv', `${id}v2`, {
          ids: { arxiv: `oai:arXiv.org:${id}v2` },
          announceType: 'replace',
          title: `${title}, revised`,
        }),
      );
    }
    if (i % 2 === 0) {
      entries.push(
        entry('hf', 'huggingface', id, {
          title,
          ids: { hf: id, arxiv: id },
          organization: 'Lab',
          signals: { upvotes: i, comments: 1 },
        }),
      );
    }
    if (i % 5 === 0) {
      entries.push(
        entry('hn', 'hackernews', `hn-${i}`, {
          title: `Show HN: ${title}`,
          url: `https://arxiv.org/pdf/${id}v1.pdf`,
          authors: [],
          signals: { points: 10 + i },
        }),
      );
    }
  }
  return entries.map((e) => {
    const r = normaliseEntry(e);
    if (!r.ok) throw new Error(r.reason);
    return r.observation;
  });
}

/** Stored papers without the instants a run stamps (merge time), for comparing two runs. */
async function snapshot(rt: Runtime, ids: string[]): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const doc of await rt.db.papers.getMany(ids)) {
    out[doc._id] = isRedirect(doc) ? { mergedInto: doc.mergedInto } : doc;
  }
  return out;
}

async function waitForIdle(rt: Runtime, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const c = await rt.queues.byName.resolve.getJobCounts('waiting', 'active', 'delayed', 'failed');
    expect(c.failed).toBe(0);
    if ((c.waiting ?? 0) + (c.active ?? 0) + (c.delayed ?? 0) === 0) return;
    if (Date.now() > deadline) throw new Error(`resolve queue not idle: ${JSON.stringify(c)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const paperIds = (observations: Observation[]) => [
  ...new Set(observations.map((o) => `arxiv:${o.ids.arxiv}`)),
];

// A batch is a handful of multi-key reads and bulk writes, but the test servers share two busy cores.
describe('resolver', () => {
  const observations = corpus();

  it('four workers on overlapping batches produce exactly what one worker does', async () => {
    const one = await runtime(testMongoUri('resolve-one'), uniquePrefix('resolve-one'));
    await one.db.observations.insertNew(observations);
    startResolver(one, resolverEnvSchema.parse({ RESOLVE_CONCURRENCY: '1' }));
    await one.queues.enqueue('resolve-batch', {
      feedId: 'all',
      observationIds: observations.map((o) => o._id),
    });
    await waitForIdle(one);
    const expected = await snapshot(one, paperIds(observations));
    expect(Object.keys(expected)).toHaveLength(40);
    expect(await one.db.papers.count()).toBe(40);

    const mongoUri = testMongoUri('resolve-four');
    const prefix = uniquePrefix('resolve-four');
    const four = await Promise.all([0, 1, 2, 3].map(() => runtime(mongoUri, prefix)));
    await four[0]!.db.observations.insertNew(observations);
    // Overlapping batches: every observation in two batches, batches interleaved across workers.
    const ids = observations.map((o) => o._id);
    const batches: string[][] = [];
    for (let start = 0; start < ids.length; start += 10) batches.push(ids.slice(start, start + 20));
    batches.push([...ids].reverse());
    for (const rt of four) startResolver(rt, resolverEnvSchema.parse({ RESOLVE_CONCURRENCY: '2' }));
    await Promise.all(
      batches.map((b, i) =>
        four[i % 4]!.queues.enqueue('resolve-batch', { feedId: 'all', observationIds: b }),
      ),
    );
    await waitForIdle(four[0]!);

    expect(await snapshot(four[0]!, paperIds(observations))).toEqual(expected);
    expect(await four[0]!.db.papers.count()).toBe(40);
  }, 180_000);

  it('a batch that fails after indexing its titles, before its papers are written, is redone to the same records', async () => {
    // The batch appends its titles to the near-duplicate index and gives up its bands' locks before it
    // writes its papers: a failure in between leaves index entries naming papers that do not exist yet.
    const resolveWith = async (name: string, failPapersWrite: boolean) => {
      const rt = await runtime(testMongoUri(name), uniquePrefix(name));
      let failures = 0;
      const papers = {
        ...rt.db.papers,
        putMany: async (...args: Parameters<typeof rt.db.papers.putMany>) => {
          if (failPapersWrite && failures === 0) {
            failures++;
            throw new Error('injected: the process died before writing its papers');
          }
          return rt.db.papers.putMany(...args);
        },
      };
      const recorder = eventRecorder(rt.db, rt.redis, rt.prefix);
      const deps: ResolveDeps = {
        db: { papers },
        nearIndex: nearIndex(rt.redis, rt.prefix, rt.db.nearDuplicates, rt.locks),
        locks: rt.locks,
        now: () => new Date(),
        emit: async (events) => {
          await recorder.record(events);
        },
      };
      if (failPapersWrite) {
        await expect(resolveObservations(deps, observations)).rejects.toThrow(/injected/);
        expect(failures).toBe(1);
        expect(await rt.db.papers.count()).toBe(0);
        // It failed after the index append: the bands name papers that were never written.
        expect((await rt.redis.keys(`${rt.prefix}:pw:near:b:*`)).length).toBeGreaterThan(0);
      }
      const outcomes = await resolveObservations(deps, observations);
      return { rt, outcomes };
    };
    const clean = await resolveWith('resolve-clean', false);
    const redone = await resolveWith('resolve-redone', true);
    expect(redone.outcomes).toEqual(clean.outcomes);
    expect(await redone.rt.db.papers.count()).toBe(40);
    expect(await snapshot(redone.rt, paperIds(observations))).toEqual(
      await snapshot(clean.rt, paperIds(observations)),
    );
  }, 180_000);

  it('re-resolving the same observations changes nothing', async () => {
    const rt = await runtime(testMongoUri('resolve-again'), uniquePrefix('resolve-again'));
    await rt.db.observations.insertNew(observations);
    startResolver(rt, resolverEnvSchema.parse({}));
    await rt.queues.enqueue('resolve-batch', {
      feedId: 'all',
      observationIds: observations.map((o) => o._id),
    });
    await waitForIdle(rt);
    const before = await snapshot(rt, paperIds(observations));
    const job = await rt.queues.enqueue('resolve-batch', {
      feedId: 'all',
      observationIds: observations.map((o) => o._id),
    });
    await waitForIdle(rt);
    const result = (await rt.queues.byName.resolve.getJob(job))?.returnvalue as Record<string, number>;
    expect(result).toMatchObject({ created: 0, updated: 0, merged: 0, unchanged: observations.length });
    expect(await snapshot(rt, paperIds(observations))).toEqual(before);
  }, 180_000);

  it('an entry carrying both ids merges a DOI record into the arXiv record; the DOI still resolves', async () => {
    const rt = await runtime(testMongoUri('resolve-merge'), uniquePrefix('resolve-merge'));
    startResolver(rt, resolverEnvSchema.parse({}));
    const journal = normaliseEntry(
      entry('journal', 'web', 'j1', {
        title: 'Tiny Experts',
        url: 'https://doi.org/10.1145/3600000.1234567',
        authors: ['Ada Lovelace'],
      }),
    );
    const preprint = normaliseEntry(
      entry('arxiv', 'arxiv', 'a1', { title: 'Tiny Experts', ids: { arxiv: '2611.77777v1' } }),
    );
    const bridge = normaliseEntry(
      entry('arxiv-api', 'arxiv', 'a1-api', {
        title: 'Tiny Experts',
        ids: { arxiv: 'http://arxiv.org/abs/2611.77777v2', doi: '10.1145/3600000.1234567' },
      }),
    );
    if (!journal.ok || !preprint.ok || !bridge.ok) throw new Error('fixture did not normalise');
    await rt.db.observations.insertNew([journal.observation, preprint.observation, bridge.observation]);
    for (const o of [journal.observation, preprint.observation]) {
      await rt.queues.enqueue('resolve-batch', { feedId: 'x', observationIds: [o._id] });
      await waitForIdle(rt);
    }
    expect(await rt.db.papers.count()).toBe(2);

    await rt.queues.enqueue('resolve-batch', { feedId: 'x', observationIds: [bridge.observation._id] });
    await waitForIdle(rt);
    expect(await rt.db.papers.count()).toBe(1);
    const redirect = (await rt.db.papers.getStored('doi:10.1145/3600000.1234567')) as StoredPaper;
    expect(redirect).toMatchObject({ mergedInto: 'arxiv:2611.77777' });
    const survivor = (await rt.db.papers.getStored('arxiv:2611.77777')) as Paper;
    expect(survivor.ids).toMatchObject({ arxiv: '2611.77777', doi: '10.1145/3600000.1234567' });
    expect(survivor.sightings.map((s) => s.feedId).sort()).toEqual(['arxiv', 'arxiv-api', 'journal']);
    expect(survivor.latestVersion).toBe(2);
    const aliases = await rt.db.papers.lookupAliases(['doi:10.1145/3600000.1234567', 'arxiv:2611.77777']);
    expect([...aliases.values()]).toEqual(['arxiv:2611.77777', 'arxiv:2611.77777']);
  });

  it("a merged-away paper's other keys resolve through its redirect and are repointed when met again", async () => {
    const rt = await runtime(testMongoUri('resolve-lazy-alias'), uniquePrefix('resolve-lazy-alias'));
    startResolver(rt, resolverEnvSchema.parse({}));
    const doi = '10.1145/3600000.7654321';
    const observe = async (e: SourceEntry) => {
      const r = normaliseEntry(e);
      if (!r.ok) throw new Error(r.reason);
      await rt.db.observations.insertNew([r.observation]);
      const job = await rt.queues.enqueue('resolve-batch', {
        feedId: 'x',
        observationIds: [r.observation._id],
      });
      await waitForIdle(rt);
      return (await rt.queues.byName.resolve.getJob(job))?.returnvalue as Record<string, number>;
    };
    // A conference record with a DOI and an OpenReview id; an unrelated-looking preprint; then the entry
    // that proves they are one paper (it carries the arXiv id and the DOI, not the OpenReview id).
    await observe(
      entry('conf', 'web', 'c1', { title: 'Tiny Experts', ids: { doi, openreview: 'AbC123xyz' } }),
    );
    await observe(
      entry('arxiv', 'arxiv', 'a1', { title: 'Small Specialists', ids: { arxiv: '2611.66666v1' } }),
    );
    expect(await rt.db.papers.count()).toBe(2);
    expect(
      await observe(
        entry('arxiv-api', 'arxiv', 'a1-api', {
          title: 'Small Specialists',
          ids: { arxiv: '2611.66666v2', doi },
        }),
      ),
    ).toMatchObject({ merged: 1 });
    expect(await rt.db.papers.getStored(`doi:${doi}`)).toMatchObject({ mergedInto: 'arxiv:2611.66666' });
    // The OpenReview key was not in the merging entry: it still names the merged-away record (no scan of
    // the aliases by paper on a merge) ...
    const ownerOf = async (key: string) => (await rt.db.papers.lookupAliases([key])).get(key);
    expect(await ownerOf('openreview:AbC123xyz')).toBe(`doi:${doi}`);
    // ... and an entry found by it lands on the survivor through the redirect, which repoints the key.
    expect(
      await observe(
        entry('openreview', 'web', 'or1', { title: 'Tiny Experts', ids: { openreview: 'AbC123xyz' } }),
      ),
    ).toMatchObject({ created: 0, merged: 0 });
    expect(await rt.db.papers.count()).toBe(1);
    expect(await ownerOf('openreview:AbC123xyz')).toBe('arxiv:2611.66666');
    const survivor = (await rt.db.papers.getStored('arxiv:2611.66666')) as Paper;
    expect(survivor.ids).toMatchObject({ arxiv: '2611.66666', doi, openreview: 'AbC123xyz' });
    expect(survivor.sightings.map((s) => s.feedId).sort()).toEqual([
      'arxiv',
      'arxiv-api',
      'conf',
      'openreview',
    ]);
  });

  it.each([
    ['blog first', ['blog', 'arxiv'], false],
    ['arXiv first', ['arxiv', 'blog'], false],
    ['blog first, all in one batch', ['blog', 'arxiv'], true],
    ['arXiv first, all in one batch', ['arxiv', 'blog'], true],
  ])(
    'a blog post without ids merges into its arXiv paper (%s); a Part II does not',
    async (_name, order, oneBatch) => {
      const rt = await runtime(testMongoUri('resolve-near'), uniquePrefix('resolve-near'));
      startResolver(rt, resolverEnvSchema.parse({}));
      const title = 'Sparse Mixtures of Tiny Experts for Long-Context Retrieval';
      const make = {
        blog: entry('blog', 'web', 'post-1', {
          title: `${title}.`,
          authors: ['Ada Lovelace', 'Grace Hopper'],
          url: 'https://lab.example/p/1',
        }),
        arxiv: entry('arxiv', 'arxiv', 'x1', {
          title,
          authors: ['Ada Lovelace, Grace Hopper'],
          ids: { arxiv: '2611.55555v1' },
        }),
      };
      const sequel = normaliseEntry(
        entry('blog', 'web', 'post-2', {
          title: `${title}, Part II`,
          authors: ['Ada Lovelace', 'Grace Hopper'],
          url: 'https://lab.example/p/2',
        }),
      );
      const observations = order.map((k) => {
        const r = normaliseEntry(make[k as keyof typeof make]);
        if (!r.ok) throw new Error(r.reason);
        return r.observation;
      });
      if (!sequel.ok) throw new Error(sequel.reason);
      const all = [...observations, sequel.observation];
      await rt.db.observations.insertNew(all);
      for (const batch of oneBatch ? [all] : all.map((o) => [o])) {
        await rt.queues.enqueue('resolve-batch', { feedId: 'x', observationIds: batch.map((o) => o._id) });
        await waitForIdle(rt);
      }
      expect(await rt.db.papers.count()).toBe(2);
      const paper = (await rt.db.papers.getStored('arxiv:2611.55555')) as Paper;
      expect(paper.sightings.map((s) => s.feedId).sort()).toEqual(['arxiv', 'blog']);
      expect(paper.title).toBe(title);
    },
  );
});
