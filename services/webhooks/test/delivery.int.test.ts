// Webhook delivery against real Redis, FerretDB and an HTTP receiver on 127.0.0.1: a matching event arrives
// exactly as signed (and a non-matching one not at all); failures are retried with backoff and Retry-After;
// a receiver that keeps failing ends in the dead-letter list and `replay` delivers once it is fixed; the
// same event fanned out twice is delivered once; cloud-metadata addresses are refused; no secret is logged.
/// <reference path="../../../test/setup/global-setup.ts" />
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  fanOutToWebhooks,
  replayDeadLetters,
  type WebhookEvent,
  WebhookReplayError,
  webhookJobId,
} from '@paperwire/jobs';
import { createLogger, metrics } from '@paperwire/platform';
import { createRuntime, type Runtime } from '@paperwire/runtime';
import type { Job } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testMongoUri, testRedisUrl, uniquePrefix } from '../../../test/support/services.ts';
import { startWebhooks, verifyWebhookSignature, webhooksEnvSchema } from '../src/index.ts';

// Every log line of this file's runtime and worker, to prove no secret reaches them.
const logLines: string[] = [];
const log = createLogger({
  service: 'test',
  level: 'debug',
  destination: { write: (line: string) => void logLines.push(line) },
});
const secrets: string[] = [];

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}
type Answer = { status: number; headers?: Record<string, string> };

const received: Received[] = [];
/** Per path: the answer to its n-th request (0-based). Unlisted paths answer 200. */
const behaviours = new Map<string, (n: number) => Answer>();
let server: Server;
let base: string;
let rt: Runtime;
let fanOut: (event: WebhookEvent) => Promise<void>;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      const n = received.filter((r) => r.path === path).length;
      received.push({
        path,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      });
      const answer = behaviours.get(path)?.(n) ?? { status: 200 };
      res.writeHead(answer.status, answer.headers).end('ok');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const config = webhooksEnvSchema.parse({
    MONGODB_URI: testMongoUri('webhooks'),
    REDIS_URL: testRedisUrl(),
    PAPERWIRE_QUEUE_PREFIX: uniquePrefix('webhooks'),
    PAPERWIRE_ALLOW_PRIVATE_NETWORKS: 'true',
    WEBHOOK_TIMEOUT_MS: '5000',
  });
  rt = await createRuntime(config, log);
  startWebhooks(rt, config);
  // The catalogue's 10 s exponential backoff, shortened so eight tries take well under a second.
  fanOut = fanOutToWebhooks({
    db: rt.db,
    queues: rt.queues,
    jobOptions: { backoff: { type: 'fixed', delay: 50 } },
  });
});

afterEach(async () => {
  for (const w of await rt.db.webhooks.list()) await rt.db.webhooks.remove(w.id);
});

afterAll(async () => {
  await rt?.shutdown.run('test done');
  server?.close();
});

async function subscribe(pathOrUrl: string, eventTypes: string[]) {
  const url = pathOrUrl.startsWith('/') ? `${base}${pathOrUrl}` : pathOrUrl;
  const { secret, record } = await rt.db.webhooks.create({ url, eventTypes }, new Date());
  secrets.push(secret);
  return { id: record.id, secret };
}

let seq = 0;
function event(type: string): WebhookEvent {
  seq += 1;
  return {
    id: `${type}:arxiv:2611.0${seq}`,
    type,
    version: 1,
    occurredAt: '2026-11-28T10:00:00.000Z',
    data: { paper: { paperId: `arxiv:2611.0${seq}`, title: 'Sparse “Causal” Models', authors: ['Ada'] } },
  };
}

/** Polls `check` until it returns true; fails after `ms`. */
async function until(check: () => Promise<boolean> | boolean, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const at = (path: string) => received.filter((r) => r.path === path);
const job = async (subscriptionId: string, e: WebhookEvent): Promise<Job | undefined> =>
  rt.queues.byName.webhooks.getJob(webhookJobId(subscriptionId, e.id));
const state = async (subscriptionId: string, e: WebhookEvent) =>
  (await job(subscriptionId, e))?.getState() ?? 'missing';

/** paperwire_webhook_deliveries_total per outcome, as this process's registry has it now. */
type Outcome = 'delivered' | 'retried' | 'dead-lettered' | 'skipped';
async function deliveryCounts(): Promise<Record<Outcome, number>> {
  const counts: Record<Outcome, number> = { delivered: 0, retried: 0, 'dead-lettered': 0, skipped: 0 };
  for (const v of (await metrics.webhookDeliveries.get()).values)
    counts[v.labels.outcome as Outcome] = v.value;
  return counts;
}

describe('delivery', () => {
  it('delivers a matching event exactly as signed, and no event of another type', async () => {
    const { id, secret } = await subscribe('/signed', ['paper.*']);
    const e = event('paper.created');
    await fanOut(e);
    await until(() => at('/signed').length === 1, 'the delivery');

    const [got] = at('/signed');
    expect(got?.headers['content-type']).toBe('application/json');
    expect(got?.headers['paperwire-event-id']).toBe(e.id);
    expect(got?.headers['paperwire-event-type']).toBe('paper.created');
    expect(got?.headers['user-agent']).toMatch(/^Paperwire-Webhooks\//);
    expect(got?.body).toBe(JSON.stringify(e));
    expect(JSON.parse(got?.body ?? '')).toEqual(e);
    const header = String(got?.headers['paperwire-signature']);
    const t = Number(got?.headers['paperwire-timestamp']);
    expect(header).toMatch(new RegExp(`^t=${t},v1=[0-9a-f]{64}$`));
    expect(verifyWebhookSignature(secret, header, got?.body ?? '', new Date())).toEqual({
      ok: true,
      timestamp: t,
    });
    await until(async () => (await state(id, e)) === 'completed', 'the job to complete');

    // A replay of the captured request after the tolerance, or one dated ahead of it, is refused.
    expect(verifyWebhookSignature(secret, header, got?.body ?? '', new Date((t + 301) * 1000))).toEqual({
      ok: false,
      reason: 'timestamp-outside-tolerance',
    });
    expect(verifyWebhookSignature(secret, header, got?.body ?? '', new Date((t - 301) * 1000)).ok).toBe(
      false,
    );
    expect(verifyWebhookSignature('whsec_wrong', header, got?.body ?? '', new Date()).ok).toBe(false);

    const other = event('trending.entered');
    await fanOut(other);
    expect(await job(id, other)).toBeUndefined();
    expect(at('/signed')).toHaveLength(1);
  });

  it('a subscription with reader filters gets only events about a paper that matches them', async () => {
    const filtered = await rt.db.webhooks.create(
      {
        url: `${base}/filtered`,
        eventTypes: ['*'],
        filters: { authors: ['A. Lovelace'], keywords: ['robots'] },
      },
      new Date(),
    );
    secrets.push(filtered.secret);
    expect(filtered.record.filters).toEqual({ authors: ['A. Lovelace'], keywords: ['robots'] });
    const paperEvent = (type: string, data: unknown): WebhookEvent => {
      seq += 1;
      return { id: `${type}:filters:${seq}`, type, version: 1, occurredAt: '2026-11-28T10:00:00.000Z', data };
    };
    const byAda = paperEvent('paper.created', {
      paper: { title: 'Sparse Models', categories: ['cs.LG'], authors: ['Ada Lovelace'] },
    });
    const robots = paperEvent('trending.entered', {
      row: { title: 'Walking robots', categories: ['cs.RO'], authors: [], abstract: 'Legs.' },
    });
    const other = paperEvent('paper.created', {
      paper: { title: 'Robotics, Generalised', categories: ['cs.RO'], authors: ['Alan Turing'] },
    });
    const board = paperEvent('trending.updated', { top: [] });
    for (const e of [byAda, robots, other, board]) await fanOut(e);
    await until(() => at('/filtered').length === 2, 'the two matching deliveries');
    expect(
      at('/filtered')
        .map((r) => JSON.parse(r.body).id)
        .sort(),
    ).toEqual([byAda.id, robots.id].sort());
    expect(await job(filtered.record.id, other)).toBeUndefined();
    expect(await job(filtered.record.id, board)).toBeUndefined();
    await expect(
      rt.db.webhooks.create(
        { url: `${base}/bad`, eventTypes: ['*'], filters: { keywords: [''] } },
        new Date(),
      ),
    ).rejects.toThrow(/filters must be lists/);
  });

  it('retries a receiver that fails twice and delivers on the third attempt', async () => {
    const before = await deliveryCounts();
    behaviours.set('/flaky', (n) => ({ status: n === 0 ? 500 : n === 1 ? 503 : 200 }));
    const { id, secret } = await subscribe('/flaky', ['trending.*']);
    const e = event('trending.entered');
    await fanOut(e);
    await until(async () => (await state(id, e)) === 'completed', 'the delivery to complete');

    const tries = at('/flaky');
    expect(tries).toHaveLength(3);
    for (const r of tries) {
      expect(r.headers['paperwire-event-id']).toBe(e.id);
      expect(r.body).toBe(JSON.stringify(e));
      expect(
        verifyWebhookSignature(secret, String(r.headers['paperwire-signature']), r.body, new Date()).ok,
      ).toBe(true);
    }
    expect((await job(id, e))?.returnvalue).toEqual({ status: 'delivered', statusCode: 200 });
    const after = await deliveryCounts();
    expect(after.retried - before.retried).toBe(2);
    expect(after.delivered - before.delivered).toBe(1);
  });

  it('waits for Retry-After on a 429', async () => {
    behaviours.set('/busy', (n) =>
      n === 0 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 200 },
    );
    const { id } = await subscribe('/busy', ['paper.revised']);
    const e = event('paper.revised');
    await fanOut(e);
    await until(async () => (await state(id, e)) === 'completed', 'the delivery to complete');
    const [first, second] = at('/busy');
    expect(at('/busy')).toHaveLength(2);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(900);
  });

  it('dead-letters a receiver that always fails, and replay delivers once it is fixed', async () => {
    let fixed = false;
    behaviours.set('/down', () => ({ status: fixed ? 204 : 500 }));
    const { id } = await subscribe('/down', ['paper.*']);
    const e = event('paper.merged');
    await fanOut(e);
    await until(async () => (await state(id, e)) === 'failed', 'the dead letter');

    const dead = await job(id, e);
    expect(at('/down')).toHaveLength(8);
    expect((await deliveryCounts())['dead-lettered']).toBeGreaterThanOrEqual(1);
    expect(dead?.failedReason).toContain('answered 500');
    expect(dead?.failedReason).toContain('gave up after 8 tries');
    const failedIds = (await rt.queues.byName.webhooks.getFailed()).map((j) => j?.id);
    expect(failedIds).toContain(webhookJobId(id, e.id));

    await expect(replayDeadLetters(rt.queues, ['wh.not-a-job'])).rejects.toBeInstanceOf(WebhookReplayError);
    fixed = true;
    expect(await replayDeadLetters(rt.queues, [webhookJobId(id, e.id)])).toEqual([webhookJobId(id, e.id)]);
    await until(async () => (await state(id, e)) === 'completed', 'the replayed delivery');
    expect(at('/down')).toHaveLength(9);
    expect(new Set(at('/down').map((r) => r.headers['paperwire-event-id']))).toEqual(new Set([e.id]));
  });

  it('dead-letters a 4xx refusal at once, without retrying', async () => {
    behaviours.set('/gone', () => ({ status: 410 }));
    const { id } = await subscribe('/gone', ['*']);
    const e = event('paper.signals');
    await fanOut(e);
    await until(async () => (await state(id, e)) === 'failed', 'the dead letter');
    expect(at('/gone')).toHaveLength(1);
    expect((await job(id, e))?.failedReason).toContain('answered 410');
  });

  it('delivers an event fanned out twice once, with one Paperwire-Event-Id', async () => {
    const { id } = await subscribe('/dedup', ['trending.left']);
    const e = event('trending.left');
    await Promise.all([fanOut(e), fanOut(e)]);
    await until(async () => (await state(id, e)) === 'completed', 'the delivery to complete');
    await fanOut(e);
    const counts = await rt.queues.byName.webhooks.getJobCounts(
      'waiting',
      'delayed',
      'active',
      'prioritized',
    );
    expect(Object.values(counts).every((n) => n === 0)).toBe(true);
    expect(at('/dedup')).toHaveLength(1);
    expect(at('/dedup')[0]?.headers['paperwire-event-id']).toBe(e.id);
  });

  it('refuses a URL on 169.254.169.254 before connecting, and does not retry it', async () => {
    const { id } = await subscribe('http://169.254.169.254/latest/meta-data/', ['paper.*']);
    const e = event('paper.created');
    await fanOut(e);
    await until(async () => (await state(id, e)) === 'failed', 'the refusal');
    const refused = await job(id, e);
    expect(refused?.attemptsMade).toBe(1);
    expect(refused?.failedReason).toMatch(/refused: the address is not allowed/);
    expect(refused?.failedReason).not.toContain('/latest/meta-data');
  });

  it('skips a queued delivery whose subscription was removed', async () => {
    behaviours.set('/removed', () => ({ status: 500 }));
    const { id } = await subscribe('/removed', ['paper.created']);
    const e = event('paper.created');
    await fanOut(e);
    await until(() => at('/removed').length >= 1, 'the first try');
    await rt.db.webhooks.remove(id);
    await until(async () => (await state(id, e)) === 'completed', 'the skip');
    expect((await job(id, e))?.returnvalue).toEqual({ status: 'skipped', reason: 'subscription-removed' });
  });
});

describe('logs', () => {
  it('never contain a subscription secret', () => {
    expect(secrets.length).toBeGreaterThanOrEqual(8);
    expect(logLines.some((l) => l.includes('job attempt failed'))).toBe(true);
    expect(logLines.some((l) => l.includes('webhooks: delivered'))).toBe(true);
    for (const secret of secrets) {
      expect(logLines.filter((l) => l.includes(secret))).toEqual([]);
      // Not even a recognisable part of one.
      expect(logLines.filter((l) => l.includes(secret.slice(6, 26)))).toEqual([]);
    }
  });
});
