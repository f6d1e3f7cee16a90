import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhookSignature } from './signature.ts';

const secret = 'whsec_test-secret';
const body =
  '{"id":"evt_1","type":"paper.created","version":1,"occurredAt":"2026-11-28T10:00:00.000Z","data":{}}';
const t = 1_795_860_000;
const at = (seconds: number) => new Date(seconds * 1000);

describe('signWebhook', () => {
  it('is HMAC-SHA256 of "<t>.<body>" in hex, as the t=…,v1=… header', () => {
    const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    expect(signWebhook(secret, body, t)).toEqual({
      timestamp: t,
      v1: expected,
      header: `t=${t},v1=${expected}`,
    });
  });

  it('signs bytes and the same text alike', () => {
    expect(signWebhook(secret, Buffer.from(body, 'utf8'), t).v1).toBe(signWebhook(secret, body, t).v1);
  });

  it.each([-1, 1.5, Number.NaN])('refuses timestamp %s', (bad) => {
    expect(() => signWebhook(secret, body, bad)).toThrow(RangeError);
  });
});

describe('verifyWebhookSignature', () => {
  const { header, v1 } = signWebhook(secret, body, t);

  it.each([
    ['at the signing time', 0],
    ['299 s later', 299],
    ['300 s later (the edge)', 300],
    ['300 s earlier (receiver clock behind)', -300],
  ])('accepts a good signature %s', (_what, offset) => {
    expect(verifyWebhookSignature(secret, header, body, at(t + offset))).toEqual({ ok: true, timestamp: t });
  });

  it.each([
    ['301 s later (a replay)', 301],
    ['a day later', 86_400],
    ['301 s earlier (dated in the future)', -301],
  ])('refuses a timestamp %s', (_what, offset) => {
    expect(verifyWebhookSignature(secret, header, body, at(t + offset))).toEqual({
      ok: false,
      reason: 'timestamp-outside-tolerance',
    });
  });

  it('honours a custom tolerance', () => {
    expect(verifyWebhookSignature(secret, header, body, at(t + 20), 10).ok).toBe(false);
    expect(verifyWebhookSignature(secret, header, body, at(t + 10), 10).ok).toBe(true);
  });

  it.each([
    ['another secret', 'whsec_other', header, body],
    ['a changed body', secret, header, body.replace('paper.created', 'paper.deleted')],
    ['a re-dated timestamp', secret, `t=${t + 1},v1=${v1}`, body],
    ['a flipped hex digit', secret, `t=${t},v1=${v1.slice(0, -1)}${v1.endsWith('0') ? '1' : '0'}`, body],
  ])('refuses %s', (_what, key, presented, raw) => {
    expect(verifyWebhookSignature(key, presented, raw, at(t))).toEqual({
      ok: false,
      reason: 'signature-mismatch',
    });
  });

  it('accepts when any of several v1 values matches (secret rotation), ignores other schemes', () => {
    const other = signWebhook('whsec_old', body, t).v1;
    expect(verifyWebhookSignature(secret, `t=${t},v1=${other},v0=abc,v1=${v1}`, body, at(t)).ok).toBe(true);
  });

  it.each([
    ['absent', undefined],
    ['empty', ''],
    ['no timestamp', `v1=${v1}`],
    ['no v1', `t=${t}`],
    ['two timestamps', `t=${t},t=${t},v1=${v1}`],
    ['a non-numeric timestamp', `t=abc,v1=${v1}`],
    ['a short signature', `t=${t},v1=abcd`],
    ['garbage', 'sha256=deadbeef'],
  ])('refuses a header that is %s', (_what, presented) => {
    expect(verifyWebhookSignature(secret, presented, body, at(t))).toEqual({
      ok: false,
      reason: 'malformed-header',
    });
  });
});
