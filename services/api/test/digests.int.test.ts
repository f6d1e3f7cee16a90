// The digest routes under API_READ_REQUIRES_KEY=true: a digest e-mail's unsubscribe link works without a
// key (its HMAC token is the credential, and only unsubscribes the subscription it names). GET only shows a
// confirmation page whose form posts the token (prefetches by scanners and link previews change nothing);
// POST unsubscribes — from that form, or as an RFC 8058 one-click (form or multipart) — idempotently.
// Forged tokens are refused as HTML or JSON as asked; form bodies are parsed on that route only; listing
// the subscriptions needs an admin key even though it is a GET; without DIGEST_SECRET the link is refused.
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
  it('GET shows a confirmation page and changes nothing, however often it is fetched', async () => {
    const ada = (
      await rt.db.digests.subscribe(
        { email: 'ada@example.org', windows: ['24h'], cadence: 'daily' },
        new Date(),
      )
    ).subscription;
    const token = unsubscribeToken(SECRET, ada.id);
    const url = `/digests/unsubscribe?token=${encodeURIComponent(token)}`;
    // A person's click, then what mail scanners and link previews do: GET and HEAD, with or without Accept.
    for (const request of [
      { method: 'GET', url, headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } },
      { method: 'GET', url, headers: { 'user-agent': 'Mozilla/5.0 (compatible; LinkPreviewBot)' } },
      { method: 'HEAD', url },
      { method: 'GET', url, headers: { accept: '*/*' } },
    ] as const) {
      const res = await app.inject(request);
      expect(res.statusCode, `${request.method} ${JSON.stringify(request)}`).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-store');
      expect((await rt.db.digests.get(ada.id))?.unsubscribedAt).toBeNull();
    }
    const res = await app.inject({ method: 'GET', url });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.body).not.toMatch(/<script/i);
    // One form, posting the same token back to this URL.
    const forms = [...res.body.matchAll(/<form\b[^>]*>([\s\S]*?)<\/form>/g)];
    expect(forms).toHaveLength(1);
    expect(forms[0]![0]).toMatch(/^<form method="post">/);
    const hidden = /<input type="hidden" name="token" value="([^"]*)">/.exec(forms[0]![1]!);
    expect(hidden?.[1]).toBe(token);
    expect(forms[0]![1]).toMatch(/<button type="submit">Unsubscribe<\/button>/);
    // A client that asks for JSON gets the state, and still nothing changes.
    const json = await app.inject({ method: 'GET', url, headers: { accept: 'application/json' } });
    expect([json.statusCode, json.json()]).toEqual([200, { id: ada.id, unsubscribedAt: null }]);
    expect((await rt.db.digests.get(ada.id))?.unsubscribedAt).toBeNull();
  });

  it("POST with the page's form body unsubscribes, and only that subscription; again is still 200", async () => {
    const cy = (
      await rt.db.digests.subscribe(
        { email: 'cy@example.org', windows: ['24h'], cadence: 'daily' },
        new Date(),
      )
    ).subscription;
    const bob = (
      await rt.db.digests.subscribe(
        { email: 'bob@example.org', windows: ['7d'], cadence: 'weekly' },
        new Date(),
      )
    ).subscription;
    const token = unsubscribeToken(SECRET, cy.id);
    const url = `/digests/unsubscribe?token=${encodeURIComponent(token)}`;
    // What the browser sends for the confirmation page's form: to the page's URL, the token in the body too.
    const form = {
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ token }).toString(),
    } as const;
    const res = await app.inject(form);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.body).toContain('Unsubscribed');
    const at = (await rt.db.digests.get(cy.id))?.unsubscribedAt;
    expect(at).not.toBeNull();
    expect((await rt.db.digests.get(bob.id))?.unsubscribedAt).toBeNull();
    // Again (a double click): 200, and the first unsubscription stands.
    const again = await app.inject(form);
    expect([again.statusCode, again.body.includes('Unsubscribed')]).toEqual([200, true]);
    expect((await rt.db.digests.get(cy.id))?.unsubscribedAt).toBe(at);
    // The token in the body only (no query) works too; a non-browser client gets JSON.
    const bodyOnly = await app.inject({
      ...form,
      url: '/digests/unsubscribe',
      headers: { ...form.headers, accept: 'application/json' },
    });
    expect([bodyOnly.statusCode, bodyOnly.json()]).toEqual([200, { id: cy.id, unsubscribedAt: at }]);
    // The GET page now says so, without a form.
    const page = await app.inject({ method: 'GET', url });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Already unsubscribed');
    expect(page.body).not.toContain('<form');
  });

  it('RFC 8058 one-click: List-Unsubscribe=One-Click to the URL of the header unsubscribes, as a form or multipart', async () => {
    for (const [email, multipart] of [
      ['dee@example.org', false],
      ['eli@example.org', true],
    ] as const) {
      const sub = (await rt.db.digests.subscribe({ email, windows: ['24h'], cadence: 'daily' }, new Date()))
        .subscription;
      const url = `/digests/unsubscribe?token=${encodeURIComponent(unsubscribeToken(SECRET, sub.id))}`;
      const boundary = 'pw-boundary-7f3a';
      const res = await app.inject({
        method: 'POST',
        url,
        headers: {
          'content-type': multipart
            ? `multipart/form-data; boundary=${boundary}`
            : 'application/x-www-form-urlencoded',
        },
        payload: multipart
          ? `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`
          : 'List-Unsubscribe=One-Click',
      });
      expect(res.statusCode, email).toBe(200);
      expect((await rt.db.digests.get(sub.id))?.unsubscribedAt, email).not.toBeNull();
    }
  });

  it('forged, foreign or missing tokens are refused (HTML page, or JSON when asked) and change nothing', async () => {
    const bob = (await rt.db.digests.get('bob@example.org'))!;
    const ada = (await rt.db.digests.get('ada@example.org'))!;
    const forged = [
      unsubscribeToken('another-secret-0123456789abcdefghijklmn', bob.id),
      unsubscribeToken(SECRET, ada.id).replace(ada.id, bob.id),
    ];
    for (const token of forged) {
      const url = `/digests/unsubscribe?token=${encodeURIComponent(token)}`;
      const page = await app.inject({ method: 'GET', url });
      expect([page.statusCode, page.headers['content-type']]).toEqual([400, 'text/html; charset=utf-8']);
      expect(page.body).toContain('not an unsubscribe link from this server');
      expect(page.body).not.toContain('<form');
      const json = await app.inject({ method: 'GET', url, headers: { accept: 'application/json' } });
      expect([json.statusCode, json.json().error.code]).toEqual([400, 'invalid-token']);
      const oneClick = await app.inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        payload: 'List-Unsubscribe=One-Click',
      });
      expect([oneClick.statusCode, oneClick.json().error.code]).toEqual([400, 'invalid-token']);
    }
    // A good token in the URL cannot carry a forged one in the body, nor the other way round.
    const good = unsubscribeToken(SECRET, ada.id);
    const mixed = await app.inject({
      method: 'POST',
      url: `/digests/unsubscribe?token=${encodeURIComponent(good)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      payload: new URLSearchParams({ token: forged[1]! }).toString(),
    });
    expect([mixed.statusCode, mixed.json().error.code]).toEqual([400, 'invalid-request']);
    for (const payload of [
      'List-Unsubscribe=One-Click',
      'List-Unsubscribe=Yes',
      `token=${good}&token=${good}`,
    ]) {
      const res = await app.inject({
        method: 'POST',
        url: '/digests/unsubscribe',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        payload,
      });
      expect([res.statusCode, res.json().error.code], payload).toEqual([400, 'invalid-request']);
    }
    // An HTML error escapes what it echoes.
    const odd = await app.inject({ method: 'GET', url: '/digests/unsubscribe?token=x&%3Cscript%3E=1' });
    expect(odd.statusCode).toBe(400);
    expect(odd.body).not.toContain('<script');
    expect((await rt.db.digests.get(bob.id))?.unsubscribedAt).toBeNull();
    expect((await rt.db.digests.get(ada.id))?.unsubscribedAt).toBeNull();
  });

  it('form bodies are parsed on the unsubscribe route only', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/digests/subscriptions',
      headers: { 'x-api-key': adminKey, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'email=eve%40example.org&windows=24h',
    });
    expect(res.statusCode).toBe(415);
    expect(await rt.db.digests.get('eve@example.org')).toBeUndefined();
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
    ).toEqual(['ada@example.org', 'bob@example.org', 'cy@example.org', 'dee@example.org', 'eli@example.org']);
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
      for (const method of ['GET', 'POST'] as const) {
        const res = await plain.inject({
          method,
          url: '/digests/unsubscribe?token=ds_0000000000000000.x',
          headers: { accept: 'application/json' },
        });
        expect([res.statusCode, res.json().error.code]).toEqual([404, 'digests-disabled']);
      }
      const page = await plain.inject({
        method: 'GET',
        url: '/digests/unsubscribe?token=ds_0000000000000000.x',
      });
      expect([page.statusCode, page.headers['content-type']]).toEqual([404, 'text/html; charset=utf-8']);
    } finally {
      await plain.close();
    }
  });
});
