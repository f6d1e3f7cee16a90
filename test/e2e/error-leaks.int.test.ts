// A feed's recorded error names the class of failure and where it happened, never what was read: local
// files and HTTP payloads that look like secrets (a passwd line, keys, tokens) are fetched by the real
// fetcher, and the secret must not appear in the stored health, GET /feeds, `paperwire feeds list`, the
// logs or /metrics. Every file lies under PAPERWIRE_FILE_FEEDS_ROOT; the HTTP feeds are on 127.0.0.1.
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { apiEnvSchema, buildApp } from '@paperwire/api';
import type { Feed, FeedKind } from '@paperwire/core';
import { fetcherEnvSchema, startFetcher } from '@paperwire/fetcher';
import { createLogger } from '@paperwire/platform';
import { createRuntime, feedRegistry, type Runtime } from '@paperwire/runtime';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { type FeedServer, startFeedServer } from '../support/feed-server.ts';
import { testMongoUri, testRedisUrl, uniquePrefix } from '../support/services.ts';

const SECRET = 'TOP-SECRET-e2e-9d41';
const PASSWD = `root:x:0:0:${SECRET}:/root:/bin/bash\ndaemon:x:1:1::/usr/sbin:/usr/sbin/nologin\n`;

const logLines: string[] = [];
let rt: Runtime;
let app: FastifyInstance;
let root: string;
let http: FeedServer;
let adminKey: string;
const env: Record<string, string> = {
  MONGODB_URI: '',
  REDIS_URL: '',
  PAPERWIRE_QUEUE_PREFIX: uniquePrefix('error-leaks'),
  PAPERWIRE_ALLOW_PRIVATE_NETWORKS: 'true',
  PAPERWIRE_SEED_DEFAULT_FEEDS: 'false',
  HF_REPOLL_DAYS: '0',
  BUDGET_WEB_HOST_MS: '0',
  BUDGET_HUGGINGFACE_MS: '0',
  BUDGET_ARXIV_MS: '0',
  FETCH_MAX_BODY_BYTES: '4096',
  LOG_LEVEL: 'info',
};

/** [name, kind, where it comes from, the failure its error must name]. */
type Case = [name: string, kind: FeedKind, url: () => string, expected: RegExp];
const cases: Case[] = [
  ['a passwd file as rss', 'rss', () => file('passwd'), /^sources: rss: not-xml: /],
  ['a passwd file as hf-daily', 'hf-daily', () => file('shadow'), /^sources: hf-daily: not-json: /],
  ['broken XML around a secret', 'rss', () => file('broken.xml'), /^sources: rss: bad-xml: .* at line 2/],
  ['JSON with a key, one comma too many', 'hf-daily', () => file('keys.json'), /: bad-json: /],
  ['an error object quoting a secret', 'hf-daily', () => file('error.json'), /: api-error: /],
  ['binary bytes around a secret', 'arxiv-rss', () => file('binary.bin'), /: bad-encoding: /],
  ['a secret too large to read', 'rss', () => file('big.xml'), /exceeds the 4096-byte limit/],
  ['a folder with one secret file', 'rss', () => file('mixed'), /: not-xml: .*\(in file:.*b-secret\.txt\)$/],
  ['an HTTP secret as rss', 'rss', () => http.url('/secret.txt'), /^sources: rss: not-xml: /],
  ['an HTTP secret as arxiv-api', 'arxiv-api', () => http.url('/api-error'), /: api-error: /],
];
const file = (name: string) => pathToFileURL(join(root, name)).href;
const feeds = new Map<string, Feed>();

beforeAll(async () => {
  env.MONGODB_URI = testMongoUri('error-leaks');
  env.REDIS_URL = testRedisUrl();
  root = await realpath(await mkdtemp(join(tmpdir(), 'pw-error-leaks-')));
  env.PAPERWIRE_FILE_FEEDS_ROOT = root;
  await writeFile(join(root, 'passwd'), PASSWD);
  await writeFile(join(root, 'shadow'), PASSWD);
  await writeFile(join(root, 'broken.xml'), `<rss><channel>\n<title>${SECRET}</b></channel></rss>`);
  await writeFile(join(root, 'keys.json'), `{"api_key": "${SECRET}", "user": "root",}`);
  await writeFile(join(root, 'error.json'), JSON.stringify({ error: `bad token ${SECRET}` }));
  await writeFile(
    join(root, 'binary.bin'),
    Buffer.concat([Buffer.from([0, 1, 2, 0xff]), Buffer.from(SECRET)]),
  );
  await writeFile(join(root, 'big.xml'), `<rss>${SECRET.repeat(400)}</rss>`);
  await mkdir(join(root, 'mixed'));
  await writeFile(
    join(root, 'mixed', 'a-good.xml'),
    '<rss version="2.0"><channel><title>ok</title></channel></rss>',
  );
  await writeFile(join(root, 'mixed', 'b-secret.txt'), PASSWD);
  http = await startFeedServer();
  http.set('/secret.txt', { body: PASSWD, contentType: 'text/plain' });
  http.set('/api-error', {
    body: `<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/api/errors#${SECRET}</id><summary>${SECRET}</summary></entry></feed>`,
    contentType: 'application/atom+xml',
  });

  const log = createLogger({
    service: 'test',
    level: 'info',
    destination: { write: (line: string) => void logLines.push(line) },
  });
  const fetcherConfig = fetcherEnvSchema.parse(env);
  rt = await createRuntime(fetcherConfig, log);
  startFetcher(rt, fetcherConfig);
  app = buildApp(rt, apiEnvSchema.parse(env));
  await app.ready();
  adminKey = (await rt.db.apiKeys.create('leaks', ['admin'], new Date())).key;

  // As `paperwire feeds add` does: file feeds under the root.
  const registry = feedRegistry(rt.db, rt.queues, { fileFeeds: { root } });
  for (const [name, kind, url] of cases) {
    const feed = await registry.add({ url: url(), kind, intervalMinutes: 24 * 60 }, new Date());
    feeds.set(name, feed);
    await registry.fetchNow(feed._id, 'manual', new Date());
  }
  // Each fails once (parse and size failures are not retried): wait until every health records it.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const failing = (await rt.db.feeds.list()).filter((f) => f.health.lastError !== undefined);
    if (failing.length === cases.length) break;
    if (Date.now() > deadline)
      throw new Error(`only ${failing.length} of ${cases.length} feeds failed: ${failing.map((f) => f._id)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}, 120_000);

afterAll(async () => {
  await app?.close();
  await rt?.shutdown.run('test done');
  await http?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('errors classify, locate and never quote', () => {
  it.each(cases)(
    '%s: the stored error names its class and no secret',
    async (name, _kind, _url, expected) => {
      const feed = await rt.db.feeds.get(feeds.get(name)!._id);
      expect(feed?.health.status).toBe('failing');
      expect(feed?.health.lastError?.message).toMatch(expected);
      expect(JSON.stringify(feed?.health)).not.toContain(SECRET);
      expect(JSON.stringify(feed?.health)).not.toContain('root:x');
    },
  );

  it('GET /feeds and /metrics show no secret', async () => {
    const list = await app.inject({ method: 'GET', url: '/feeds' });
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toHaveLength(cases.length);
    expect(list.body).not.toContain(SECRET);
    expect(list.body).not.toContain('root:x');
    const metrics = await app.inject({ method: 'GET', url: '/metrics', headers: { 'x-api-key': adminKey } });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.body).toMatch(/error_class="parse"/);
    expect(metrics.body).not.toContain(SECRET);
  });

  it('the logs mention each failure and no secret', () => {
    const text = logLines.join('');
    for (const failure of ['not-xml', 'bad-xml', 'not-json', 'bad-json', 'api-error', 'bad-encoding'])
      expect(text).toContain(`: ${failure}: `);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('root:x');
  });

  it('`paperwire feeds list` (table and JSON) shows no secret', { timeout: 120_000 }, async () => {
    for (const args of [
      ['feeds', 'list'],
      ['feeds', 'list', '--json'],
    ]) {
      const res = await runCli(args, env);
      expect(res.code, res.stderr).toBe(0);
      expect(res.stdout).toMatch(/parse: sources: |"errorClass": "parse"/);
      expect(res.stdout + res.stderr).not.toContain(SECRET);
      expect(res.stdout + res.stderr).not.toContain('root:x');
    }
  });
});
