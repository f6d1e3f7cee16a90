// API keys and the write routes against real Redis and FerretDB: every write route refuses a missing,
// wrong, revoked or read-only key; reads are public unless API_READ_REQUIRES_KEY; feed writes move the
// BullMQ job scheduler at once; operator-shaped bodies and parameters are a 400; rate limits answer 429
// with Retry-After; keys are stored only as hashes and never reach the logs.
/// <reference path="../../../test/setup/global-setup.ts" />
import { createHash } from 'node:crypto';
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createLogger } from '@paperwire/platform';
import { createRuntime, feedRegistry, type Runtime } from '@paperwire/runtime';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMongoUri, testRedisUrl, uniquePrefix } from '../../../test/support/services.ts';
import { apiEnvSchema, buildApp } from '../src/index.ts';

// Every log line of this file's runtime (and so of its apps' request logs), to prove keys never appear.
const logLines: string[] = [];
const log = createLogger({
  service: 'test',
  level: 'info',
  destination: { write: (line: string) => void logLines.push(line) },
});

let rt: Runtime;
let app: FastifyInstance;
let keyedReads: FastifyInstance;
const keys = { admin: '', reader: '', revoked: '' };

beforeAll(async () => {
  const config = apiEnvSchema.parse({
    MONGODB_URI: testMongoUri('api-auth'),
    REDIS_URL: testRedisUrl(),
    PAPERWIRE_QUEUE_PREFIX: uniquePrefix('api-auth'),
  });
  rt = await createRuntime(config, log);
  app = buildApp(rt, config);
  keyedReads = buildApp(rt, { ...config, API_READ_REQUIRES_KEY: true });
  await Promise.all([app.ready(), keyedReads.ready()]);
  const now = new Date('2026-11-28T10:00:00.000Z');
  keys.admin = (await rt.db.apiKeys.create('ops', ['admin'], now)).key;
  keys.reader = (await rt.db.apiKeys.create('dashboard', ['read'], now)).key;
  keys.revoked = (await rt.db.apiKeys.create('old-ci', ['admin'], now)).key;
  await rt.db.apiKeys.revoke('old-ci', now);
});

afterAll(async () => {
  await app?.close();
  await keyedReads?.close();
  await rt?.shutdown.run('test done');
});

const withKey = (key: string) => ({ 'x-api-key': key });
const send = (target: FastifyInstance, opts: InjectOptions) => target.inject(opts);

const MISSING_FEED = 'rss-example-org-feed-abc123';
const WRITES: [string, InjectOptions][] = [
  ['POST /feeds', { method: 'POST', url: '/feeds', payload: { url: 'https://example.org/refused.xml' } }],
  ['PATCH /feeds/:id', { method: 'PATCH', url: `/feeds/${MISSING_FEED}`, payload: { enabled: false } }],
  ['DELETE /feeds/:id', { method: 'DELETE', url: `/feeds/${MISSING_FEED}` }],
  ['POST /feeds/:id/fetch', { method: 'POST', url: `/feeds/${MISSING_FEED}/fetch` }],
  ['POST /rescore', { method: 'POST', url: '/rescore', payload: {} }],
];

describe('write routes', () => {
  const refusals = [
    ['no key', () => ({}), 401],
    ['a wrong key', () => withKey('pw_not-a-key-we-made'), 401],
    ['a wrong Bearer token', () => ({ authorization: 'Bearer pw_not-a-key-we-made' }), 401],
    ['a revoked key', () => withKey(keys.revoked), 401],
    ['a read-only key', () => withKey(keys.reader), 403],
  ] as const;

  describe.each(WRITES)('%s', (_name, request) => {
    it.each(refusals)('refuses %s', async (_what, headers, status) => {
      const res = await send(app, { ...request, headers: headers() });
      expect(res.statusCode).toBe(status);
      expect(res.json()).toEqual({
        error: { code: status === 401 ? 'unauthorized' : 'forbidden', message: expect.any(String) },
      });
      if (status === 401) expect(res.headers['www-authenticate']).toContain('Bearer');
    });
  });

  it('changed nothing while refusing', async () => {
    expect(await rt.db.feeds.findByUrl('https://example.org/refused.xml')).toBeUndefined();
    expect(await rt.queues.byName.score.getJobCounts('waiting', 'delayed')).toEqual({
      waiting: 0,
      delayed: 0,
    });
  });

  it('adds a feed (kind guessed), moves its job scheduler on PATCH and removes both on DELETE', async () => {
    const url = 'https://export.arxiv.org/api/query?search_query=cat:cs.LG&sortBy=submittedDate';
    const created = await send(app, {
      method: 'POST',
      url: '/feeds',
      headers: withKey(keys.admin),
      payload: { url, intervalMinutes: 45 },
    });
    expect(created.statusCode).toBe(201);
    const feed = created.json();
    expect(feed).toMatchObject({
      url,
      kind: 'arxiv-api',
      source: 'arxiv',
      enabled: true,
      intervalMinutes: 45,
    });
    expect(created.headers.location).toBe(`/feeds/${feed.id}`);
    const fetchQueue = rt.queues.byName.fetch;
    expect((await fetchQueue.getJobScheduler(`feed.${feed.id}`))?.every).toBe(45 * 60_000);

    const again = await send(app, {
      method: 'POST',
      url: '/feeds',
      headers: { authorization: `Bearer ${keys.admin}` },
      payload: { url },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('feed-exists');

    const slower = await send(app, {
      method: 'PATCH',
      url: `/feeds/${feed.id}`,
      headers: withKey(keys.admin),
      payload: { intervalMinutes: 120 },
    });
    expect(slower.statusCode).toBe(200);
    expect(slower.json().intervalMinutes).toBe(120);
    expect((await fetchQueue.getJobScheduler(`feed.${feed.id}`))?.every).toBe(120 * 60_000);

    const fetched = await send(app, {
      method: 'POST',
      url: `/feeds/${feed.id}/fetch`,
      headers: withKey(keys.admin),
    });
    expect(fetched.statusCode).toBe(202);
    const job = await fetchQueue.getJob(fetched.json().jobId);
    expect(job?.data).toEqual({ feedId: feed.id, reason: 'manual' });
    await job?.remove();

    const paused = await send(app, {
      method: 'PATCH',
      url: `/feeds/${feed.id}`,
      headers: withKey(keys.admin),
      payload: { enabled: false },
    });
    expect(paused.statusCode).toBe(200);
    expect(paused.json().enabled).toBe(false);
    expect(await fetchQueue.getJobScheduler(`feed.${feed.id}`)).toBeUndefined();
    expect((await rt.db.feeds.get(feed.id))?.enabled).toBe(false);

    const removed = await send(app, {
      method: 'DELETE',
      url: `/feeds/${feed.id}`,
      headers: withKey(keys.admin),
    });
    expect(removed.statusCode).toBe(204);
    expect(await rt.db.feeds.get(feed.id)).toBeUndefined();
    expect(await fetchQueue.getJobScheduler(`feed.${feed.id}`)).toBeUndefined();

    const gone = await send(app, {
      method: 'DELETE',
      url: `/feeds/${feed.id}`,
      headers: withKey(keys.admin),
    });
    expect(gone.statusCode).toBe(404);
    expect(gone.json().error.code).toBe('feed-unknown');
  });

  it('turns registry refusals into 400 and 404', async () => {
    const bad = await send(app, {
      method: 'POST',
      url: '/feeds',
      headers: withKey(keys.admin),
      payload: { url: 'ftp://example.org/feed' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('feed-invalid');
    const unknown = await send(app, {
      method: 'PATCH',
      url: `/feeds/${MISSING_FEED}`,
      headers: withKey(keys.admin),
      payload: { enabled: true },
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('feed-unknown');
  });

  it.each([
    'file:///etc/passwd',
    'file:///etc/',
    'FILE:///etc/passwd',
    ' file:///etc/passwd',
    'file://localhost/etc/passwd',
    'file:///srv/feeds/../../etc/passwd',
  ])('refuses the file URL %j with a 400 that says where file feeds come from', async (url) => {
    const before = (await rt.db.feeds.list()).length;
    const res = await send(app, {
      method: 'POST',
      url: '/feeds',
      headers: withKey(keys.admin),
      payload: { url, kind: 'rss' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toEqual({
      code: 'feed-invalid',
      message: expect.stringMatching(
        /does not accept file: URLs.*paperwire feeds add.*PAPERWIRE_FILE_FEEDS_ROOT/,
      ),
    });
    expect(await rt.db.feeds.list()).toHaveLength(before);
  });

  it('refuses to resume a file feed (the CLI registered it); pausing it is fine', async () => {
    const root = await realpath(await mkdtemp(join(tmpdir(), 'pw-api-file-root-')));
    try {
      const cli = feedRegistry(rt.db, rt.queues, { fileFeeds: { root } });
      const feed = await cli.add(
        { url: pathToFileURL(join(root, 'lab.xml')).href, kind: 'rss', intervalMinutes: 60 },
        new Date(),
      );
      const paused = await send(app, {
        method: 'PATCH',
        url: `/feeds/${feed._id}`,
        headers: withKey(keys.admin),
        payload: { enabled: false },
      });
      expect(paused.statusCode).toBe(200);
      const resumed = await send(app, {
        method: 'PATCH',
        url: `/feeds/${feed._id}`,
        headers: withKey(keys.admin),
        payload: { enabled: true, intervalMinutes: 5 },
      });
      expect(resumed.statusCode).toBe(400);
      expect(resumed.json().error.message).toMatch(/paperwire feeds add/);
      expect(await rt.db.feeds.get(feed._id)).toMatchObject({ enabled: false, intervalMinutes: 60 });
      await cli.remove(feed._id);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('queues a manual re-score and answers 202 with its job id', async () => {
    const res = await send(app, {
      method: 'POST',
      url: '/rescore',
      headers: withKey(keys.admin),
      payload: { windows: ['24h'] },
    });
    expect(res.statusCode).toBe(202);
    const job = await rt.queues.byName.score.getJob(res.json().jobId);
    expect(job?.name).toBe('score-rankings');
    expect(job?.data).toEqual({ reason: 'manual', windows: ['24h'] });
    await job?.remove();
  });

  it.each([
    ['an operator as the url', 'POST', '/feeds', { url: { $ne: 1 } }],
    ['a $where key', 'POST', '/feeds', { $where: '1' }],
    ['a $where beside a url', 'POST', '/feeds', { url: 'https://example.org/x.xml', $where: '1' }],
    ['an unknown kind', 'POST', '/feeds', { url: 'https://example.org/x.xml', kind: 'gopher' }],
    ['an operator as enabled', 'PATCH', `/feeds/${MISSING_FEED}`, { enabled: { $ne: true } }],
    ['an empty change', 'PATCH', `/feeds/${MISSING_FEED}`, {}],
    ['an unknown window', 'POST', '/rescore', { windows: ['1y'] }],
    ['a dotted key', 'POST', '/rescore', { 'windows.0': '24h' }],
  ] as const)('refuses %s with a 400', async (_name, method, url, payload) => {
    const res = await send(app, { method, url, headers: withKey(keys.admin), payload });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: { code: 'invalid-request', message: expect.any(String) } });
  });

  it('refuses a feed id that is not one, before the registry sees it', async () => {
    const res = await send(app, { method: 'DELETE', url: '/feeds/%24ne', headers: withKey(keys.admin) });
    expect(res.statusCode).toBe(400);
  });
});

describe('read routes', () => {
  it('are public by default, and refuse a wrong key', async () => {
    expect((await send(app, { method: 'GET', url: '/feeds' })).statusCode).toBe(200);
    expect((await send(app, { method: 'GET', url: '/papers' })).statusCode).toBe(200);
    const wrong = await send(app, { method: 'GET', url: '/feeds', headers: withKey('pw_wrong') });
    expect(wrong.statusCode).toBe(401);
  });

  it('want a key when API_READ_REQUIRES_KEY=true: any valid key, read or admin', async () => {
    for (const url of ['/feeds', '/papers', '/trending', '/metrics']) {
      const anonymous = await send(keyedReads, { method: 'GET', url });
      expect(anonymous.statusCode, url).toBe(401);
      expect(anonymous.json().error.code).toBe('unauthorized');
      const revoked = await send(keyedReads, { method: 'GET', url, headers: withKey(keys.revoked) });
      expect(revoked.statusCode, url).toBe(401);
    }
    expect(
      (await send(keyedReads, { method: 'GET', url: '/feeds', headers: withKey(keys.reader) })).statusCode,
    ).toBe(200);
    const bearer = await send(keyedReads, {
      method: 'GET',
      url: '/papers',
      headers: { authorization: `Bearer ${keys.admin}` },
    });
    expect(bearer.statusCode).toBe(200);
    // Probes and the description stay open.
    for (const url of ['/health', '/ready', '/openapi.json']) {
      expect((await send(keyedReads, { method: 'GET', url })).statusCode, url).toBe(200);
    }
  });

  it('GET /metrics wants an admin key on the API port, and names no feed URL, key or address', async () => {
    const anonymous = await send(app, { method: 'GET', url: '/metrics' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.body).not.toContain('paperwire_');
    const reader = await send(app, { method: 'GET', url: '/metrics', headers: withKey(keys.reader) });
    expect(reader.statusCode).toBe(403);
    const admin = await send(app, {
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${keys.admin}` },
    });
    expect(admin.statusCode).toBe(200);
    expect(admin.body).toContain('paperwire_queue_jobs');
    for (const secret of [...Object.values(keys), 'example.org', '127.0.0.1', 'mongodb://', 'redis://'])
      expect(admin.body).not.toContain(secret);
  });

  it('refuses operator-shaped query parameters with a 400', async () => {
    const res = await send(app, { method: 'GET', url: '/papers?id[$ne]=x' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid-request');
  });
});

describe('rate limits', () => {
  const LIMIT = 3;
  let limited: FastifyInstance;
  beforeAll(async () => {
    limited = buildApp(rt, { API_RATE_LIMIT_PER_MINUTE: LIMIT });
    await limited.ready();
  });
  afterAll(async () => {
    await limited?.close();
  });

  it('answers 429 with Retry-After once a key used up its minute; other keys and IPs go on', async () => {
    const { key } = await rt.db.apiKeys.create('burst', ['read'], new Date());
    for (let i = 0; i < LIMIT; i++) {
      const ok = await send(limited, { method: 'GET', url: '/feeds', headers: withKey(key) });
      expect(ok.statusCode).toBe(200);
      expect(ok.headers['x-ratelimit-remaining']).toBe(String(LIMIT - i - 1));
    }
    const over = await send(limited, { method: 'GET', url: '/feeds', headers: withKey(key) });
    expect(over.statusCode).toBe(429);
    expect(over.json()).toEqual({ error: { code: 'rate-limited', message: expect.any(String) } });
    const retryAfter = Number(over.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);

    const { key: other } = await rt.db.apiKeys.create('calm', ['read'], new Date());
    expect((await send(limited, { method: 'GET', url: '/feeds', headers: withKey(other) })).statusCode).toBe(
      200,
    );

    // The bucket is named by the key's hash, never the key.
    const bucketKeys = await rt.redis.keys(`${rt.prefix}:pw:rate:*`);
    expect(bucketKeys).toContain(`${rt.prefix}:pw:rate:${createHash('sha256').update(key).digest('hex')}`);
    expect(bucketKeys.join(' ')).not.toContain(key);
  });

  it('limits clients without a key per IP, and never limits the probes', async () => {
    const from = (remoteAddress: string) => ({ method: 'GET' as const, url: '/feeds', remoteAddress });
    for (let i = 0; i < LIMIT; i++) expect((await send(limited, from('198.51.100.7'))).statusCode).toBe(200);
    const over = await send(limited, from('198.51.100.7'));
    expect(over.statusCode).toBe(429);
    expect(Number(over.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await send(limited, from('198.51.100.8'))).statusCode).toBe(200);
    for (let i = 0; i < LIMIT + 2; i++) {
      const probe = await send(limited, { method: 'GET', url: '/health', remoteAddress: '198.51.100.7' });
      expect(probe.statusCode).toBe(200);
    }
  });

  it('counts wrong keys against the IP, so guessing keys is limited too', async () => {
    const guess = (n: number) => ({
      method: 'GET' as const,
      url: '/feeds',
      remoteAddress: '198.51.100.9',
      headers: withKey(`pw_guess-${n}`),
    });
    for (let i = 0; i < LIMIT; i++) expect((await send(limited, guess(i))).statusCode).toBe(401);
    expect((await send(limited, guess(99))).statusCode).toBe(429);
  });
});

describe('stored keys', () => {
  it('keeps only the sha256 of each key, and lists no hash', async () => {
    const client = new MongoClient(rt.mongoUri);
    try {
      const docs = await client.db().collection('apikeys').find({}).toArray();
      expect(docs.length).toBeGreaterThanOrEqual(3);
      const raw = JSON.stringify(docs);
      for (const key of Object.values(keys)) {
        expect(raw).not.toContain(key);
        expect(raw).not.toContain(key.slice(3)); // nor the random part without the `pw_` prefix
        const hash = createHash('sha256').update(key).digest('hex');
        expect(docs.map((d) => d._id)).toContain(hash);
      }
    } finally {
      await client.close();
    }
    const listed = JSON.stringify(await rt.db.apiKeys.list());
    for (const key of Object.values(keys)) {
      expect(listed).not.toContain(createHash('sha256').update(key).digest('hex'));
    }
    expect(await rt.db.apiKeys.list()).toContainEqual(
      expect.objectContaining({ name: 'old-ci', scopes: ['admin'], revokedAt: expect.any(String) }),
    );
  });

  it('verifies a live key, not a revoked or unknown one; revokes by id too', async () => {
    expect(await rt.db.apiKeys.verify(keys.reader)).toMatchObject({ name: 'dashboard', scopes: ['read'] });
    expect(await rt.db.apiKeys.verify(keys.revoked)).toBeUndefined();
    expect(await rt.db.apiKeys.verify('pw_unknown')).toBeUndefined();
    const { key, record } = await rt.db.apiKeys.create('temp', ['read'], new Date());
    await expect(rt.db.apiKeys.create('temp', ['read'], new Date())).rejects.toMatchObject({
      code: 'apikey-exists',
    });
    expect((await rt.db.apiKeys.revoke(record.id, new Date())).revokedAt).toEqual(expect.any(String));
    expect(await rt.db.apiKeys.verify(key)).toBeUndefined();
  });

  it('never writes a key to the logs', async () => {
    await send(app, { method: 'GET', url: '/feeds', headers: withKey(keys.admin) });
    await send(app, { method: 'GET', url: '/feeds', headers: { authorization: `Bearer ${keys.reader}` } });
    log.info(
      { req: { headers: { 'x-api-key': keys.admin, authorization: `Bearer ${keys.reader}` } } },
      'probe',
    );
    const text = logLines.join('');
    expect(text).toContain('probe');
    for (const key of Object.values(keys)) expect(text).not.toContain(key);
  });
});
