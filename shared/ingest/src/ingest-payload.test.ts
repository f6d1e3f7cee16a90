import type { Observation } from '@paperwire/core';
import { createLogger } from '@paperwire/platform';
import { describe, expect, it } from 'vitest';
import { observationsKey, parseAndNormalise, sha256, storableHeaders } from './ingest-payload.ts';

const quiet = createLogger({ service: 'test', level: 'silent' });

const rss = (items: string) =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>Ingest</title><ttl>90</ttl>${items}</channel></rss>`;
const item = (n: number) =>
  `<item><title>Paper number ${n} about sparse attention</title><link>https://example.org/p/${n}</link>` +
  `<guid>https://example.org/p/${n}</guid><description>Abstract ${n}.</description></item>`;
const payload = (body: string, url = 'https://example.org/feed.xml') => ({
  url,
  status: 200,
  headers: { 'content-type': 'application/rss+xml' },
  body,
  bytes: Buffer.byteLength(body),
});
const feed = { _id: 'web-ingest-abc123', kind: 'rss', source: 'web' } as const;
const FETCHED_AT = '2026-04-01T00:00:00.000Z';

describe('storableHeaders', () => {
  // `$` and `.` are legal in HTTP header names but not as document keys (FerretDB refuses them).
  it('leaves out names that start with $ or contain a dot, and keeps every other name', () => {
    expect(storableHeaders({ $set: 'a', 'a.b': 'b', etag: '"1"', 'x-$ok': 'c' })).toEqual({
      etag: '"1"',
      'x-$ok': 'c',
    });
  });
});

describe('observationsKey', () => {
  const obs = (...ids: string[]) => ids.map((_id) => ({ _id }) as Observation);

  it('depends on the set of ids only: order and repeats do not change it', () => {
    expect(observationsKey(obs('b', 'a', 'a'))).toBe(observationsKey(obs('a', 'b')));
    expect(observationsKey(obs('a', 'b'))).toMatch(/^[0-9a-f]{16}$/);
  });

  it('differs for different content', () => {
    expect(observationsKey(obs('a'))).not.toBe(observationsKey(obs('a', 'b')));
  });
});

describe('parseAndNormalise', () => {
  it('parses every payload, normalises each entry and keeps the first title and <ttl>', async () => {
    const parsed = await parseAndNormalise(
      feed,
      [payload(rss(item(1) + item(2))), payload(rss(item(3)))],
      FETCHED_AT,
      quiet,
    );
    expect(parsed).toMatchObject({ entries: 3, skipped: 0, title: 'Ingest', ttlMinutes: 90 });
    expect(parsed.observations.map((o) => o.provenance.feedId)).toEqual([feed._id, feed._id, feed._id]);
    expect(new Set(parsed.observations.map((o) => o._id)).size).toBe(3);
  });

  it('is deterministic: the same payload gives the same observation ids', async () => {
    const once = await parseAndNormalise(feed, [payload(rss(item(1)))], FETCHED_AT, quiet);
    const again = await parseAndNormalise(feed, [payload(rss(item(1)))], FETCHED_AT, quiet);
    expect(again.observations.map((o) => o._id)).toEqual(once.observations.map((o) => o._id));
  });

  it('names the file a file feed failed in, and never echoes the payload', async () => {
    const body = '<rss><channel><item>SECRET-PAYLOAD-BYTES';
    const err = await parseAndNormalise(feed, [payload(body, 'file:///feeds/broken.xml')], FETCHED_AT, quiet)
      .then(() => undefined)
      .catch((e: unknown) => e as Error);
    expect(err?.name).toBe('FeedParseError');
    expect(err?.message).toContain('(in file:///feeds/broken.xml)');
    expect(err?.message).not.toContain('SECRET-PAYLOAD-BYTES');
  });
});

describe('sha256', () => {
  it('is the hex digest the payload archive keys bodies by', () => {
    expect(sha256('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});
