// The queries of docs/reading-mongodb.md, exactly as the page shows them (read from its ```js blocks), run
// with the plain `mongodb` driver against a database the pipeline filled (observations resolved by the
// resolver into papers and aliases).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { normaliseEntry, type Observation, type SourceEntry } from '@paperwire/core';
import { resolverEnvSchema, startResolver } from '@paperwire/resolver';
import { scorerEnvSchema, startScorer } from '@paperwire/scorer';
import { type Db, MongoClient } from 'mongodb';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testRuntimes } from '../support/runtime.ts';
import { testMongoUri, uniquePrefix } from '../support/services.ts';

const ROOT = join(import.meta.dirname, '../..');
type Doc = Record<string, unknown> & { _id: string; signals?: Record<string, Record<string, number>> };
interface Queries {
  latestPapers(db: Db, limit?: number): Promise<Doc[]>;
  topByHuggingFaceUpvotes(db: Db, from: Date, to: Date, limit?: number): Promise<Doc[]>;
  paperByArxivId(db: Db, arxivId: string): Promise<Doc | null>;
  currentBoard(
    db: Db,
    window?: string,
    category?: string,
  ): Promise<(Doc & { entries: { paperId: string; rank: number; title: string }[] }) | null>;
}

/** The page's ```js blocks, evaluated: each defines one query function. */
async function queriesOfTheDoc(): Promise<{ names: string[]; queries: Queries }> {
  const page = await readFile(join(ROOT, 'docs/reading-mongodb.md'), 'utf8');
  const blocks = [...page.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const names = blocks.map((b) => /^async function (\w+)/.exec(b)?.[1] ?? '(not a function)');
  const queries = new Function(`${blocks.join('\n')}\nreturn { ${names.join(', ')} };`)() as Queries;
  return { names, queries };
}

const { runtime, closeAll } = testRuntimes();
const mongoUri = testMongoUri('docs-reading-mongodb');
const client = new MongoClient(mongoUri);
let db: Db;
const now = Date.now();
const HOUR = 3_600_000;

function observation(
  feedId: string,
  source: SourceEntry['provenance']['source'],
  key: string,
  hoursAgo: number,
  fields: Partial<SourceEntry>,
): Observation {
  const r = normaliseEntry({
    provenance: { feedId, source, entryKey: key, fetchedAt: new Date(now - hoursAgo * HOUR).toISOString() },
    authors: ['Grace Hopper'],
    links: [],
    categories: ['cs.DB'],
    signals: {},
    title: '',
    ids: {},
    ...fields,
  });
  if (!r.ok) throw new Error(r.reason);
  return r.observation;
}

// Four papers: A and B upvoted on HF this week, C on arXiv only, D upvoted most but seen ten days ago.
const corpus = (): Observation[] => [
  observation('arxiv', 'arxiv', 'a', 30, {
    title: 'Alpha: sparse retrieval for tables',
    ids: { arxiv: '2612.00101v1' },
  }),
  observation('hf', 'huggingface', 'a', 29, {
    title: 'Alpha: sparse retrieval for tables',
    ids: { arxiv: '2612.00101', hf: '2612.00101' },
    signals: { upvotes: 30 },
  }),
  observation('arxiv', 'arxiv', 'b', 20, {
    title: 'Beta: causal planning at scale',
    ids: { arxiv: '2612.00102v1' },
  }),
  observation('hf', 'huggingface', 'b', 19, {
    title: 'Beta: causal planning at scale',
    ids: { arxiv: '2612.00102', hf: '2612.00102' },
    signals: { upvotes: 50, comments: 4 },
  }),
  observation('arxiv', 'arxiv', 'c', 2, {
    title: 'Gamma: quantum weather models',
    ids: { arxiv: '2612.00103v1' },
  }),
  observation('hf', 'huggingface', 'd', 240, {
    title: 'Delta: robust speech embeddings',
    ids: { arxiv: '2612.00104', hf: '2612.00104' },
    signals: { upvotes: 99 },
  }),
];

beforeAll(async () => {
  const prefix = uniquePrefix('docs-reading-mongodb');
  const rt = await runtime(prefix, { mongoUri, prefix });
  startResolver(rt, resolverEnvSchema.parse({}));
  const observations = corpus();
  await rt.db.observations.insertNew(observations);
  const id = await rt.queues.enqueue('resolve-batch', {
    feedId: 'all',
    observationIds: observations.map((o) => o._id),
  });
  const deadline = Date.now() + 90_000;
  const finished = async (queue: 'resolve' | 'score', jobId: string) => {
    for (;;) {
      const job = await rt.queues.byName[queue].getJob(jobId);
      if (await job?.isCompleted()) return;
      expect(await job?.isFailed()).toBe(false);
      if (Date.now() > deadline) throw new Error(`${queue} job ${jobId} did not finish`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  await finished('resolve', id);
  // A manual re-score publishes every board (for currentBoard).
  startScorer(rt, scorerEnvSchema.parse({}));
  await finished('score', await rt.queues.enqueue('score-rankings', { reason: 'manual' }));
  await client.connect();
  db = client.db();
}, 120_000);
afterAll(async () => {
  await db?.dropDatabase();
  await client.close();
  await closeAll();
});

it('the page shows exactly three queries', async () => {
  expect((await queriesOfTheDoc()).names).toEqual([
    'latestPapers',
    'topByHuggingFaceUpvotes',
    'paperByArxivId',
    'currentBoard',
  ]);
});

it('latest papers by firstSeenAt', async () => {
  const { queries } = await queriesOfTheDoc();
  const latest = await queries.latestPapers(db, 3);
  expect(latest.map((p) => p._id)).toEqual(['arxiv:2612.00103', 'arxiv:2612.00102', 'arxiv:2612.00101']);
  expect(latest[0]!.firstSeenAt).toBeInstanceOf(Date);
});

it('top papers by Hugging Face upvotes in a date range', async () => {
  const { queries } = await queriesOfTheDoc();
  const week = await queries.topByHuggingFaceUpvotes(db, new Date(now - 7 * 24 * HOUR), new Date(now + HOUR));
  expect(week.map((p) => [p._id, p.signals?.huggingface?.upvotes])).toEqual([
    ['arxiv:2612.00102', 50],
    ['arxiv:2612.00101', 30],
  ]);
  const all = await queries.topByHuggingFaceUpvotes(
    db,
    new Date(now - 30 * 24 * HOUR),
    new Date(now + HOUR),
    1,
  );
  expect(all.map((p) => p._id)).toEqual(['arxiv:2612.00104']);
});

it('a paper by arXiv id through the aliases', async () => {
  const { queries } = await queriesOfTheDoc();
  const paper = await queries.paperByArxivId(db, '2612.00102');
  expect(paper?._id).toBe('arxiv:2612.00102');
  expect(paper?.signals).toEqual({ huggingface: { upvotes: 50, comments: 4 } });
  expect(await queries.paperByArxivId(db, '2612.99999')).toBeNull();
});

it('the current trending board, its rows decompressed', async () => {
  const { queries } = await queriesOfTheDoc();
  const board = await queries.currentBoard(db, '7d', 'all');
  expect(board?.asOf).toBeInstanceOf(Date);
  expect(board?.entryCount).toBe(board?.entries.length);
  // B and A have Hugging Face upvotes this week (B more); C is on arXiv alone; D is ten days old.
  expect(board?.entries.slice(0, 2).map((e) => [e.rank, e.paperId])).toEqual([
    [1, 'arxiv:2612.00102'],
    [2, 'arxiv:2612.00101'],
  ]);
  expect(board?.entries[0]?.title).toBe('Beta: causal planning at scale');
  expect(await queries.currentBoard(db, '24h', 'no.such-category')).toBeNull();
});
