// The API as a client attacks it: a real `paperwire start --only api` process on loopback, on servers of
// this scenario's own, asked over HTTP.
//  - operator injection: operator-shaped query parameters (`?id[$ne]=`) and JSON bodies with `$where`,
//    `$set`, `$gt` on the write routes → a 4xx, never a 500, and nothing written;
//  - admin endpoints with a missing, wrong, revoked and read-only key → 401/403, and nothing changed;
//  - webhook signatures: deliveries built by the webhooks service verified as a receiver would, and
//    tampered, re-signed, re-dated and replayed-outside-the-tolerance ones refused.
// The keys and the webhook secret join the secrets the final row looks for in every log line.
import { verifyWebhookSignature, WEBHOOK_HEADERS, WEBHOOK_TOLERANCE_SECONDS } from '@paperwire/core';
import { buildWebhookRequest } from '@paperwire/webhooks';
import { freePort } from '../../../infra/local/src/redis.ts';
import {
  exited,
  mongoDb,
  pipelineEnv,
  type Row,
  runnerRuntime,
  type Scenario,
  spawnCli,
  startOwnFerret,
  startOwnRedis,
  uniq,
  waitUntil,
} from '../support.ts';

interface Attempt {
  name: string;
  method: string;
  path: string;
  key?: string;
  body?: unknown;
  /** Acceptable statuses. */
  want: number[];
}

export const apiSecurity: Scenario = {
  name: 'api-security',
  ci: true,
  async run({ secrets, sink, cleanup, dir }) {
    const t0 = Date.now();
    const redis = await startOwnRedis(dir, secrets.redisPassword, cleanup);
    const ferret = await startOwnFerret(dir, cleanup);
    const prefix = uniq('api');
    const mongoUri = ferret.uri('pw_api');
    const rt = await runnerRuntime(mongoUri, redis.url, prefix, sink, cleanup);
    const db = await mongoDb(mongoUri, cleanup);
    const now = new Date();
    const keys = {
      admin: (await rt.db.apiKeys.create('res-admin', ['admin'], now)).key,
      reader: (await rt.db.apiKeys.create('res-reader', ['read'], now)).key,
      revoked: (await rt.db.apiKeys.create('res-revoked', ['admin'], now)).key,
    };
    await rt.db.apiKeys.revoke('res-revoked', now);
    Object.assign(secrets, {
      apiKeyAdmin: keys.admin,
      apiKeyReader: keys.reader,
      apiKeyRevoked: keys.revoked,
    });

    const port = await freePort();
    const env = pipelineEnv(mongoUri, redis.url, prefix, dir, secrets, {
      PORT: String(port),
      HOST: '127.0.0.1',
      API_RATE_LIMIT_PER_MINUTE: '100000',
      PAPERWIRE_API_KEYS: secrets.apiKey,
    });
    const api = await spawnCli('api', ['start', '--only', 'api'], env, sink, cleanup, /paperwire: started/);
    const base = `http://127.0.0.1:${port}`;
    await waitUntil('api ready', async () => (await fetch(`${base}/health`)).ok || 'not ready', 60_000);
    const send = async (a: Attempt) => {
      const headers: Record<string, string> = {};
      if (a.key !== undefined) headers['x-api-key'] = a.key;
      if (a.body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(`${base}${a.path}`, {
        method: a.method,
        headers,
        ...(a.body !== undefined
          ? { body: typeof a.body === 'string' ? a.body : JSON.stringify(a.body) }
          : {}),
      });
      await res.arrayBuffer();
      return res.status;
    };

    // A feed to aim PATCH/DELETE at; the webhook secret comes from POST /webhooks (its only appearance).
    const feedRes = await fetch(`${base}/feeds`, {
      method: 'POST',
      headers: { 'x-api-key': keys.admin, 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'https://example.org/resilience.xml', kind: 'rss' }),
    });
    const feedId = ((await feedRes.json()) as { id?: string; _id?: string }).id ?? 'missing';
    const hookRes = await fetch(`${base}/webhooks`, {
      method: 'POST',
      headers: { 'x-api-key': keys.admin, 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'https://hooks.example.org/paperwire', eventTypes: ['*'] }),
    });
    const hook = (await hookRes.json()) as { id?: string; secret?: string };
    if (hook.secret) secrets.webhookSecret = hook.secret;
    const fingerprint = async () =>
      JSON.stringify(
        await Promise.all(
          ['feeds', 'webhooks', 'apikeys'].map((c) => db.collection(c).find({}).sort({ _id: 1 }).toArray()),
        ),
      );
    const before = await fingerprint();

    const injections: Attempt[] = [
      ...[
        '/papers?id[$ne]=x',
        '/papers?category[$ne]=cs.LG',
        '/papers?since[$gt]=',
        '/papers?cursor[$where]=1',
        '/trending?window[$ne]=24h',
        '/trending?category[$regex]=.*',
        '/trending/changes?since[$gt]=0',
        '/papers/%7B%22%24ne%22%3Anull%7D',
        '/papers/$where',
      ].map((path) => ({ name: `GET ${path}`, method: 'GET', path, want: [400, 404] })),
      // Not nested by the query parser: an unknown parameter, ignored or refused; never a 500.
      ...['/feeds?__proto__[polluted]=1', '/papers?constructor[prototype][polluted]=1'].map((path) => ({
        name: `GET ${path}`,
        method: 'GET',
        path,
        want: [200, 400, 404],
      })),
      ...[
        { url: { $gt: '' } },
        { url: 'https://example.org/x.xml', $where: 'sleep(1000)' },
        { url: 'https://example.org/y.xml', kind: { $ne: null } },
        { url: 'https://example.org/z.xml', intervalMinutes: { $gt: 0 } },
        '{"url":"https://example.org/p.xml","__proto__":{"polluted":1}}',
        { $set: { enabled: false } },
      ].map((body) => ({
        name: `POST /feeds ${JSON.stringify(body)}`,
        method: 'POST',
        path: '/feeds',
        key: keys.admin,
        body,
        want: [400],
      })),
      ...[
        { $set: { url: 'http://169.254.169.254/' } },
        { enabled: { $ne: false } },
        { 'state.etag': 'x' },
        { $where: '1' },
      ].map((body) => ({
        name: `PATCH /feeds/:id ${JSON.stringify(body)}`,
        method: 'PATCH',
        path: `/feeds/${feedId}`,
        key: keys.admin,
        body,
        want: [400],
      })),
      ...[
        { url: { $gt: '' } },
        { url: 'https://hooks.example.org/b', eventTypes: { $ne: [] } },
        { $where: '1' },
      ].map((body) => ({
        name: `POST /webhooks ${JSON.stringify(body)}`,
        method: 'POST',
        path: '/webhooks',
        key: keys.admin,
        body,
        want: [400],
      })),
      {
        name: 'POST /rescore {$where}',
        method: 'POST',
        path: '/rescore',
        key: keys.admin,
        body: { $where: '1' },
        want: [400],
      },
      {
        name: 'DELETE /feeds/{"$ne":null}',
        method: 'DELETE',
        path: '/feeds/%7B%22%24ne%22%3Anull%7D',
        key: keys.admin,
        want: [400, 404],
      },
    ];
    const writes: [string, string, unknown?][] = [
      ['POST', '/feeds', { url: 'https://example.org/refused.xml' }],
      ['PATCH', `/feeds/${feedId}`, { enabled: false }],
      ['DELETE', `/feeds/${feedId}`],
      ['POST', `/feeds/${feedId}/fetch`],
      ['POST', '/rescore', {}],
      ['POST', '/webhooks', { url: 'https://hooks.example.org/refused' }],
      ['GET', '/webhooks'],
      ['DELETE', `/webhooks/${hook.id ?? 'wh_0000000000000000'}`],
      ['POST', '/webhooks/replay', {}],
    ];
    const refusals: Attempt[] = writes.flatMap(([method, path, body]) =>
      (
        [
          ['no key', undefined, [401]],
          ['a wrong key', 'pw_not-a-key-we-made', [401]],
          ['a revoked key', keys.revoked, [401]],
          ['a read-only key', keys.reader, [403]],
        ] as const
      ).map(([what, key, want]) => ({
        name: `${method} ${path} with ${what}`,
        method,
        path,
        ...(key !== undefined ? { key } : {}),
        ...(body !== undefined ? { body } : {}),
        want: [...want],
      })),
    );

    const rows: Row[] = [];
    for (const [cls, attempts] of [
      ['API: operator injection (query and JSON bodies)', injections],
      ['API: admin endpoints with missing/wrong/revoked/read-only keys', refusals],
    ] as const) {
      const failures: string[] = [];
      for (const a of attempts) {
        const status = await send(a);
        if (!a.want.includes(status)) failures.push(`${a.name} → ${status}`);
      }
      const after = await fingerprint();
      const unchanged = after === before;
      const clean = ({} as Record<string, unknown>).polluted === undefined;
      rows.push({
        class: cls,
        tried: attempts.length,
        survived: unchanged && clean && !exited(api.child) ? attempts.length - failures.length : 0,
        expected: null,
        stored: null,
        duplicated: 0,
        lost: 0,
        notes:
          `${unchanged ? 'feeds, webhooks and keys unchanged' : 'SOMETHING CHANGED'}` +
          (failures.length
            ? `; UNEXPECTED: ${failures.slice(0, 6).join(' | ')}`
            : '; every one refused as expected'),
      });
    }

    // Webhook signatures, checked the way a receiver checks them.
    const secret = hook.secret ?? secrets.webhookSecret;
    const event = {
      id: 'evt_resilience_1',
      type: 'paper.created',
      version: 1,
      occurredAt: now.toISOString(),
      data: { paperId: 'arxiv:2611.00001' },
    };
    const signedAt = new Date(now.getTime());
    const req = buildWebhookRequest(event, secret, signedAt);
    const sig = req.headers[WEBHOOK_HEADERS.signature]!;
    const later = (s: number) => new Date(signedAt.getTime() + s * 1000);
    const t = Number(/t=(\d+)/.exec(sig)![1]);
    const checks: [string, boolean][] = [
      ['a genuine delivery is accepted', verifyWebhookSignature(secret, sig, req.body, later(5)).ok],
      [
        'a tampered body is refused',
        !verifyWebhookSignature(secret, sig, req.body.replace('2611', '2612'), later(5)).ok,
      ],
      ['a wrong secret is refused', !verifyWebhookSignature(`${secret}x`, sig, req.body, later(5)).ok],
      [
        'a re-dated signature is refused',
        !verifyWebhookSignature(secret, sig.replace(`t=${t}`, `t=${t + 600}`), req.body, later(600)).ok,
      ],
      ['a missing header is refused', !verifyWebhookSignature(secret, undefined, req.body, later(5)).ok],
      ['a malformed header is refused', !verifyWebhookSignature(secret, 'v1=abc', req.body, later(5)).ok],
      [
        `a replay ${WEBHOOK_TOLERANCE_SECONDS + 1} s later is refused`,
        !verifyWebhookSignature(secret, sig, req.body, later(WEBHOOK_TOLERANCE_SECONDS + 1)).ok,
      ],
      ['a replay a day later is refused', !verifyWebhookSignature(secret, sig, req.body, later(86_400)).ok],
      [
        `a signature ${WEBHOOK_TOLERANCE_SECONDS + 1} s in the future is refused`,
        !verifyWebhookSignature(secret, sig, req.body, later(-(WEBHOOK_TOLERANCE_SECONDS + 1))).ok,
      ],
      [
        'GET /webhooks never shows the secret',
        !JSON.stringify(
          await (await fetch(`${base}/webhooks`, { headers: { 'x-api-key': keys.admin } })).json(),
        ).includes(secret),
      ],
    ];
    const failed = checks.filter(([, ok]) => !ok).map(([name]) => name);
    rows.push({
      class: 'webhook signatures and replays',
      tried: checks.length,
      survived: hook.secret ? checks.length - failed.length : 0,
      expected: null,
      stored: null,
      duplicated: 0,
      lost: 0,
      notes: `${hook.secret ? 'secret from POST /webhooks' : 'NO SECRET RETURNED'}; tolerance ${WEBHOOK_TOLERANCE_SECONDS} s${failed.length ? `; FAILED: ${failed.join(' | ')}` : ''}`,
      seconds: (Date.now() - t0) / 1000,
    });
    await api.stop();
    return rows;
  },
};
