// `paperwire backfill arxiv-oai` through the real CLI against a loopback OAI-PMH repository serving the
// three-page arXivRaw sequence we wrote (test/fixtures/feeds/oai/, dated from this test's clock):
//  - the CLI is killed with SIGKILL while page 2 is in flight; run again, the harvest resumes from the
//    stored resumptionToken and every record lands exactly once;
//  - a 503 with Retry-After delays the page's job (it is not failed) and the page is fetched again;
//  - the same papers arriving through arXiv RSS and API feeds merge into the harvested ones.
import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from '../../../test/support/cli.ts';
import { type FeedServer, startFeedServer } from '../../../test/support/feed-server.ts';
import { type OaiServer, oaiDate, oaiFixture, oaiYymm, startOaiServer } from '../../../test/support/oai.ts';
import { storedObservations } from '../../../test/support/observations.ts';
import { testMongoUri, testRedisUrl, uniquePrefix } from '../../../test/support/services.ts';
import type { BackfillSummary } from '../src/commands/backfill.ts';

/** A killed job's lock expires after 60 s before another worker takes it over; the machine is loaded. */
const SLOW = { timeout: 400_000 };
const BIN = resolve(REPO_ROOT, 'services/cli/bin/paperwire.mjs');

const now = new Date();
const day = (n: number) => oaiDate(now, n).toISOString().slice(0, 10);
/** Day `n`'s instant, as the database stores it (a BSON date: docs/reading-mongodb.md). */
const at = (n: number) => oaiDate(now, n);
const arxivId = (month: number, n: string) => `${oaiYymm(now, month)}.${n}`;
/** The six live records of the three pages (the seventh is deleted). */
const HARVESTED = [
  arxivId(1, '90001'),
  arxivId(2, '90002'),
  arxivId(3, '90004'),
  arxivId(4, '90005'),
  arxivId(4, '90006'),
  arxivId(5, '90007'),
];

let oai: OaiServer;
let feeds: FeedServer;
let mongo: MongoClient;
const env: Record<string, string> = {
  MONGODB_URI: '',
  REDIS_URL: '',
  PAPERWIRE_QUEUE_PREFIX: uniquePrefix('cli-oai'),
  PAPERWIRE_ALLOW_PRIVATE_NETWORKS: 'true',
  PAPERWIRE_SEED_DEFAULT_FEEDS: 'false',
  BUDGET_WEB_HOST_MS: '0',
  BUDGET_ARXIV_MS: '0',
  LOG_LEVEL: 'warn',
};

beforeAll(async () => {
  env.MONGODB_URI = testMongoUri('cli-oai');
  env.REDIS_URL = testRedisUrl();
  oai = await startOaiServer(now);
  env.ARXIV_OAI_BASE = oai.base;
  feeds = await startFeedServer();
  feeds.set('/rss/cs', {
    body: oaiFixture('arxiv-rss-overlap.xml', now),
    contentType: 'application/rss+xml',
  });
  feeds.set('/api/query', {
    body: oaiFixture('arxiv-api-overlap.xml', now),
    contentType: 'application/atom+xml',
  });
  mongo = await new MongoClient(env.MONGODB_URI).connect();
});
afterAll(async () => {
  await mongo?.db().dropDatabase();
  await mongo?.close();
  await oai?.close();
  await feeds?.close();
});

const db = () => mongo.db();
const json = <T>(res: { code: number | null; stdout: string; stderr: string }): T => {
  expect(res.code, res.stderr).toBe(0);
  return JSON.parse(res.stdout) as T;
};

type Summary = BackfillSummary;

const harvest = (from: number) => [
  'backfill',
  'arxiv-oai',
  '--set',
  'cs',
  '--from',
  day(from),
  '--until',
  day(20),
  '--json',
];

/** Polls until `check` holds (loaded machine: generous deadline, no fixed sleeps before asserting). */
async function until<T>(what: string, check: () => Promise<T | undefined>, ms = 120_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function spawnCli(args: string[]): ChildProcess {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  return child;
}

const tokens = () => oai.requests.map((r) => r.params.get('resumptionToken') ?? 'first');

describe('backfill arxiv-oai', SLOW, () => {
  let feedId = '';

  it('resumes after kill -9 from the stored resumptionToken and lands every record once', async () => {
    const held = oai.hold('7391830|3');
    const child = spawnCli(harvest(0));
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    // Page 1 is stored and its successor's cursor saved before page 2 is requested.
    await held.reached;
    const key = `oai.arXivRaw.cs.${day(0)}.${day(20)}`;
    const saved = await db()
      .collection('meta')
      .findOne({ _id: `backfill.${key}` as never });
    expect(saved).toMatchObject({ pages: 1, token: '7391830|3', next: 3, total: 7, records: 2 });
    expect(saved?.completedAt).toBeUndefined();
    child.kill('SIGKILL');
    await exited;
    held.release();

    const done = json<Summary>(await runCli(harvest(0), env, 360_000));
    feedId = done.feedId;
    expect(done).toMatchObject({
      key,
      feedId: 'arxiv-oai-cs',
      pages: 2,
      complete: true,
      next: 7,
      total: 7,
      pagesTotal: 3,
      entriesTotal: 6,
    });
    // Page 1 once; page 2 twice (the request the kill cut off, then the resumed one); page 3 once.
    expect(tokens()).toEqual(['first', '7391830|3', '7391830|3', '7391830|6']);
    const first = oai.requests[0]!.params;
    expect(Object.fromEntries(first)).toEqual({
      verb: 'ListRecords',
      metadataPrefix: 'arXivRaw',
      set: 'cs',
      from: day(0),
      until: day(20),
    });
    expect(Object.fromEntries(oai.requests[3]!.params)).toEqual({
      verb: 'ListRecords',
      resumptionToken: '7391830|6',
    });

    const observations = await storedObservations(db(), { 'provenance.feedId': feedId });
    expect(observations.map((o) => o.ids.arxiv).sort()).toEqual([...HARVESTED].sort());
    const papers = await db()
      .collection('papers')
      .find({ _id: { $in: HARVESTED.map((id) => `arxiv:${id}`) as never[] } })
      .toArray();
    expect(papers).toHaveLength(6);
    for (const p of papers)
      expect(p.sightings.filter((s: { feedId: string }) => s.feedId === feedId)).toHaveLength(1);
    // The deleted record is not a paper.
    expect(
      await db()
        .collection('aliases')
        .countDocuments({ _id: `arxiv:${arxivId(2, '90003')}` as never }),
    ).toBe(0);
    // arXivRaw's version dates: the first appearance is v1's date, every version keeps its own.
    const latent = papers.find((p) => String(p._id) === `arxiv:${arxivId(4, '90005')}`);
    expect(latent).toMatchObject({
      firstSeenAt: at(4),
      latestVersion: 3,
      versions: [
        { version: 1, seenAt: at(4) },
        { version: 2, seenAt: at(7) },
        { version: 3, seenAt: at(9) },
      ],
      primaryCategory: 'cs.LG',
      categories: ['cs.LG', 'cs.DB'],
    });
    const calibrated = papers.find((p) => String(p._id) === `arxiv:${arxivId(2, '90002')}`);
    expect(calibrated?.ids.doi).toBe('10.5555/calib.2026.0002');
    expect(
      await db()
        .collection('feeds')
        .findOne({ _id: feedId as never }),
    ).toMatchObject({
      kind: 'arxiv-oai',
      enabled: false,
    });
  });

  it('a finished harvest does nothing', async () => {
    const requests = oai.requests.length;
    const again = json<Summary>(await runCli(harvest(0), env));
    expect(again).toMatchObject({ pages: 0, newObservations: 0, complete: true, entriesTotal: 6 });
    expect(oai.requests).toHaveLength(requests);
  });

  it('honours 503 + Retry-After by delaying the page job, and writes nothing twice', async () => {
    const requests = oai.requests.length;
    const observationsBefore = await db().collection('observations').countDocuments({});
    oai.busyOnce('7391830|6', 1);
    // Another range: a new harvest of the same records into the same feed.
    const done = json<Summary>(await runCli(harvest(1), env, 240_000));
    expect(done).toMatchObject({ pages: 3, entries: 6, newObservations: 0, complete: true });
    const statuses = oai.requests
      .slice(requests)
      .map((r) => [r.params.get('resumptionToken') ?? 'first', r.status]);
    expect(statuses).toEqual([
      ['first', 200],
      ['7391830|3', 200],
      ['7391830|6', 503],
      ['7391830|6', 200],
    ]);
    expect(await db().collection('observations').countDocuments({})).toBe(observationsBefore);
    // Delayed, not failed: nothing in the fetch queue's dead-letter list.
    const dlq = await runCli(['dlq', 'list', '--json'], env);
    expect(dlq.code, dlq.stderr).toBe(0);
    expect(JSON.parse(dlq.stdout)).toEqual([]);
  });

  it('the same papers from arXiv RSS and the arXiv API merge into the harvested ones', async () => {
    for (const [path, kind] of [
      ['/rss/cs', 'arxiv-rss'],
      ['/api/query', 'arxiv-api'],
    ] as const) {
      const added = await runCli(['feeds', 'add', feeds.url(path), '--kind', kind, '--json'], env);
      expect(added.code, added.stderr).toBe(0);
    }
    const run = await runCli(['run', '--once', '--json'], env, 240_000);
    expect(run.code, run.stderr).toBe(0);
    const papers = await until('RSS and API sightings on the harvested papers', async () => {
      const all = await db()
        .collection('papers')
        .find({ mergedInto: { $exists: false } })
        .toArray();
      const sources = (id: string) =>
        new Set(
          all
            .find((p) => String(p._id) === `arxiv:${id}`)
            ?.sightings.map((s: { feedId: string }) => s.feedId.split('-').slice(0, 2).join('-')),
        );
      const ok =
        sources(arxivId(1, '90001')).has('arxiv-rss') &&
        sources(arxivId(5, '90007')).has('arxiv-rss') &&
        sources(arxivId(3, '90004')).has('arxiv-api') &&
        sources(arxivId(2, '90002')).has('arxiv-api');
      return ok ? all : undefined;
    });
    // Nothing new: four RSS/API entries, all of them papers the harvest already had.
    expect(papers.map((p) => String(p._id)).sort()).toEqual(HARVESTED.map((id) => `arxiv:${id}`).sort());
    const sparse = papers.find((p) => String(p._id) === `arxiv:${arxivId(1, '90001')}`);
    // The RSS `replace` announcement dated day 7 does not move the first appearance (v1, day 1).
    expect(sparse?.firstSeenAt).toEqual(at(1));
    expect(sparse?.versions).toEqual([
      { version: 1, seenAt: at(1) },
      { version: 2, seenAt: at(6) },
    ]);
  });
});
