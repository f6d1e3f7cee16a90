// The digest routes under API_READ_REQUIRES_KEY=true: a digest e-mail's unsubscribe link works without a
// key (its HMAC token is the credential, and only unsubscribes the subscription it names), listing the
// subscriptions needs an admin key even though it is a GET, and without DIGEST_SECRET the link is refused.
/// <reference path="../../../test/setup/global-setup.ts" />
import { unsubscribeToken } from '@paperwire/core';
import type { Runtime } from '@paperwire/runtime';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRuntimes } from '../../../test/support/runtime.ts';
import { buildApp } from '../src/index.ts';

const SECRET = 'api-digest-test-secret-0123456789abcdef';
const runtimes = testRuntimes();
let rt: Runtime;
let app: FastifyInstance;
let readKey: string;
let adminKey: string;

beforeAll(async () => {
  rt = await runtimes.runtime('api-digests');
  app = buildApp(rt, { API_READ_REQUIRES_KEY: true, DIGEST_SECRET: SECRET });
  await app.ready();
  readKey = (await rt.db.apiKeys.create('reader', ['read'], new Date())).key;
  adminKey = (await rt.db.apiKeys.create('ops', ['admin'], new Date())).key;
});

afterAll(async () => {
  await app?.close();
  await runtimes.closeAll();
});

describe('digest routes when reads need a key', () => {
  it('the unsubscribe link needs no key and unsubscribes only its own subscription', async () => {
    const ada = (
      await rt.db.digests.subscribe(
        { email: 'ada@example.org', windows: ['24h'], cadence: 'daily' },
        new Date(),
      )
    ).subscription;
    const bob = (
      await rt.db.digests.subscribe(
        { email: 'bob@example.org', windows: ['7d'], cadence: 'weekly' },
        new Date(),
      )
    ).subscription;
    const res = await app.inject({
      method: 'GET',
      url: `/digests/unsubscribe?token=${unsubscribeToken(SECRET, ada.id)}`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('Unsubscribed');
    expect((await rt.db.digests.get(ada.id))?.unsubscribedAt).not.toBeNull();
    expect((await rt.db.digests.get(bob.id))?.unsubscribedAt).toBeNull();
    // Again: still fine (a second click, a mail scanner).
    const again = await app.inject({
      method: 'GET',
      url: `/digests/unsubscribe?token=${unsubscribeToken(SECRET, ada.id)}`,
    });
    expect(again.statusCode).toBe(200);
    // A token made with another secret, or edited to name bob, does nothing.
    for (const token of [
      unsubscribeToken('another-secret-0123456789abcdefghijklmn', bob.id),
      unsubscribeToken(SECRET, ada.id).replace(ada.id, bob.id),
    ]) {
      const refused = await app.inject({
        method: 'GET',
        url: `/digests/unsubscribe?token=${encodeURIComponent(token)}`,
      });
      expect([refused.statusCode, refused.json().error.code]).toEqual([400, 'invalid-token']);
    }
    expect((await rt.db.digests.get(bob.id))?.unsubscribedAt).toBeNull();
  });

  it('listing subscriptions needs an admin key, not just a read key', async () => {
    const url = '/digests/subscriptions';
    expect((await app.inject({ method: 'GET', url })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url, headers: { 'x-api-key': readKey } })).statusCode).toBe(
      403,
    );
    const listed = await app.inject({ method: 'GET', url, headers: { 'x-api-key': adminKey } });
    expect(listed.statusCode).toBe(200);
    expect(
      listed
        .json()
        .items.map((s: { email: string }) => s.email)
        .sort(),
    ).toEqual(['ada@example.org', 'bob@example.org']);
    const post = await app.inject({
      method: 'POST',
      url,
      headers: { 'x-api-key': readKey },
      payload: { email: 'eve@example.org', windows: ['24h'] },
    });
    expect(post.statusCode).toBe(403);
  });

  it('without DIGEST_SECRET the link is refused', async () => {
    const plain = buildApp(rt, {});
    try {
      const res = await plain.inject({
        method: 'GET',
        url: '/digests/unsubscribe?token=ds_0000000000000000.x',
      });
      expect([res.statusCode, res.json().error.code]).toEqual([404, 'digests-disabled']);
    } finally {
      await plain.close();
    }
  });
});
