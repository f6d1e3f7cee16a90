import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { fromGzipJson, toGzipJson } from './compressed-json.ts';

// A value of a few KB (an entry, an event) and one of hundreds of KB (a board's rows): the two take
// different paths (the main thread with a small window, zlib's pool), and both must give standard gzip.
const small = {
  title: 'Sparse Mixtures of Tiny Experts',
  abstract: 'We route tokens. '.repeat(40),
  n: [1, 2.5],
};
const large = Array.from({ length: 200 }, (_, i) => ({
  paperId: `arxiv:2612.${10_000 + i}`,
  abstract: `Row ${i}: ${'a long abstract with words that repeat '.repeat(60)}`,
  history: Array.from({ length: 24 }, (_, k) => ({
    at: new Date(Date.UTC(2026, 0, 1, k)).toISOString(),
    value: k,
  })),
}));

describe('compressed JSON', () => {
  it.each([
    ['small', small],
    ['large', large],
  ])('round-trips a %s value as standard gzip of its JSON, smaller than the JSON', async (_name, value) => {
    const stored = await toGzipJson(value);
    const json = JSON.stringify(value);
    expect(gunzipSync(stored.buffer).toString('utf8')).toBe(json);
    expect(stored.buffer.length).toBeLessThan(json.length);
    expect(await fromGzipJson(stored)).toEqual(value);
    expect(await fromGzipJson(stored.buffer)).toEqual(value);
  });

  it('sizes the two values on either side of the main-thread bound', () => {
    expect(JSON.stringify(small).length).toBeLessThan(32 * 1024);
    expect(JSON.stringify(large).length).toBeGreaterThan(32 * 1024);
  });

  it('refuses bytes that are not gzip, without echoing them', async () => {
    const bytes = Buffer.from('{"secret":"not gzip at all"}');
    const err = await fromGzipJson(bytes).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect(err?.message).not.toContain('secret');
  });
});
