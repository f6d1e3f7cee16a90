// GET /openapi.json: the API described as OpenAPI 3.1. Request bodies come from the write routes' zod
// schemas (`z.toJSONSchema`), so they cannot drift from what is enforced; query parameters and responses
// are written out here and held to the real answers by services/api/test/openapi.int.test.ts, which
// validates every GET route's body against this document and checks that every route is in it.
import {
  FEED_ERROR_CLASSES,
  FEED_KINDS,
  rankedPaperSchema,
  readerFiltersSchema,
  SIGNAL_NAMES,
  SOURCES,
  WINDOWS,
} from '@paperwire/core';
import { PAPERWIRE_VERSION } from '@paperwire/platform';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { addFeedBody, patchFeedBody, rescoreBody } from './routes/admin.ts';
import { BULL_BOARD_PATH } from './routes/bull-board.ts';
import { subscribeDigestBody } from './routes/digests.ts';
import { addWebhookBody, replayWebhooksBody } from './routes/webhooks.ts';

type Json = Record<string, unknown>;

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const str: Json = { type: 'string' };
const dateTime: Json = { type: 'string', format: 'date-time' };
const nullable = (schema: Json): Json => ({ anyOf: [schema, { type: 'null' }] });
const closed = (properties: Record<string, Json>, required: string[] = Object.keys(properties)): Json => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});
const numberMap: Json = { type: 'object', additionalProperties: { type: 'number' } };

function bodySchema(schema: z.ZodType): Json {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema) as Json;
  return rest;
}

/** A webhook subscription as listed (the answer to its creation adds the secret). */
const webhookProperties: Record<string, Json> = {
  id: { ...str, pattern: '^wh_[0-9a-f]{16}$' },
  url: str,
  eventTypes: { type: 'array', items: str, minItems: 1 },
  filters: bodySchema(readerFiltersSchema),
  enabled: { type: 'boolean' },
  createdAt: dateTime,
};
const WEBHOOK_REQUIRED = ['id', 'url', 'eventTypes', 'enabled', 'createdAt'];

const schemas: Record<string, Json> = {
  Error: closed({ error: closed({ code: str, message: str }) }),
  // The row contract: generated from the zod schema the scorer's snapshots are typed by.
  RankedPaper: bodySchema(rankedPaperSchema),
  Trending: closed({
    window: { enum: [...WINDOWS] },
    category: str,
    asOf: dateTime,
    scoreVersion: str,
    constants: numberMap,
    items: { type: 'array', items: ref('RankedPaper') },
    nextCursor: nullable({ ...str, description: 'opaque; pins the snapshot this page came from' }),
  }),
  DatedBoard: closed({
    kind: { enum: ['daily', 'weekly', 'monthly'] },
    period: str,
    start: dateTime,
    end: dateTime,
    asOf: dateTime,
    final: { type: 'boolean', description: 'the period is over plus a grace day: this board never changes' },
    scoreVersion: str,
    total: { type: 'integer', minimum: 0 },
    items: { type: 'array', items: ref('RankedPaper') },
    nextOffset: nullable({ type: 'integer', minimum: 0 }),
  }),
  SnapshotRef: closed({ snapshotId: str, asOf: dateTime }),
  TrendingChanges: closed({
    window: { enum: [...WINDOWS] },
    category: str,
    since: str,
    from: nullable(ref('SnapshotRef')),
    to: nullable(ref('SnapshotRef')),
    topN: { type: 'integer', minimum: 0 },
    entered: {
      type: 'array',
      items: closed({ paperId: str, title: str, rank: { type: 'integer' }, from: { type: 'integer' } }, [
        'paperId',
        'title',
        'rank',
      ]),
    },
    left: {
      type: 'array',
      items: closed({ paperId: str, title: str, rank: { type: 'integer' }, to: { type: 'integer' } }, [
        'paperId',
        'title',
        'rank',
      ]),
    },
    moved: {
      type: 'array',
      items: closed({ paperId: str, from: { type: 'integer' }, to: { type: 'integer' } }),
    },
  }),
  Author: closed({ name: str, key: str }),
  Sighting: closed({
    feedId: str,
    source: { enum: [...SOURCES] },
    entryKey: str,
    firstSeenAt: dateTime,
    lastSeenAt: dateTime,
    signals: numberMap,
  }),
  Paper: {
    type: 'object',
    description: 'The canonical paper record (stored fields may grow; the listed ones are always there).',
    properties: {
      _id: { ...str, description: 'strongest identity key, e.g. arxiv:2401.01234' },
      ids: {
        type: 'object',
        properties: Object.fromEntries(
          ['arxiv', 'doi', 'hf', 'openreview', 's2', 'openalex'].map((k) => [k, str]),
        ),
        additionalProperties: false,
      },
      latestVersion: { type: 'integer' },
      versions: {
        type: 'array',
        items: closed({ version: { type: 'integer' }, seenAt: dateTime }),
      },
      title: str,
      abstract: str,
      authors: { type: 'array', items: ref('Author') },
      organization: str,
      primaryCategory: str,
      categories: { type: 'array', items: str },
      firstSeenAt: dateTime,
      publishedAt: str,
      updatedAt: str,
      links: {
        type: 'object',
        properties: Object.fromEntries(['abs', 'pdf', 'html', 'code', 'project'].map((k) => [k, str])),
        additionalProperties: false,
      },
      sightings: { type: 'array', items: ref('Sighting') },
      textSource: closed({ rank: { type: 'number' }, version: { type: 'number' }, at: str }),
    },
    required: [
      '_id',
      'ids',
      'versions',
      'title',
      'authors',
      'categories',
      'firstSeenAt',
      'links',
      'sightings',
    ],
  },
  PaperPage: closed({ items: { type: 'array', items: ref('Paper') }, nextCursor: nullable(str) }),
  FeedHealth: closed(
    {
      status: { enum: ['new', 'ok', 'empty', 'failing'] },
      consecutiveFailures: { type: 'integer', minimum: 0 },
      lastError: closed({ errorClass: { enum: [...FEED_ERROR_CLASSES] }, message: str, at: dateTime }),
      lastEntryCount: { type: 'integer', minimum: 0 },
      lastSkippedCount: { type: 'integer', minimum: 0 },
      lastNewEntriesAt: dateTime,
      typicalGapMs: { type: 'integer', minimum: 1 },
      quiet: { type: 'boolean' },
    },
    ['status', 'consecutiveFailures'],
  ),
  Feed: closed({
    id: str,
    url: str,
    kind: { enum: [...FEED_KINDS] },
    source: { enum: [...SOURCES] },
    title: nullable(str),
    enabled: { type: 'boolean' },
    intervalMinutes: { type: 'integer', minimum: 1 },
    health: ref('FeedHealth'),
    lastSuccessAt: nullable(dateTime),
    nextCheckAt: nullable(dateTime),
  }),
  FeedList: closed({ items: { type: 'array', items: ref('Feed') } }),
  Health: closed({ status: { const: 'ok' } }),
  Ready: closed({
    status: { enum: ['ready', 'unavailable'] },
    redis: { type: 'boolean' },
    database: { type: 'boolean' },
  }),
  Queued: closed({ jobId: str }),
  AddFeed: bodySchema(addFeedBody),
  PatchFeed: { ...bodySchema(patchFeedBody), minProperties: 1 },
  Rescore: bodySchema(rescoreBody),
  Webhook: closed(webhookProperties, WEBHOOK_REQUIRED),
  WebhookCreated: closed(
    {
      ...webhookProperties,
      secret: {
        ...str,
        pattern: '^whsec_',
        description: 'signs every delivery (Paperwire-Signature); shown in this answer only, never again',
      },
    },
    [...WEBHOOK_REQUIRED, 'secret'],
  ),
  WebhookList: closed({ items: { type: 'array', items: ref('Webhook') } }),
  WebhooksReplayed: closed({ replayed: { type: 'array', items: str } }),
  AddWebhook: bodySchema(addWebhookBody),
  ReplayWebhooks: bodySchema(replayWebhooksBody),
};

const json = (schema: Json) => ({ content: { 'application/json': { schema } } });
const error = (description: string) => ({ description, ...json(ref('Error')) });
const ok = (description: string, schema: Json) => ({ description, ...json(schema) });

const query = (name: string, schema: Json, description: string, required = false): Json => ({
  name,
  in: 'query',
  required,
  schema,
  description,
});
const category = { type: 'string', pattern: '^[A-Za-z0-9.-]{1,40}$' };
const feedIdParam: Json = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,80}$' },
};

/** Read routes: open unless API_READ_REQUIRES_KEY=true (then any valid key). */
const readSecurity = [{}, { apiKey: [] }, { bearer: [] }];
const readErrors = {
  '401': error('API_READ_REQUIRES_KEY is on and no valid key was sent, or the key sent is not valid'),
  '429': error('rate limit reached; see Retry-After'),
};
/** Write routes: a key with the `admin` scope. */
const adminSecurity = [{ apiKey: [] }, { bearer: [] }];
const adminErrors = {
  '400': error('invalid body or parameters (unknown or operator-shaped keys included)'),
  '401': error('no API key, or a key that is not valid or was revoked'),
  '403': error('the key lacks the admin scope'),
  '429': error('rate limit reached; see Retry-After'),
};

const paths: Record<string, Json> = {
  '/trending': {
    get: {
      summary: 'A page of the current ranking of a board, with each paper’s score breakdown',
      security: readSecurity,
      parameters: [
        query('window', { enum: [...WINDOWS], default: '24h' }, 'ranking window'),
        query('category', { ...category, default: 'all' }, 'a primary category, or all (the overall board)'),
        query('limit', { type: 'integer', minimum: 1, maximum: 200, default: 20 }, 'page size'),
        query(
          'cursor',
          { type: 'string', maxLength: 500 },
          'nextCursor of the previous page (pins its snapshot)',
        ),
      ],
      responses: {
        '200': ok('the page; ETag and Cache-Control set', ref('Trending')),
        '304': { description: 'If-None-Match matched' },
        '400': error('invalid parameters or cursor'),
        '404': error('no ranking yet for that board'),
        '410': error('the cursor’s snapshot is no longer kept'),
        ...readErrors,
      },
    },
  },
  '/trending/changes': {
    get: {
      summary: 'How the top of a board changed since an instant: entered, left, moved',
      security: readSecurity,
      parameters: [
        query('window', { enum: [...WINDOWS], default: '24h' }, 'ranking window'),
        query('category', { ...category, default: 'all' }, 'a primary category, or all'),
        query('since', dateTime, 'compare with the snapshot current at this instant', true),
        query('top', { type: 'integer', minimum: 1, maximum: 200, default: 20 }, 'board depth compared'),
      ],
      responses: {
        '200': ok('the changes; ETag set', ref('TrendingChanges')),
        '304': { description: 'If-None-Match matched' },
        '400': error('invalid parameters'),
        '404': error('no ranking yet for that board'),
        '410': error('the snapshot current at `since` is no longer kept'),
        ...readErrors,
      },
    },
  },
  '/papers/{id}': {
    get: {
      summary: 'One paper by any of its ids (arXiv id, DOI, identity key, …)',
      security: readSecurity,
      parameters: [
        { name: 'id', in: 'path', required: true, schema: { type: 'string', minLength: 1, maxLength: 500 } },
      ],
      responses: {
        '200': ok('the paper', ref('Paper')),
        '301': { description: 'a merged-away id: Location names the surviving paper' },
        '400': error('invalid id'),
        '404': error('no paper known by that id'),
        ...readErrors,
      },
    },
  },
  '/papers': {
    get: {
      summary: 'Papers newest first (by first sighting), filtered',
      security: readSecurity,
      parameters: [
        query('category', category, 'primary category'),
        query('source', { enum: [...SOURCES] }, 'seen by this source'),
        query('since', str, 'first seen at or after (ISO-8601)'),
        query('until', str, 'first seen before (ISO-8601)'),
        query('limit', { type: 'integer', minimum: 1, maximum: 200, default: 50 }, 'page size'),
        query('cursor', { type: 'string', maxLength: 1000 }, 'nextCursor of the previous page'),
      ],
      responses: {
        '200': ok('a page of papers', ref('PaperPage')),
        '400': error('invalid parameters or cursor'),
        ...readErrors,
      },
    },
  },
  '/feeds': {
    get: {
      summary: 'Registered feeds with their health',
      security: readSecurity,
      responses: { '200': ok('every feed', ref('FeedList')), ...readErrors },
    },
    post: {
      summary: 'Register a feed (its job scheduler starts at once); the kind is guessed when omitted',
      security: adminSecurity,
      requestBody: { required: true, ...json(ref('AddFeed')) },
      responses: {
        '201': ok('the new feed; Location set', ref('Feed')),
        '409': error('that URL is already registered (code feed-exists)'),
        ...adminErrors,
      },
    },
  },
  '/feeds/{id}': {
    patch: {
      summary: 'Pause/resume a feed or change its interval (its scheduler follows at once)',
      security: adminSecurity,
      parameters: [feedIdParam],
      requestBody: { required: true, ...json(ref('PatchFeed')) },
      responses: {
        '200': ok('the feed as changed', ref('Feed')),
        '404': error('no such feed (code feed-unknown)'),
        ...adminErrors,
      },
    },
    delete: {
      summary: 'Remove a feed and its scheduler (stored papers stay)',
      security: adminSecurity,
      parameters: [feedIdParam],
      responses: {
        '204': { description: 'removed' },
        '404': error('no such feed (code feed-unknown)'),
        ...adminErrors,
      },
    },
  },
  '/feeds/{id}/fetch': {
    post: {
      summary: 'Queue a fetch of one feed now (deduplicated while one is waiting)',
      security: adminSecurity,
      parameters: [feedIdParam],
      responses: {
        '202': ok('queued', ref('Queued')),
        '404': error('no such feed (code feed-unknown)'),
        ...adminErrors,
      },
    },
  },
  '/rescore': {
    post: {
      summary: 'Queue a manual re-score (score-rankings job)',
      security: adminSecurity,
      requestBody: { required: false, ...json(ref('Rescore')) },
      responses: { '202': ok('queued', ref('Queued')), ...adminErrors },
    },
  },
  '/webhooks': {
    get: {
      summary: 'Webhook subscriptions (admin key; never their secrets)',
      security: adminSecurity,
      responses: { '200': ok('every subscription', ref('WebhookList')), ...adminErrors },
    },
    post: {
      summary: 'Subscribe a URL to event types (exact, prefix.* or *); the signing secret is returned once',
      security: adminSecurity,
      requestBody: { required: true, ...json(ref('AddWebhook')) },
      responses: {
        '201': ok('the subscription with its secret; Location set', ref('WebhookCreated')),
        ...adminErrors,
      },
    },
  },
  '/webhooks/{id}': {
    delete: {
      summary: 'Remove a subscription (its queued deliveries are skipped)',
      security: adminSecurity,
      parameters: [
        { name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^wh_[0-9a-f]{16}$' } },
      ],
      responses: {
        '204': { description: 'removed' },
        '404': error('no such subscription (code webhook-unknown)'),
        ...adminErrors,
      },
    },
  },
  '/webhooks/replay': {
    post: {
      summary: 'Retry dead-lettered webhook deliveries (the named job ids, or all of them)',
      security: adminSecurity,
      requestBody: { required: false, ...json(ref('ReplayWebhooks')) },
      responses: {
        '202': ok('the job ids queued again', ref('WebhooksReplayed')),
        '404': error('an id is not a failed delivery (code webhook-dead-letter-unknown); none replayed'),
        ...adminErrors,
      },
    },
  },
  '/health': {
    get: {
      summary: 'Liveness (always open, never rate-limited)',
      security: [{}],
      responses: { '200': ok('alive', ref('Health')) },
    },
  },
  '/ready': {
    get: {
      summary: 'Readiness: Redis and the database answer (always open, never rate-limited)',
      security: [{}],
      responses: { '200': ok('ready', ref('Ready')), '503': ok('not ready', ref('Ready')) },
    },
  },
  '/metrics': {
    get: {
      summary:
        'Prometheus metrics: queue depths, oldest waiting job, score lag, process counters (admin key; or METRICS_PORT, loopback by default)',
      security: adminSecurity,
      responses: {
        '200': { description: 'Prometheus text format', content: { 'text/plain': { schema: str } } },
        ...adminErrors,
      },
    },
  },
  '/openapi.json': {
    get: {
      summary: 'This document (always open)',
      security: [{}],
      responses: { '200': ok('OpenAPI 3.1', { type: 'object', required: ['openapi', 'paths'] }) },
    },
  },
};

/** The dashboard (its static shell and the signal history it reads) and Bull Board's page. */
const html = (description: string) => ({ description, content: { 'text/html': { schema: str } } });
const uiPaths: Record<string, Json> = {
  '/papers/{id}/signals': {
    get: {
      summary: 'A paper’s signal history (any of its ids): one series per source and signal, oldest first',
      security: readSecurity,
      parameters: [
        { name: 'id', in: 'path', required: true, schema: { type: 'string', minLength: 1, maxLength: 500 } },
      ],
      responses: {
        '200': ok(
          'the series; empty when no source reported signals',
          closed({
            paperId: str,
            series: {
              type: 'array',
              items: closed({
                source: { enum: [...SOURCES] },
                signal: { enum: [...SIGNAL_NAMES] },
                points: { type: 'array', items: closed({ at: dateTime, value: { type: 'number' } }) },
              }),
            },
          }),
        ),
        '301': { description: 'a merged-away id: Location names the surviving paper’s series' },
        '400': error('invalid id'),
        '404': error('no paper known by that id'),
        ...readErrors,
      },
    },
  },
  '/dashboard': {
    get: {
      summary: 'The dashboard: trending boards, paper detail, feed health (reads this API; always open)',
      security: [{}],
      responses: { '200': html('the page (strict Content-Security-Policy)') },
    },
  },
  '/dashboard/app.js': {
    get: {
      summary: 'The dashboard’s script (always open)',
      security: [{}],
      responses: { '200': { description: 'ES module', content: { 'text/javascript': { schema: str } } } },
    },
  },
  '/dashboard/style.css': {
    get: {
      summary: 'The dashboard’s style sheet (always open)',
      security: [{}],
      responses: { '200': { description: 'CSS', content: { 'text/css': { schema: str } } } },
    },
  },
  [BULL_BOARD_PATH]: {
    get: {
      summary:
        'Bull Board, the web UI of every BullMQ queue (admin key; HTTP Basic with the key as password). ' +
        'Its own sub-routes (UI paths, JSON API, static files) are internal and not described here',
      security: [{ basic: [] }, ...adminSecurity],
      responses: {
        '200': html('the UI'),
        '401': error('no admin key, or a key that is not valid or was revoked; WWW-Authenticate: Basic'),
        '403': error('the key lacks the admin scope'),
        '429': error('rate limit reached; see Retry-After'),
      },
    },
  },
};

/** Feeds of the trending boards (Atom, JSON Feed) and e-mail digests. */
const digestId: Json = { type: 'string', pattern: '^ds_[0-9a-f]{16}$' };
const feedSchemas: Record<string, Json> = {
  DigestSubscription: closed(
    {
      id: digestId,
      email: str,
      windows: { type: 'array', items: { enum: [...WINDOWS] }, minItems: 1 },
      categories: { type: 'array', items: str, minItems: 1 },
      cadence: { enum: ['daily', 'weekly'] },
      filters: bodySchema(readerFiltersSchema),
      createdAt: dateTime,
      updatedAt: dateTime,
      unsubscribedAt: nullable(dateTime),
    },
    ['id', 'email', 'windows', 'categories', 'cadence', 'createdAt', 'updatedAt', 'unsubscribedAt'],
  ),
  DigestSubscriptionList: closed({ items: { type: 'array', items: ref('DigestSubscription') } }),
  SubscribeDigest: bodySchema(subscribeDigestBody),
  DigestUnsubscribeState: closed({ id: digestId, unsubscribedAt: nullable(dateTime) }),
};
const trendingFeedPath = (format: 'atom' | 'json'): Json => ({
  get: {
    summary:
      format === 'atom'
        ? 'The current ranking of a board as an Atom 1.0 feed (entries in rank order)'
        : 'The current ranking of a board as a JSON Feed 1.1 (items in rank order)',
    security: readSecurity,
    parameters: [
      { name: 'window', in: 'path', required: true, schema: { enum: [...WINDOWS] } },
      query('category', { ...category, default: 'all' }, 'a primary category, or all (the overall board)'),
      query('limit', { type: 'integer', minimum: 1, maximum: 200, default: 50 }, 'entries at most'),
    ],
    responses: {
      '200': {
        description: 'the feed; ETag and Cache-Control set',
        content:
          format === 'atom'
            ? { 'application/atom+xml': { schema: str } }
            : {
                'application/feed+json': {
                  schema: { type: 'object', required: ['version', 'title', 'items'] },
                },
              },
      },
      '304': { description: 'If-None-Match matched' },
      '400': error('invalid window or parameters'),
      '404': error('no ranking yet for that board'),
      ...readErrors,
    },
  },
});
const unsubscribeToken: Json = { type: 'string', minLength: 1, maxLength: 200 };
const oneClickForm: Json = closed(
  { token: unsubscribeToken, 'List-Unsubscribe': { const: 'One-Click' } },
  [],
);
/** The unsubscribe routes answer HTML, or JSON when Accept prefers it. */
const unsubscribeAnswer = (description: string) => ({
  description,
  content: { 'text/html': { schema: str }, 'application/json': { schema: ref('DigestUnsubscribeState') } },
});
const unsubscribeError = (description: string) => ({
  description,
  content: { 'text/html': { schema: str }, 'application/json': { schema: ref('Error') } },
});
/** Dated boards and their feeds, per kind: the URL parameter and its form. */
const DATED: [kind: string, param: string, pattern: string, example: string][] = [
  ['daily', 'date', '^\\d{4}-\\d{2}-\\d{2}$', '2026-12-03'],
  ['weekly', 'isoWeek', '^\\d{4}-W\\d{2}$', '2026-W49'],
  ['monthly', 'month', '^\\d{4}-\\d{2}$', '2026-12'],
];
const datedErrors = {
  '304': { description: 'If-None-Match matched' },
  '400': error('not a period of that kind (e.g. 2026-02-30, 2026-W54), or invalid parameters'),
  '404': error('no board for that period (nothing appeared in it, or it has not begun)'),
  ...readErrors,
};
const datedPaths: Record<string, Json> = Object.fromEntries(
  DATED.flatMap(([kind, param, pattern, example]) => {
    const p = { name: param, in: 'path', required: true, schema: { type: 'string', pattern }, example };
    const feedDoc = (format: 'atom' | 'json'): Json => ({
      get: {
        summary: `The ${kind} board as ${format === 'atom' ? 'an Atom 1.0 feed' : 'a JSON Feed 1.1'}`,
        security: readSecurity,
        parameters: [
          p,
          query('limit', { type: 'integer', minimum: 1, maximum: 200, default: 50 }, 'entries at most'),
        ],
        responses: {
          '200': {
            description: 'the feed; ETag and Cache-Control (immutable once final) set',
            content:
              format === 'atom'
                ? { 'application/atom+xml': { schema: str } }
                : {
                    'application/feed+json': {
                      schema: { type: 'object', required: ['version', 'title', 'items'] },
                    },
                  },
          },
          ...datedErrors,
        },
      },
    });
    return [
      [
        `/${kind}/{${param}}`,
        {
          get: {
            summary: `The papers that first appeared in that UTC ${kind === 'daily' ? 'day' : kind === 'weekly' ? 'ISO week' : 'month'}, by the signals they gathered (immutable once final)`,
            security: readSecurity,
            parameters: [
              p,
              query('limit', { type: 'integer', minimum: 1, maximum: 200, default: 50 }, 'page size'),
              query('offset', { type: 'integer', minimum: 0, maximum: 10000, default: 0 }, 'rows to skip'),
            ],
            responses: {
              '200': ok('the board; ETag and Cache-Control set', ref('DatedBoard')),
              ...datedErrors,
            },
          },
        },
      ],
      [`/feeds/${kind}/{${param}}.atom`, feedDoc('atom')],
      [`/feeds/${kind}/{${param}}.json`, feedDoc('json')],
    ];
  }),
);

const feedPaths: Record<string, Json> = {
  '/feeds/trending/{window}.atom': trendingFeedPath('atom'),
  '/feeds/trending/{window}.json': trendingFeedPath('json'),
  '/digests/subscriptions': {
    get: {
      summary: 'Digest subscriptions, unsubscribed ones too (admin key)',
      security: adminSecurity,
      responses: { '200': ok('every subscription', ref('DigestSubscriptionList')), ...adminErrors },
    },
    post: {
      summary: 'Subscribe an address to e-mail digests, or change (and resume) its subscription',
      security: adminSecurity,
      requestBody: { required: true, ...json(ref('SubscribeDigest')) },
      responses: {
        '201': ok('subscribed; Location set', ref('DigestSubscription')),
        '200': ok('the address was subscribed already: its settings changed', ref('DigestSubscription')),
        ...adminErrors,
      },
    },
  },
  '/digests/subscriptions/{id}': {
    delete: {
      summary: 'Unsubscribe (the subscription and the papers it was sent are kept)',
      security: adminSecurity,
      parameters: [{ name: 'id', in: 'path', required: true, schema: digestId }],
      responses: {
        '204': { description: 'unsubscribed' },
        '404': error('no such subscription (code digest-unknown)'),
        ...adminErrors,
      },
    },
  },
  '/digests/unsubscribe': {
    get: {
      summary:
        'The unsubscribe link of a digest e-mail: a confirmation page whose button POSTs the token back. ' +
        'Changes nothing (mail scanners and link previews fetch it). Always open: the signed token is the ' +
        'credential. Pages and errors are HTML unless Accept prefers application/json; never cached',
      security: [{}],
      parameters: [query('token', unsubscribeToken, 'from the e-mail', true)],
      responses: {
        '200': unsubscribeAnswer(
          'the confirmation page (a form posting the token), or "already unsubscribed"; JSON: the state',
        ),
        '400': unsubscribeError('missing or invalid token (codes invalid-request, invalid-token)'),
        '404': unsubscribeError(
          'digests are not configured here (digests-disabled), or the subscription is gone (digest-unknown)',
        ),
        '429': error('rate limit reached; see Retry-After'),
      },
    },
    post: {
      summary:
        "Unsubscribe (idempotent): the confirmation page's button, or a mail provider's one-click " +
        'unsubscribe (RFC 8058: body List-Unsubscribe=One-Click, token in the query string). Always open. ' +
        'Answers are HTML unless Accept prefers application/json; never cached',
      security: [{}],
      parameters: [
        query('token', unsubscribeToken, 'from the e-mail; or in the body (the same token if in both)'),
      ],
      requestBody: {
        required: false,
        content: {
          'application/x-www-form-urlencoded': {
            schema: oneClickForm,
            examples: {
              oneClick: {
                summary: 'RFC 8058 one-click (the token is in the query string)',
                value: { 'List-Unsubscribe': 'One-Click' },
              },
              page: { summary: "the confirmation page's form", value: { token: 'ds_0123456789abcdef.…' } },
            },
          },
          'multipart/form-data': {
            schema: oneClickForm,
            description:
              'RFC 8058 one-click as multipart: read and ignored, the token must be in the query string',
          },
          'application/json': { schema: oneClickForm },
        },
      },
      responses: {
        '200': unsubscribeAnswer('unsubscribed, now or before: a page saying so; JSON: the state'),
        '400': unsubscribeError(
          'no token, an invalid token, different tokens in URL and body, or unknown fields ' +
            '(codes invalid-request, invalid-token)',
        ),
        '404': unsubscribeError(
          'digests are not configured here (digests-disabled), or the subscription is gone (digest-unknown)',
        ),
        '413': error('a body over 4 KiB'),
        '415': error('a body of another type than these (or text/plain, which is a 400)'),
        '429': error('rate limit reached; see Retry-After'),
      },
    },
  },
};

export function openApiDocument(): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Paperwire API',
      version: PAPERWIRE_VERSION,
      description:
        'Trending research papers and the feed registry. Errors are `{"error": {"code", "message"}}`. ' +
        'Reads are open unless the server sets API_READ_REQUIRES_KEY=true; writes need a key with the ' +
        'admin scope. Every key, and every client IP without one, is rate-limited per minute ' +
        '(X-RateLimit-* headers; 429 with Retry-After).',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    paths: { ...paths, ...uiPaths, ...feedPaths, ...datedPaths },
    components: {
      schemas: { ...schemas, ...feedSchemas },
      securitySchemes: {
        apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
        bearer: { type: 'http', scheme: 'bearer', description: 'the same key as Authorization: Bearer' },
        basic: {
          type: 'http',
          scheme: 'basic',
          description: `${BULL_BOARD_PATH} only: any user, the key as password`,
        },
      },
    },
  };
}

/** `/feeds/:id` → `/feeds/{id}`. */
export const toOpenApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

const registered = new WeakMap<FastifyInstance, { method: string; url: string }[]>();

/** Routes registered after `openApiRoutes` (HEAD twins left out), for the test that all are documented. */
export function registeredRoutes(app: FastifyInstance): { method: string; url: string }[] {
  return [...(registered.get(app) ?? [])];
}

export function openApiRoutes(app: FastifyInstance): void {
  const routes: { method: string; url: string }[] = [];
  registered.set(app, routes);
  app.addHook('onRoute', (route) => {
    // Bull Board's internal sub-routes (its SPA paths, JSON API and static files under /admin/queues/) are
    // the UI's own business; only the page itself, /admin/queues, is part of the documented API.
    if (route.url.startsWith(`${BULL_BOARD_PATH}/`)) return;
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') routes.push({ method, url: route.url });
    }
  });
  const document = openApiDocument();
  app.get('/openapi.json', async () => document);
}
