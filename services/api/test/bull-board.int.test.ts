// Bull Board at /admin/queues and the dashboard's reads, against real Redis and FerretDB: the page and
// everything under it want an admin key (x-api-key, or the password of HTTP Basic auth, which a browser can
// send) and challenge with Basic; wrong, revoked and read-only keys are refused; rate limits still count;
// writes from another origin are refused; its API lists exactly our queues. GET /papers/:id/signals answers
// a paper's history by any of its ids, and the dashboard's shell is open with a strict CSP.
/// <reference path="../../../test/setup/global-setup.ts" />
import type { Paper } from '@paperwire/core';
import { QUEUES } from '@paperwire/jobs';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRuntimes } from '../../../test/support/runtime.ts';
import { apiEnvSchema, buildApp } from '../src/index.ts';

const runtimes = testRuntimes();
let app: FastifyInstance;
let keyedReads: FastifyInstance;
let tightLimit: FastifyInstance;
const keys = { admin: '', reader: '', revoked: '', limited: '' };

const basic = (password: string, user = 'ops') => ({
  authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
});

const paper: Paper = {
  _id: 'arxiv:2611.01234',
  ids: { arxiv: '2611.01234', hf: '2611.01234' },
  latestVersion: 1,
  versions: [{ version: 1, seenAt: '2026-11-26T08:00:00.000Z' }],
  title: 'Sparse Causal Models for Retrieval',
  authors: [{ name: 'Ada Lovelace', key: 'a lovelace' }],
  categories: ['cs.LG'],
  firstSeenAt: '2026-11-26T08:00:00.000Z',
  links: { abs: 'https://arxiv.org/abs/2611.01234' },
  sightings: [],
  textSource: { rank: 0, version: 1, at: '2026-11-26T08:00:00.000Z' },
};

beforeAll(async () => {
  const rt = await runtimes.runtime('api-bull-board');
  const config = apiEnvSchema.parse({
    MONGODB_URI: rt.mongoUri,
    REDIS_URL: rt.redisUrl,
    PAPERWIRE_QUEUE_PREFIX: rt.prefix,
  });
  app = buildApp(rt, config);
  keyedReads = buildApp(rt, { ...config, API_READ_REQUIRES_KEY: true });
  tightLimit = buildApp(rt, { ...config, API_RATE_LIMIT_PER_MINUTE: 3 });
  await Promise.all([app.ready(), keyedReads.ready(), tightLimit.ready()]);
  const now = new Date('2026-11-28T10:00:00.000Z');
  keys.admin = (await rt.db.apiKeys.create('ops', ['admin'], now)).key;
  keys.reader = (await rt.db.apiKeys.create('dashboard', ['read'], now)).key;
  keys.revoked = (await rt.db.apiKeys.create('old-ops', ['admin'], now)).key;
  keys.limited = (await rt.db.apiKeys.create('limited', ['admin'], now)).key;
  await rt.db.apiKeys.revoke('old-ops', now);

  await rt.db.papers.put({ ...paper, _id: 'arxiv:2611.07777', ids: { arxiv: '2611.07777' }, title: 'Quiet' });
  await rt.db.papers.put({ _id: 'arxiv:2611.09999', mergedInto: paper._id, mergedAt: now.toISOString() });
  // Stored out of order on purpose: the answer is oldest first.
  await rt.db.papers.put(paper, {
    series: {
      huggingface: {
        feeds: ['hf-daily-x'],
        points: [
          { at: '2026-11-27T09:00:00.000Z', signals: { upvotes: 40, comments: 3 } },
          { at: '2026-11-26T09:00:00.000Z', signals: { upvotes: 5 } },
        ],
      },
      hackernews: { feeds: ['hn-x'], points: [{ at: '2026-11-27T12:00:00.000Z', signals: { points: 120 } }] },
      arxiv: { feeds: ['arxiv-x'], points: [] },
    },
  });
});

afterAll(async () => {
  await Promise.all([app?.close(), keyedReads?.close(), tightLimit?.close()]);
  await runtimes.closeAll();
});

const get = (target: FastifyInstance, url: string, headers: Record<string, string> = {}) =>
  target.inject({ method: 'GET', url, headers });

describe('Bull Board at /admin/queues', () => {
  const ROUTES = ['/admin/queues', '/admin/queues/', '/admin/queues/queue/fetch', '/admin/queues/api/queues'];
  const refusals = [
    ['no credentials', () => ({}), 401],
    ['a wrong key as the Basic password', () => basic('pw_not-a-key-we-made'), 401],
    ['Basic without a password', () => basic(''), 401],
    ['a revoked key', () => basic(keys.revoked), 401],
    ['a wrong x-api-key', () => ({ 'x-api-key': 'pw_not-a-key-we-made' }), 401],
    ['a read-only key', () => basic(keys.reader), 403],
    ['a read-only x-api-key', () => ({ 'x-api-key': keys.reader }), 403],
  ] as const;

  describe.each(ROUTES)('%s', (url) => {
    it.each(refusals)('refuses %s', async (_what, headers, status) => {
      const res = await get(app, url, headers());
      expect(res.statusCode).toBe(status);
      expect(res.json()).toEqual({
        error: { code: status === 401 ? 'unauthorized' : 'forbidden', message: expect.any(String) },
      });
      if (status === 401) expect(res.headers['www-authenticate']).toBe('Basic realm="paperwire admin"');
    });
  });

  it('serves the UI to an admin key sent as the Basic password (any user name) or as x-api-key', async () => {
    for (const headers of [basic(keys.admin), basic(keys.admin, ''), { 'x-api-key': keys.admin }]) {
      const res = await get(app, '/admin/queues', headers);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.body).toContain('<base href="/admin/queues/"');
      expect(res.body).toContain('Paperwire queues');
    }
    const asset = await get(app, '/admin/queues/static/images/logo.svg', basic(keys.admin));
    expect(asset.statusCode).toBe(200);
    expect((await get(app, '/admin/queues/static/images/logo.svg')).statusCode).toBe(401);
  });

  it('lists every queue of the runtime through its API', async () => {
    const res = await get(app, '/admin/queues/api/queues', basic(keys.admin));
    expect(res.statusCode).toBe(200);
    const names = (res.json() as { queues: { name: string }[] }).queues.map((q) => q.name);
    expect(names.sort()).toEqual([...QUEUES].sort());
  });

  it('takes a queue action from its own origin only', async () => {
    const pause = (headers: Record<string, string>): InjectOptions => ({
      method: 'PUT',
      url: '/admin/queues/api/queues/events/pause',
      headers: { host: 'paperwire.test', ...headers },
    });
    expect((await app.inject(pause({}))).statusCode).toBe(401);
    expect((await app.inject(pause(basic(keys.reader)))).statusCode).toBe(403);
    const forged = await app.inject(pause({ ...basic(keys.admin), origin: 'https://evil.example' }));
    expect(forged.statusCode).toBe(403);
    expect(forged.json().error.code).toBe('forbidden');
    const own = await app.inject(pause({ ...basic(keys.admin), origin: 'http://paperwire.test' }));
    expect(own.statusCode).toBe(200);
    const resumed = await app.inject({
      ...pause({ ...basic(keys.admin), origin: 'http://paperwire.test' }),
      url: '/admin/queues/api/queues/events/resume',
    });
    expect(resumed.statusCode).toBe(200);
  });

  it('accepts Basic credentials on Bull Board only: the API routes still want x-api-key or Bearer', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/rescore',
      headers: basic(keys.admin),
      payload: {},
    });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toContain('Bearer');
  });

  it('counts Bull Board requests against the key’s rate limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await get(tightLimit, '/admin/queues', basic(keys.limited))).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await get(tightLimit, '/admin/queues', basic(keys.limited));
    expect(limited.headers['retry-after']).toEqual(expect.any(String));
  });
});

describe('GET /papers/:id/signals', () => {
  it('answers one series per source and signal, oldest point first, by any id of the paper', async () => {
    for (const id of ['arxiv:2611.01234', '2611.01234', 'https://arxiv.org/abs/2611.01234v1']) {
      const res = await get(app, `/papers/${encodeURIComponent(id)}/signals`);
      expect(res.statusCode, id).toBe(200);
      expect(res.json()).toEqual({
        paperId: 'arxiv:2611.01234',
        series: [
          {
            source: 'hackernews',
            signal: 'points',
            points: [{ at: '2026-11-27T12:00:00.000Z', value: 120 }],
          },
          {
            source: 'huggingface',
            signal: 'comments',
            points: [{ at: '2026-11-27T09:00:00.000Z', value: 3 }],
          },
          {
            source: 'huggingface',
            signal: 'upvotes',
            points: [
              { at: '2026-11-26T09:00:00.000Z', value: 5 },
              { at: '2026-11-27T09:00:00.000Z', value: 40 },
            ],
          },
        ],
      });
    }
  });

  it('answers an empty list for a paper without history, 301 for a merged-away id, 404 and 414', async () => {
    const quiet = await get(app, '/papers/arxiv:2611.07777/signals');
    expect(quiet.json()).toEqual({ paperId: 'arxiv:2611.07777', series: [] });

    const moved = await get(app, '/papers/arxiv:2611.09999/signals');
    expect(moved.statusCode).toBe(301);
    expect(moved.headers.location).toBe(`/papers/${encodeURIComponent(paper._id)}/signals`);

    const missing = await get(app, '/papers/arxiv:2611.00000/signals');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: { code: 'not-found', message: expect.any(String) } });

    // Longer than Fastify's parameter limit: refused before the handler, still with our error body.
    const tooLong = await get(app, `/papers/${'9'.repeat(501)}/signals`);
    expect(tooLong.statusCode).toBe(414);
    expect(tooLong.json()).toEqual({ error: { code: 'bad-request', message: expect.any(String) } });
  });

  it('wants a key when reads do, while the dashboard’s shell stays open', async () => {
    expect((await get(keyedReads, '/papers/arxiv:2611.01234/signals')).statusCode).toBe(401);
    const keyed = await get(keyedReads, '/papers/arxiv:2611.01234/signals', { 'x-api-key': keys.reader });
    expect(keyed.statusCode).toBe(200);
    for (const url of ['/dashboard', '/dashboard/app.js', '/dashboard/style.css'])
      expect((await get(keyedReads, url)).statusCode, url).toBe(200);
  });
});

describe('GET /dashboard', () => {
  it('serves the page and its two files with a strict Content-Security-Policy, nothing from elsewhere', async () => {
    const page = await get(app, '/dashboard');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.body).toContain('<script type="module" src="/dashboard/app.js">');
    expect(page.body).not.toMatch(/(src|href)="(https?:)?\/\//);

    const script = await get(app, '/dashboard/app.js');
    expect(script.headers['content-type']).toContain('text/javascript');
    expect(script.headers['content-security-policy']).toBe(csp);
    // Data reaches the page as text: the script never assigns markup.
    expect(script.body).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
    expect((await get(app, '/dashboard/style.css')).headers['content-type']).toContain('text/css');
  });
});
