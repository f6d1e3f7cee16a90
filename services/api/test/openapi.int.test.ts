// GET /openapi.json against the real answers: every route the app registers is in the document (and
// every documented route exists), and every response this test provokes — each GET route on seeded data,
// their errors, and the write routes — validates against the document's schema for that route and status.
/// <reference path="../../../test/setup/global-setup.ts" />
import {
  bareRow,
  type Paper,
  paperRow,
  type RankedPaper,
  type RankingSnapshot,
  unsubscribeToken,
} from '@paperwire/core';
import { createLogger } from '@paperwire/platform';
import { createRuntime, feedRegistry, type Runtime } from '@paperwire/runtime';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMongoUri, testRedisUrl, uniquePrefix } from '../../../test/support/services.ts';
import { apiEnvSchema, buildApp } from '../src/index.ts';
import { registeredRoutes } from '../src/swagger.ts';

/** `/feeds/:id` → `/feeds/{id}`. */
const toOpenApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

const log = createLogger({ service: 'test', level: 'warn' });
const DIGEST_SECRET = 'openapi-test-digest-secret-0123456789abcdef';
let rt: Runtime;
let app: FastifyInstance;
let adminKey: string;

type Json = Record<string, unknown>;
interface Operation {
  responses: Record<string, { content?: Record<string, { schema: Json }> }>;
}
let doc: { openapi: string; paths: Record<string, Record<string, Operation>>; components: Json };

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);

const feedUrl = 'https://rss.arxiv.org/rss/cs.LG';
const failingUrl = 'https://example.org/broken.xml';

const paper: Paper = {
  _id: 'arxiv:2611.01234',
  ids: { arxiv: '2611.01234', doi: '10.1000/example' },
  latestVersion: 2,
  versions: [
    { version: 1, seenAt: '2026-11-26T08:00:00.000Z' },
    { version: 2, seenAt: '2026-11-27T08:00:00.000Z' },
  ],
  title: 'Sparse Causal Models for Retrieval',
  abstract: 'We study sparse causal models.',
  authors: [{ name: 'Ada Lovelace', key: 'a lovelace' }],
  organization: 'Analytical Engines',
  primaryCategory: 'cs.LG',
  categories: ['cs.LG', 'cs.IR'],
  firstSeenAt: '2026-11-26T08:00:00.000Z',
  publishedAt: '2026-11-26T00:00:00.000Z',
  links: { abs: 'https://arxiv.org/abs/2611.01234', pdf: 'https://arxiv.org/pdf/2611.01234' },
  sightings: [
    {
      feedId: 'hf-daily-huggingface-co-api-daily-papers-abc123',
      source: 'huggingface',
      entryKey: '2611.01234',
      firstSeenAt: '2026-11-26T09:00:00.000Z',
      lastSeenAt: '2026-11-28T09:00:00.000Z',
      signals: { upvotes: 42, comments: 3 },
    },
  ],
  textSource: { rank: 0, version: 2, at: '2026-11-27T08:00:00.000Z' },
};

function snapshot(asOf: string, ids: string[]): RankingSnapshot {
  // The first row complete (as the scorer writes it, with a signal history), the others bare.
  const entries: RankedPaper[] = ids.map((paperId, i) => ({
    ...(paperId === paper._id
      ? paperRow(
          paper,
          { huggingface: { points: [{ at: '2026-11-28T09:00:00.000Z', signals: { upvotes: 42 } }] } },
          paper.firstSeenAt,
        )
      : bareRow(paperId, `Paper ${paperId}`, asOf, i === 0 ? 'cs.LG' : undefined)),
    rank: i + 1,
    score: 10 - i,
    breakdown: { 'huggingface.upvotes.velocity': 10 - i },
  }));
  return {
    _id: `24h.all.${Date.parse(asOf)}`,
    window: '24h',
    category: 'all',
    asOf,
    scoreVersion: 'pw-trend-1',
    constants: { 'huggingface.upvotes': 1 },
    entries,
  };
}

beforeAll(async () => {
  const config = apiEnvSchema.parse({
    MONGODB_URI: testMongoUri('api-openapi'),
    REDIS_URL: testRedisUrl(),
    PAPERWIRE_QUEUE_PREFIX: uniquePrefix('api-openapi'),
    DIGEST_SECRET: DIGEST_SECRET,
  });
  rt = await createRuntime(config, log);
  // Every answer is also checked against its route's zod schema: a mismatch is a 500, which no route documents.
  app = buildApp(rt, config, { validateResponses: true });
  await app.ready();

  const now = new Date('2026-11-28T10:00:00.000Z');
  const registry = feedRegistry(rt.db, rt.queues);
  const ok = await registry.add({ url: feedUrl, kind: 'arxiv-rss', intervalMinutes: 60 }, now);
  await rt.db.feeds.recordSuccess(ok._id, {
    state: {
      etag: '"x"',
      lastFetchAt: now.toISOString(),
      lastSuccessAt: now.toISOString(),
      nextCheckAt: '2026-11-28T11:00:00.000Z',
    },
    entryCount: 12,
    skippedCount: 1,
    title: 'cs.LG updates on arXiv.org',
    cadence: { lastNewEntriesAt: '2026-11-27T10:00:00.000Z', typicalGapMs: 3_600_000, quiet: true },
  });
  const failing = await registry.add({ url: failingUrl, kind: 'rss', intervalMinutes: 30 }, now);
  await rt.db.feeds.recordFailure(failing._id, {
    errorClass: 'http-5xx',
    message: 'fetcher: HTTP 503',
    at: now.toISOString(),
    nextCheckAt: '2026-11-28T10:30:00.000Z',
  });
  await rt.db.papers.put(paper);
  await rt.db.papers.put({ _id: 'arxiv:2611.09999', mergedInto: paper._id, mergedAt: now.toISOString() });
  // A chain (09998 merged into 09999, which later merged into the paper) and a key still naming its start.
  await rt.db.papers.put({
    _id: 'arxiv:2611.09998',
    mergedInto: 'arxiv:2611.09999',
    mergedAt: now.toISOString(),
  });
  await rt.db.papers.pointAliases(new Map([['doi:10.5555/chained', 'arxiv:2611.09998']]), now.toISOString());
  await rt.db.rankings.publish(snapshot('2026-11-28T09:00:00.000Z', ['p1', 'p2', 'p3']));
  await rt.db.rankings.publish(snapshot('2026-11-28T10:00:00.000Z', [paper._id, 'p2', 'p1', 'p3']));
  adminKey = (await rt.db.apiKeys.create('openapi-test', ['admin'], now)).key;

  const res = await app.inject({ method: 'GET', url: '/openapi.json' });
  expect(res.statusCode).toBe(200);
  doc = res.json();
});

afterAll(async () => {
  await app?.close();
  await rt?.shutdown.run('test done');
});

/** `METHOD /path/{param}` of every operation this test has checked a response of. */
const exercised = new Set<string>();

/** Calls the app and validates the answer against the document's entry for `route` and its status. */
async function conforms(route: string, request: InjectOptions): Promise<LightMyRequestResponse> {
  const method = (request.method ?? 'GET').toLowerCase();
  const res = await app.inject(request);
  const where = `${method.toUpperCase()} ${route} → ${res.statusCode}`;
  const operation = doc.paths[route]?.[method];
  expect(operation, `${method.toUpperCase()} ${route} is documented`).toBeDefined();
  const response = operation?.responses[String(res.statusCode)];
  expect(response, `${where} is documented`).toBeDefined();
  exercised.add(`${method.toUpperCase()} ${route}`);
  const content = response?.content;
  if (!content) {
    expect(res.body, `${where} has no body`).toBe('');
    return res;
  }
  // The media type the answer came as, when the route documents several (the unsubscribe routes answer
  // HTML or JSON by Accept); else the first one.
  const type = String(res.headers['content-type'] ?? '');
  const entries = Object.entries(content);
  const [mediaType, media] = entries.find(([t]) => type.startsWith(t)) ?? entries[0] ?? [];
  expect(res.headers['content-type'], where).toContain(mediaType);
  if (mediaType !== 'application/json' || !media) return res;
  const validate = ajv.compile({ ...media.schema, components: doc.components });
  const valid = validate(res.json());
  expect(validate.errors ?? [], where).toEqual([]);
  expect(valid).toBe(true);
  return res;
}

describe('GET /openapi.json', () => {
  it('is OpenAPI 3.1 with the security schemes', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys((doc.components as { securitySchemes: Json }).securitySchemes)).toEqual([
      'apiKey',
      'bearer',
      'basic',
    ]);
  });

  it('documents every registered route, and registers every documented one', () => {
    const routes = registeredRoutes(app);
    expect(routes.length).toBeGreaterThan(10);
    for (const { method, url } of routes) {
      expect(doc.paths[toOpenApiPath(url)]?.[method.toLowerCase()], `${method} ${url}`).toBeDefined();
    }
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const method of Object.keys(operations)) {
        const url = path.replace(/\{([^}]+)\}/g, ':$1');
        expect(app.hasRoute({ method: method.toUpperCase() as 'GET', url }), `${method} ${path}`).toBe(true);
      }
    }
  });
});

describe('responses match the document', () => {
  it('GET /trending, a second page, and its errors', async () => {
    const first = await conforms('/trending', { method: 'GET', url: '/trending?limit=2' });
    expect(first.statusCode).toBe(200);
    const cursor = first.json().nextCursor as string;
    expect(
      (await conforms('/trending', { method: 'GET', url: `/trending?cursor=${cursor}` })).statusCode,
    ).toBe(200);
    expect((await conforms('/trending', { method: 'GET', url: '/trending?window=30d' })).statusCode).toBe(
      404,
    );
    expect(
      (await conforms('/trending', { method: 'GET', url: '/trending?category[$ne]=x' })).statusCode,
    ).toBe(400);
    const etag = first.headers.etag as string;
    const cached = await conforms('/trending', {
      method: 'GET',
      url: '/trending?limit=2',
      headers: { 'if-none-match': etag },
    });
    expect(cached.statusCode).toBe(304);
  });

  it('GET /trending/changes', async () => {
    const res = await conforms('/trending/changes', {
      method: 'GET',
      url: '/trending/changes?since=2026-11-28T09:30:00Z&top=3',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().entered).toHaveLength(1);
    const fresh = await conforms('/trending/changes', {
      method: 'GET',
      url: '/trending/changes?since=2020-01-01T00:00:00Z',
    });
    expect(fresh.json().from).toBeNull();
    expect(
      (await conforms('/trending/changes', { method: 'GET', url: '/trending/changes' })).statusCode,
    ).toBe(400);
  });

  it('GET /papers/:id, a redirect and a miss', async () => {
    expect(
      (await conforms('/papers/{id}', { method: 'GET', url: '/papers/arxiv:2611.01234' })).statusCode,
    ).toBe(200);
    expect(
      (await conforms('/papers/{id}', { method: 'GET', url: '/papers/arxiv:2611.09999' })).statusCode,
    ).toBe(301);
    expect(
      (await conforms('/papers/{id}', { method: 'GET', url: '/papers/arxiv:2611.00000' })).statusCode,
    ).toBe(404);
  });

  it('GET /papers/:id answers a chain of merges, by id or by a key naming its start, with one 301', async () => {
    for (const id of ['arxiv:2611.09998', 'doi:10.5555/chained', 'arxiv:2611.09999']) {
      const res = await conforms('/papers/{id}', { method: 'GET', url: `/papers/${encodeURIComponent(id)}` });
      expect(res.statusCode, id).toBe(301);
      expect(res.headers.location, id).toBe(`/papers/${encodeURIComponent(paper._id)}`);
    }
  });

  it('GET /papers', async () => {
    const res = await conforms('/papers', { method: 'GET', url: '/papers?category=cs.LG' });
    expect(res.json().items).toHaveLength(1);
    expect((await conforms('/papers', { method: 'GET', url: '/papers?id[$ne]=x' })).statusCode).toBe(400);
  });

  it('GET /feeds, /health, /ready, /metrics, /openapi.json', async () => {
    const feeds = await conforms('/feeds', { method: 'GET', url: '/feeds' });
    expect(feeds.json().items).toHaveLength(2);
    expect((await conforms('/health', { method: 'GET', url: '/health' })).statusCode).toBe(200);
    expect((await conforms('/ready', { method: 'GET', url: '/ready' })).statusCode).toBe(200);
    expect((await conforms('/metrics', { method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    const metrics = await conforms('/metrics', {
      method: 'GET',
      url: '/metrics',
      headers: { 'x-api-key': adminKey },
    });
    expect(metrics.statusCode).toBe(200);
    expect((await conforms('/openapi.json', { method: 'GET', url: '/openapi.json' })).statusCode).toBe(200);
  });

  it('the write routes, refused and accepted', async () => {
    const admin = { 'x-api-key': adminKey };
    expect(
      (
        await conforms('/feeds', {
          method: 'POST',
          url: '/feeds',
          payload: { url: 'https://example.org/a.xml' },
        })
      ).statusCode,
    ).toBe(401);
    const created = await conforms('/feeds', {
      method: 'POST',
      url: '/feeds',
      headers: admin,
      payload: { url: 'https://example.org/a.xml' },
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    expect(
      (
        await conforms('/feeds', {
          method: 'POST',
          url: '/feeds',
          headers: admin,
          payload: { url: 'https://example.org/a.xml' },
        })
      ).statusCode,
    ).toBe(409);
    expect(
      (
        await conforms('/feeds/{id}', {
          method: 'PATCH',
          url: `/feeds/${id}`,
          headers: admin,
          payload: { enabled: false },
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (await conforms('/feeds/{id}/fetch', { method: 'POST', url: `/feeds/${id}/fetch`, headers: admin }))
        .statusCode,
    ).toBe(202);
    expect(
      (await conforms('/feeds/{id}', { method: 'DELETE', url: `/feeds/${id}`, headers: admin })).statusCode,
    ).toBe(204);
    expect(
      (await conforms('/feeds/{id}', { method: 'DELETE', url: `/feeds/${id}`, headers: admin })).statusCode,
    ).toBe(404);
    expect(
      (
        await conforms('/rescore', {
          method: 'POST',
          url: '/rescore',
          headers: admin,
          payload: { $where: '1' },
        })
      ).statusCode,
    ).toBe(400);
    expect((await conforms('/rescore', { method: 'POST', url: '/rescore', headers: admin })).statusCode).toBe(
      202,
    );
  });

  it('the webhook routes', async () => {
    const admin = { 'x-api-key': adminKey };
    expect((await conforms('/webhooks', { method: 'GET', url: '/webhooks' })).statusCode).toBe(401);
    const created = await conforms('/webhooks', {
      method: 'POST',
      url: '/webhooks',
      headers: admin,
      payload: { url: 'https://example.org/hook', eventTypes: ['paper.*', 'trending.entered'] },
    });
    expect(created.statusCode).toBe(201);
    const { id, secret } = created.json() as { id: string; secret: string };
    expect(secret).toMatch(/^whsec_/);
    const listed = await conforms('/webhooks', { method: 'GET', url: '/webhooks', headers: admin });
    expect(listed.json().items).toEqual([expect.objectContaining({ id })]);
    expect(listed.body).not.toContain(secret);
    expect(
      (await conforms('/webhooks/replay', { method: 'POST', url: '/webhooks/replay', headers: admin }))
        .statusCode,
    ).toBe(202);
    expect(
      (await conforms('/webhooks/{id}', { method: 'DELETE', url: `/webhooks/${id}`, headers: admin }))
        .statusCode,
    ).toBe(204);
  });

  it('the dashboard, a paper’s signal history and Bull Board', async () => {
    const signals = '/papers/{id}/signals';
    expect((await conforms(signals, { method: 'GET', url: '/papers/2611.01234/signals' })).statusCode).toBe(
      200,
    );
    expect(
      (await conforms(signals, { method: 'GET', url: '/papers/arxiv:2611.09999/signals' })).statusCode,
    ).toBe(301);
    expect(
      (await conforms(signals, { method: 'GET', url: '/papers/arxiv:2611.00000/signals' })).statusCode,
    ).toBe(404);
    for (const url of ['/dashboard', '/dashboard/app.js', '/dashboard/style.css'])
      expect((await conforms(url, { method: 'GET', url })).statusCode).toBe(200);
    expect((await conforms('/admin/queues', { method: 'GET', url: '/admin/queues' })).statusCode).toBe(401);
    const basic = { authorization: `Basic ${Buffer.from(`ops:${adminKey}`).toString('base64')}` };
    expect(
      (await conforms('/admin/queues', { method: 'GET', url: '/admin/queues', headers: basic })).statusCode,
    ).toBe(200);
  });

  it('the dated boards and their feeds, and their errors', async () => {
    // Boards the scorer would write (here: a final one per kind, from the snapshot's rows).
    const rows = snapshot('2026-11-28T10:00:00.000Z', [paper._id, 'p2']).entries;
    for (const [kind, period, start, end] of [
      ['daily', '2026-11-26', '2026-11-26T00:00:00.000Z', '2026-11-27T00:00:00.000Z'],
      ['weekly', '2026-W48', '2026-11-23T00:00:00.000Z', '2026-11-30T00:00:00.000Z'],
      ['monthly', '2026-11', '2026-11-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z'],
    ] as const) {
      await rt.db.datedBoards.publish({
        _id: `${kind}.${period}`,
        kind,
        period,
        start,
        end,
        asOf: end,
        final: true,
        scoreVersion: 'pw-trend-1',
        constants: { 'huggingface.upvotes': 1 },
        entries: rows,
      });
      const param = { daily: 'date', weekly: 'isoWeek', monthly: 'month' }[kind];
      const board = await conforms(`/${kind}/{${param}}`, {
        method: 'GET',
        url: `/${kind}/${period}?limit=1`,
      });
      expect(board.statusCode).toBe(200);
      expect(board.json()).toMatchObject({ kind, period, final: true, total: 2, nextOffset: 1 });
      expect(board.headers['cache-control']).toContain('immutable');
      const again = await conforms(`/${kind}/{${param}}`, {
        method: 'GET',
        url: `/${kind}/${period}?limit=1`,
        headers: { 'if-none-match': board.headers.etag as string },
      });
      expect(again.statusCode).toBe(304);
      const atom = await conforms(`/feeds/${kind}/{${param}}.atom`, {
        method: 'GET',
        url: `/feeds/${kind}/${period}.atom`,
      });
      expect(atom.body).toContain('<id>urn:paperwire:paper:arxiv:2611.01234</id>');
      const json = await conforms(`/feeds/${kind}/{${param}}.json`, {
        method: 'GET',
        url: `/feeds/${kind}/${period}.json`,
      });
      expect(json.json().items).toHaveLength(2);
    }
    for (const [route, url, status] of [
      ['/daily/{date}', '/daily/2026-02-30', 400],
      ['/daily/{date}', '/daily/2026-11-25', 404],
      ['/daily/{date}', '/daily/2026-11-26?offset=-1', 400],
      ['/weekly/{isoWeek}', '/weekly/2027-W53', 400],
      ['/monthly/{month}', '/monthly/2026-13', 400],
      ['/feeds/daily/{date}.json', '/feeds/daily/2026-11-25.json', 404],
    ] as const)
      expect((await conforms(route, { method: 'GET', url })).statusCode, url).toBe(status);
  });

  it('the trending feeds (Atom, JSON Feed) and their errors', async () => {
    const atom = await conforms('/feeds/trending/{window}.atom', {
      method: 'GET',
      url: '/feeds/trending/24h.atom',
    });
    expect(atom.statusCode).toBe(200);
    expect(atom.body).toContain('<id>urn:paperwire:paper:arxiv:2611.01234</id>');
    const cached = await conforms('/feeds/trending/{window}.atom', {
      method: 'GET',
      url: '/feeds/trending/24h.atom',
      headers: { 'if-none-match': atom.headers.etag as string },
    });
    expect(cached.statusCode).toBe(304);
    const json = await conforms('/feeds/trending/{window}.json', {
      method: 'GET',
      url: '/feeds/trending/24h.json?limit=2',
    });
    expect(json.statusCode).toBe(200);
    expect(json.json().items).toHaveLength(2);
    for (const [url, status] of [
      ['/feeds/trending/30d.json', 404],
      ['/feeds/trending/1y.json', 400],
      ['/feeds/trending/24h.json?category[$ne]=x', 400],
    ] as const)
      expect((await conforms('/feeds/trending/{window}.json', { method: 'GET', url })).statusCode).toBe(
        status,
      );
    const rss = await app.inject({ method: 'GET', url: '/feeds/trending/24h.rss' });
    expect([rss.statusCode, rss.json().error.code]).toEqual([404, 'not-found']);
  });

  it('the digest routes', async () => {
    const admin = { 'x-api-key': adminKey };
    const route = '/digests/subscriptions';
    expect((await conforms(route, { method: 'GET', url: route })).statusCode).toBe(401);
    const payload = { email: 'Ada@Example.org', windows: ['24h', '7d'], categories: ['cs.LG'] };
    const created = await conforms(route, { method: 'POST', url: route, headers: admin, payload });
    expect(created.statusCode).toBe(201);
    const { id } = created.json() as { id: string };
    expect(created.json()).toMatchObject({
      email: 'ada@example.org',
      cadence: 'daily',
      unsubscribedAt: null,
    });
    const changed = await conforms(route, {
      method: 'POST',
      url: route,
      headers: admin,
      payload: { ...payload, cadence: 'weekly' },
    });
    expect([changed.statusCode, changed.json().id, changed.json().cadence]).toEqual([200, id, 'weekly']);
    // Reader filters: validated like every input, and answered back.
    const filters = { authors: ['Ada Lovelace'], keywords: ['retrieval'], organizations: ['DeepMind'] };
    const filtered = await conforms(route, {
      method: 'POST',
      url: route,
      headers: admin,
      payload: { ...payload, filters },
    });
    expect([filtered.statusCode, filtered.json().filters]).toEqual([200, filters]);
    for (const bad of [{ keywords: [''] }, { tags: ['x'] }, { categories: ['cs LG'] }])
      expect(
        (
          await conforms(route, {
            method: 'POST',
            url: route,
            headers: admin,
            payload: { ...payload, filters: bad },
          })
        ).statusCode,
        JSON.stringify(bad),
      ).toBe(400);
    expect(
      (
        await conforms(route, {
          method: 'POST',
          url: route,
          headers: admin,
          payload: { ...payload, email: 'x\r\n@y' },
        })
      ).statusCode,
    ).toBe(400);
    const listed = await conforms(route, { method: 'GET', url: route, headers: admin });
    expect(listed.json().items).toEqual([expect.objectContaining({ id })]);

    const unsubscribe = '/digests/unsubscribe';
    const token = unsubscribeToken(DIGEST_SECRET, id);
    const url = `${unsubscribe}?token=${encodeURIComponent(token)}`;
    const asJson = { accept: 'application/json' };
    for (const headers of [{}, asJson]) {
      const bad = await conforms(unsubscribe, {
        method: 'GET',
        url: `${unsubscribe}?token=${id}.nope`,
        headers,
      });
      expect(bad.statusCode).toBe(400);
      const page = await conforms(unsubscribe, { method: 'GET', url, headers });
      expect(page.statusCode).toBe(200);
    }
    expect((await rt.db.digests.get(id))?.unsubscribedAt).toBeNull();
    const oneClick = {
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    } as const;
    expect((await conforms(unsubscribe, oneClick)).statusCode).toBe(200);
    expect((await rt.db.digests.get(id))?.unsubscribedAt).not.toBeNull();
    const again = await conforms(unsubscribe, { ...oneClick, headers: { ...oneClick.headers, ...asJson } });
    expect([again.statusCode, again.json().id]).toEqual([200, id]);
    const noToken = await conforms(unsubscribe, { ...oneClick, url: unsubscribe });
    expect(noToken.statusCode).toBe(400);
    const other = unsubscribeToken(DIGEST_SECRET, 'ds_0000000000000000');
    for (const method of ['GET', 'POST'] as const)
      expect(
        (await conforms(unsubscribe, { method, url: `${unsubscribe}?token=${other}`, headers: asJson }))
          .statusCode,
      ).toBe(404);
    const plain = await conforms(unsubscribe, {
      method: 'POST',
      url,
      headers: { 'content-type': 'application/xml' },
      payload: '<List-Unsubscribe>One-Click</List-Unsubscribe>',
    });
    expect(plain.statusCode).toBe(415);
    const large = await conforms(unsubscribe, {
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `List-Unsubscribe=One-Click&pad=${'x'.repeat(5_000)}`,
    });
    expect(large.statusCode).toBe(413);

    const one = '/digests/subscriptions/{id}';
    expect(
      (await conforms(one, { method: 'DELETE', url: `${route}/${id}`, headers: admin })).statusCode,
    ).toBe(204);
    expect(
      (await conforms(one, { method: 'DELETE', url: `${route}/ds_0000000000000000`, headers: admin }))
        .statusCode,
    ).toBe(404);
  });

  it('exercised every documented operation', () => {
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect([...exercised].sort()).toEqual(documented.sort());
  });
});
