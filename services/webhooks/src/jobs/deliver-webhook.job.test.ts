import { describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from '../signature.ts';
import { buildWebhookRequest, classifyAnswer } from './deliver-webhook.job.ts';

const now = new Date('2026-11-28T10:00:00.000Z');
const event = {
  id: 'paper.created:arxiv:2611.01234',
  type: 'paper.created',
  version: 1,
  occurredAt: '2026-11-28T09:59:00.000Z',
  data: { paper: { paperId: 'arxiv:2611.01234' } },
};

describe('buildWebhookRequest', () => {
  it('sends exactly { id, type, version, occurredAt, data }, signed at now, with the event headers', () => {
    const { body, headers } = buildWebhookRequest(
      { ...event, extra: 'dropped' } as typeof event,
      'whsec_x',
      now,
    );
    expect(body).toBe(JSON.stringify(event));
    expect(headers).toEqual({
      'content-type': 'application/json',
      'Paperwire-Event-Id': event.id,
      'Paperwire-Event-Type': 'paper.created',
      'Paperwire-Timestamp': String(now.getTime() / 1000),
      'Paperwire-Signature': expect.stringMatching(/^t=\d+,v1=[0-9a-f]{64}$/),
    });
    expect(verifyWebhookSignature('whsec_x', headers['Paperwire-Signature'], body, now).ok).toBe(true);
  });
});

describe('classifyAnswer', () => {
  it.each([200, 201, 202, 204, 299])('%i is delivered', (status) => {
    expect(classifyAnswer(status, {}, now, 'x')).toBeUndefined();
  });

  it.each([
    [500, true],
    [502, true],
    [503, true],
    [408, true],
    [429, true],
    [400, false],
    [401, false],
    [404, false],
    [410, false],
    [422, false],
    [301, false],
    [302, false],
  ])('%i: retryable %s', (status, retryable) => {
    const error = classifyAnswer(status, {}, now, 'x');
    expect(error?.retryable).toBe(retryable);
    expect(error?.status).toBe(status);
  });

  it.each([
    [429, { 'retry-after': '30' }, 30_000],
    [503, { 'retry-after': 'Sat, 28 Nov 2026 10:02:00 GMT' }, 120_000],
    [503, { 'retry-after': '99999999' }, 6 * 3_600_000],
    [500, {}, undefined],
    [404, { 'retry-after': '30' }, undefined],
  ])('%i with %j waits %s ms', (status, headers, wait) => {
    expect(classifyAnswer(status, headers, now, 'x')?.retryAfterMs).toBe(wait);
  });
});
