// Operating the pipeline through the real CLI: `queues`, the dead-letter list, `doctor`, `replay`,
// `backfill arxiv` (backfill-page jobs) against a loopback arXiv API, and GET /metrics.

import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, createConnection, createServer as createTcpServer } from 'node:net';
import { resolve } from 'node:path';
import { QUEUES } from '@paperwire/jobs';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../../../test/support/cli.ts';
import { type FeedServer, startFeedServer } from '../../../test/support/feed-server.ts';
import { testMongoUri, testRedisUrl, uniquePrefix } from '../../../test/support/services.ts';

/** Each test runs the CLI several times; on a loaded two-core runner one run can take 10 s or more. */
const SLOW = { timeout: 240_000 };

const FIXTURES = resolve(import.meta.dirname, 'fixtures');
const page = (n: number) => readFileSync(resolve(FIXTURES, `arxiv-backfill-page-${n}.xml`), 'utf8');

function labFeed(now: Date): string {
  const item = (n: number, id: string, title: string) => `
  <item>
    <title>${title}</title>
    <link>https://arxiv.org/abs/${id}v1</link>
    <guid isPermaLink="false">ops-${n}</guid>
    <dc:creator>Ada Lovelace</dc:creator>
    <pubDate>${new Date(now.getTime() - n * 3_600_000).toUTCString()}</pubDate>
    <category>cs.LG</category>
    <description>Paper ${n} for the operations test.</description>
  </item>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Ops lab feed</title><link>http://127.0.0.1/</link><description>ops</description>
${item(1, '2611.07001', 'Operating Pipelines at Scale')}
${item(2, '2611.07002', 'Dead Letters and Their Retries')}
${item(3, '2611.07003', 'Doctor, Doctor: Health Checks for Queues')}
</channel></rss>`;
}

interface ArxivApi {
  base: string;
  requests: URLSearchParams[];
  failStartOnce: Set<number>;
  close(): Promise<void>;
}

/** Serves the three recorded pages by `start`; a start in `failStartOnce` answers 500 once. */
async function startArxivApi(): Promise<ArxivApi> {
  const requests: URLSearchParams[] = [];
  const failStartOnce = new Set<number>();
  const pages = new Map([
    [0, page(1)],
    [2, page(2)],
    [4, page(3)],
  ]);
  const server: Server = createServer((req, res) => {
    const params = new URL(req.url ?? '/', 'http://x').searchParams;
    requests.push(params);
    const start = Number(params.get('start'));
    const body = pages.get(start);
    if (failStartOnce.delete(start)) res.writeHead(500, { 'content-type': 'text/plain' }).end('overloaded');
    else if (!body) res.writeHead(404).end();
    else res.writeHead(200, { 'content-type': 'application/atom+xml; charset=utf-8' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}/api/query`,
    requests,
    failStartOnce,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

let feeds: FeedServer;
let labFeedBody = '';
let arxiv: ArxivApi;
let mongo: MongoClient;
const env: Record<string, string> = {
  MONGODB_URI: '',
  REDIS_URL: '',
  PAPERWIRE_QUEUE_PREFIX: uniquePrefix('cli-ops'),
  PAPERWIRE_ALLOW_PRIVATE_NETWORKS: 'true',
  PAPERWIRE_SEED_DEFAULT_FEEDS: 'false',
  BUDGET_WEB_HOST_MS: '0',
  BUDGET_ARXIV_MS: '0',
  LOG_LEVEL: 'warn',
};

const json = <T>(res: { code: number | null; stdout: string; stderr: string }, code = 0): T => {
  expect(res.code, res.stderr).toBe(code);
  return JSON.parse(res.stdout) as T;
};

beforeAll(async () => {
  env.MONGODB_URI = testMongoUri('cli-ops');
  env.REDIS_URL = testRedisUrl();
  feeds = await startFeedServer();
  labFeedBody = labFeed(new Date());
  feeds.set('/lab.rss', { body: labFeedBody, contentType: 'application/rss+xml' });
  arxiv = await startArxivApi();
  env.ARXIV_API_BASE = arxiv.base;
  mongo = await new MongoClient(env.MONGODB_URI).connect();
});
afterAll(async () => {
  await mongo?.db().dropDatabase();
  await mongo?.close();
  await feeds?.close();
  await arxiv?.close();
});

const observations = () => mongo.db().collection('observations');

interface QueueStatsJson {
  queue: string;
  counts: Record<string, number>;
  oldestWaitingSeconds: number;
  completedPerMinute: number;
  failedPerMinute: number;
}
interface DeadJobJson {
  queue: string;
  id: string;
  name: string;
  failedReason: string;
  attemptsMade: number;
  data: { feedId: string };
  finishedOn: string;
}

describe('queues and the dead-letter list', SLOW, () => {
  let goneId = '';

  it('queues counts a job enqueued by feeds fetch-now', async () => {
    goneId = json<{ _id: string }>(
      await runCli(['feeds', 'add', feeds.url('/gone.rss'), '--kind', 'rss', '--json'], env),
    )._id;
    // Paused: no scheduled jobs of its own; a manual fetch still runs.
    expect((await runCli(['feeds', 'pause', goneId], env)).code).toBe(0);
    const queued = json<{ jobId: string }>(await runCli(['feeds', 'fetch-now', goneId, '--json'], env));
    expect(queued.jobId).toContain(goneId);

    const stats = json<QueueStatsJson[]>(await runCli(['queues', '--json'], env));
    expect(stats.map((s) => s.queue)).toEqual([...QUEUES]);
    const fetch = stats.find((s) => s.queue === 'fetch')!;
    expect(fetch.counts.waiting).toBeGreaterThanOrEqual(1);
    expect(fetch.oldestWaitingSeconds).toBeGreaterThanOrEqual(0);
    expect(typeof fetch.completedPerMinute).toBe('number');

    const table = await runCli(['queues'], env);
    expect(table.stdout).toMatch(/^queue\s+waiting\s+active/);
  });

  it('a fetch that fails for good (404) is listed, retried and dropped', async () => {
    const waited = await runCli(['feeds', 'fetch-now', goneId, '--wait', '--json'], env);
    expect(waited.code, waited.stderr).toBe(1);
    expect(JSON.parse(waited.stdout)).toMatchObject({ state: 'failed', health: { status: 'failing' } });

    const dead = json<DeadJobJson[]>(await runCli(['dlq', 'list', '--json'], env));
    expect(dead.length).toBeGreaterThanOrEqual(2);
    for (const job of dead) {
      expect(job).toMatchObject({
        queue: 'fetch',
        name: 'fetch-feed',
        attemptsMade: 1,
        data: { feedId: goneId },
      });
      expect(job.failedReason).toMatch(/404/);
      expect(Date.parse(job.finishedOn)).toBeGreaterThan(0);
    }
    const first = dead[0]!.id;

    expect((await runCli(['dlq', 'retry', 'no-such-job'], env)).code).toBe(1);
    expect(json(await runCli(['dlq', 'retry', first, '--json'], env))).toEqual({
      retried: [{ queue: 'fetch', id: first }],
    });
    const after = json<DeadJobJson[]>(await runCli(['dlq', 'list', '--queue', 'fetch', '--json'], env));
    expect(after.map((j) => j.id)).not.toContain(first);
    const fetch = json<QueueStatsJson[]>(await runCli(['queues', '--json'], env))[0]!;
    expect(fetch.counts.waiting).toBeGreaterThanOrEqual(1);

    // The retried job runs again (and fails again: the feed is still gone).
    expect((await runCli(['feeds', 'fetch-now', goneId, '--wait'], env)).code).toBe(1);
    const again = json<DeadJobJson[]>(await runCli(['dlq', 'list', '--json'], env));
    expect(again.map((j) => j.id)).toContain(first);

    const dropped = json<{ dropped: { id: string }[] }>(
      await runCli(['dlq', 'drop', '--all', '--json'], env),
    );
    expect(dropped.dropped.map((d) => d.id)).toEqual(expect.arrayContaining([first]));
    expect(json(await runCli(['dlq', 'list', '--json'], env))).toEqual([]);
    expect((await runCli(['dlq', 'list'], env)).stdout).toContain('no failed jobs');
  });
});

// Six CLI runs: on a loaded two-core runner each start costs up to ~40 s.
describe('replay', { timeout: 400_000 }, () => {
  let labId = '';

  it('re-ingests archived payloads, and writes nothing new when nothing changed', async () => {
    labId = json<{ _id: string }>(
      await runCli(['feeds', 'add', feeds.url('/lab.rss'), '--kind', 'rss', '--json'], env),
    )._id;
    const fetched = json<{ state: string; result: { outcome: string } }>(
      await runCli(['feeds', 'fetch-now', labId, '--wait', '--json'], env),
    );
    // The feed's first scheduled job may have stored it already; this manual one then gets a 304.
    expect(fetched.state).toBe('completed');
    expect(['stored', 'not-modified']).toContain(fetched.result.outcome);
    const stored = await observations().countDocuments({ 'provenance.feedId': labId });
    expect(stored).toBe(3);
    const papers = await mongo.db().collection('papers').countDocuments();

    // Lose the observations: the archive still has the payload they came from.
    await observations().deleteMany({ 'provenance.feedId': labId });
    const first = json<{ payloads: number; newObservations: number; papers: number }>(
      await runCli(['replay', '--feed', labId, '--json'], env),
    );
    expect(first).toMatchObject({ payloads: 1, newObservations: 3, papers });
    expect(await observations().countDocuments({ 'provenance.feedId': labId })).toBe(3);

    const before = await mongo.db().collection('papers').find().sort({ _id: 1 }).toArray();
    const second = json<{ payloads: number; newObservations: number; papers: number }>(
      await runCli(['replay', '--json'], env),
    );
    expect(second).toMatchObject({ payloads: 1, newObservations: 0, papers });
    expect(await mongo.db().collection('papers').find().sort({ _id: 1 }).toArray()).toEqual(before);

    // The archive gzips bodies; a payload archived before that holds its body as text, and still replays.
    const payloads = mongo.db().collection<{ _id: string; bodyGzip?: unknown; body?: string }>('payloads');
    const [archived] = await payloads.find({ feedId: labId }).toArray();
    expect(archived?.bodyGzip).toBeDefined();
    expect(archived?.body).toBeUndefined();
    const { bodyGzip: _gz, ...old } = archived!;
    await payloads.replaceOne({ _id: old._id }, { ...old, body: labFeedBody });
    await observations().deleteMany({ 'provenance.feedId': labId });
    const fromOld = json<{ payloads: number; newObservations: number }>(
      await runCli(['replay', '--feed', labId, '--json'], env),
    );
    expect(fromOld).toMatchObject({ payloads: 1, newObservations: 3 });

    expect((await runCli(['replay', '--feed', 'no-such-feed'], env)).code).toBe(1);
  });
});

describe('backfill arxiv', SLOW, () => {
  const args = [
    'backfill',
    'arxiv',
    '--category',
    'cs.LG',
    '--from',
    '2026-11-01',
    '--to',
    '2026-11-28',
    '--page-size',
    '2',
    '--json',
  ];
  interface Summary {
    feedId: string;
    pages: number;
    newObservations: number;
    next: number;
    total: number;
    complete: boolean;
  }

  it('pages the API as backfill-page jobs; a failing page is retried by its job', async () => {
    arxiv.failStartOnce.add(2);
    const done = json<Summary>(await runCli(args, env));
    expect(done).toMatchObject({ pages: 3, newObservations: 5, next: 5, total: 5, complete: true });
    expect(arxiv.requests.map((r) => r.get('start'))).toEqual(['0', '2', '2', '4']);
    const first = arxiv.requests[0]!;
    expect(first.get('search_query')).toBe('cat:cs.LG AND submittedDate:[202611010000 TO 202611282359]');
    expect(first.get('max_results')).toBe('2');
    expect(first.get('sortBy')).toBe('submittedDate');
    expect(await observations().countDocuments({ 'provenance.feedId': done.feedId })).toBe(5);
    const paper = json<{ _id: string }>(await runCli(['papers', 'get', '2611.10003', '--json'], env));
    expect(paper._id).toBe('arxiv:2611.10003');
  });

  it('a finished backfill does nothing', async () => {
    const again = json<Summary>(await runCli(args, env));
    expect(again).toMatchObject({ pages: 0, newObservations: 0, complete: true, total: 5 });
    expect(arxiv.requests).toHaveLength(4);
  });
});

async function freePort(): Promise<number> {
  const srv = createTcpServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as AddressInfo;
  await new Promise((r) => srv.close(r));
  return port;
}

async function waitForPort(port: number, deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const ok = await new Promise<boolean>((r) => {
      const socket = createConnection({ port, host: '127.0.0.1' });
      socket.once('connect', () => {
        socket.destroy();
        r(true);
      });
      socket.once('error', () => r(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`redis-server on ${port} did not start`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('doctor', SLOW, () => {
  interface DoctorJson {
    ok: boolean;
    checks: { check: string; status: string; detail: string }[];
  }
  const status = (d: DoctorJson, check: string) => d.checks.find((c) => c.check === check)?.status;

  it('passes against the test servers', async () => {
    const report = json<DoctorJson>(await runCli(['doctor', '--json'], env));
    expect(report.ok).toBe(true);
    for (const check of [
      'servers',
      'redis reachable',
      'redis maxmemory-policy',
      'database reachable',
      'database server',
      'indexes',
    ]) {
      expect(status(report, check), check).toBe('ok');
    }
    expect(['ok', 'warn']).toContain(status(report, 'clock skew'));
    expect(['ok', 'warn']).toContain(status(report, 'disk space'));
    expect(report.checks.find((c) => c.check === 'servers')?.detail).toContain('configured');
  });

  it('fails (exit 1) when Redis may evict keys', async () => {
    const port = await freePort();
    const redis: ChildProcess = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--maxmemory-policy',
        'allkeys-lru',
      ],
      { stdio: 'ignore' },
    );
    try {
      await waitForPort(port, 10_000);
      const res = await runCli(['doctor', '--json'], { ...env, REDIS_URL: `redis://127.0.0.1:${port}` });
      const report = json<DoctorJson>(res, 1);
      expect(report.ok).toBe(false);
      expect(status(report, 'redis maxmemory-policy')).toBe('fail');
      expect(report.checks.find((c) => c.check === 'redis maxmemory-policy')?.detail).toContain(
        'allkeys-lru',
      );
      expect(status(report, 'database reachable')).toBe('ok');
    } finally {
      const exited = new Promise((r) => redis.once('exit', r));
      redis.kill('SIGTERM');
      await exited;
    }
  });
});

describe('GET /metrics', SLOW, () => {
  it('serves Prometheus text with queue gauges and the pipeline counters', async () => {
    const api = await startCli(
      ['start', '--only', 'api,fetcher,resolver,scorer'],
      { ...env, PORT: '0' },
      /API on (http:\/\/\S+) /,
    );
    try {
      const base = api.match[1]!;
      // On the API port /metrics wants an admin key (sent as a Prometheus scrape config does: Bearer).
      const { key } = json<{ key: string }>(
        await runCli(['apikeys', 'create', 'metrics-scraper', '--scope', 'admin', '--json'], env),
      );
      expect((await fetch(`${base}/metrics`)).status).toBe(401);
      const lab = json<{ _id: string; url: string }[]>(await runCli(['feeds', 'list', '--json'], env)).find(
        (f) => f.url.endsWith('/lab.rss'),
      )!;
      expect((await runCli(['feeds', 'fetch-now', lab._id], env)).code).toBe(0);

      // The fetch runs in the started process; wait for its counter rather than for a fixed time.
      const deadline = Date.now() + 30_000;
      let text = '';
      const done = [
        /paperwire_fetches_total\{source="web",outcome="not-modified",error_class="none"\} 1/,
        /paperwire_jobs_total\{queue="fetch",job="fetch-feed",outcome="completed"\} 1/,
      ];
      while (!done.every((re) => re.test(text))) {
        if (Date.now() > deadline) throw new Error(`fetch not counted:\n${text}`);
        await new Promise((r) => setTimeout(r, 200));
        const res = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${key}` } });
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toContain('text/plain');
        text = await res.text();
      }
      for (const name of [
        '# TYPE paperwire_queue_jobs gauge',
        'paperwire_queue_jobs{queue="fetch",state="waiting"}',
        'paperwire_queue_oldest_waiting_seconds{queue="resolve"}',
        '# TYPE paperwire_score_lag_seconds gauge',
        '# TYPE paperwire_job_duration_seconds histogram',
        '# TYPE paperwire_entries_parsed_total counter',
        '# TYPE paperwire_papers_total counter',
        '# TYPE paperwire_dedup_decisions_total counter',
        'paperwire_process_cpu_seconds_total',
      ]) {
        expect(text, name).toContain(name);
      }
      expect(text).toMatch(/^paperwire_score_lag_seconds \d/m);
    } finally {
      expect(await api.stop()).toBe(143);
    }
  });
});
