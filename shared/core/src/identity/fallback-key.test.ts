import { describe, expect, it } from 'vitest';
import { fallbackIdentityKey, resolutionKeys } from './fallback-key.ts';

const base = {
  title: 'A Field Guide to Evaluating Agents',
  authors: [{ name: 'Edsger Dijkstra', key: 'e dijkstra' }],
  links: { abs: 'https://example.org/a' },
  provenance: {
    feedId: 'blog',
    source: 'web' as const,
    entryKey: 'a',
    fetchedAt: '2026-11-28T00:00:00.000Z',
  },
};

describe('fallbackIdentityKey', () => {
  it('is deterministic and ignores case, punctuation and where it was found for real titles', () => {
    const a = fallbackIdentityKey(base);
    expect(a).toMatch(/^fp:[0-9a-f]{24}$/);
    expect(
      fallbackIdentityKey({
        ...base,
        title: 'a field guide to evaluating agents!',
        links: { abs: 'https://x.y/z' },
      }),
    ).toBe(a);
  });

  it('tells apart same titles by different first authors', () => {
    expect(fallbackIdentityKey({ ...base, authors: [{ name: 'Ada Lovelace', key: 'a lovelace' }] })).not.toBe(
      fallbackIdentityKey(base),
    );
  });

  it('adds the link for short generic titles, so two "Introduction"s by one editor stay apart', () => {
    const intro = { ...base, title: 'Introduction' };
    expect(fallbackIdentityKey({ ...intro, links: { abs: 'https://a.example/1' } })).not.toBe(
      fallbackIdentityKey({ ...intro, links: { abs: 'https://a.example/2' } }),
    );
  });

  it('uses the link when there are no authors', () => {
    const anon = { ...base, authors: [] };
    expect(fallbackIdentityKey(anon)).not.toBe(
      fallbackIdentityKey({ ...anon, links: { abs: 'https://other' } }),
    );
  });
});

describe('resolutionKeys', () => {
  it('prefers identity keys and falls back to the fingerprint', () => {
    const obs = { ...base, _id: 'o', ids: {}, identityKeys: [], categories: [], signals: {} };
    expect(resolutionKeys(obs)).toEqual([fallbackIdentityKey(obs)]);
    expect(resolutionKeys({ ...obs, identityKeys: ['arxiv:2611.00001'] })).toEqual(['arxiv:2611.00001']);
  });
});
