import { describe, expect, it } from 'vitest';
import { bareRow } from '../scoring/row.ts';
import type { RankingSnapshot } from '../scoring/snapshot.ts';
import type { Window } from '../types.ts';
import { type DigestPaperView, renderDigest } from './render.ts';
import { digestBoards, selectDigest } from './select.ts';
import {
  DIGEST_PERIOD,
  digestId,
  digestMessageId,
  digestPeriod,
  digestSubscriberId,
  manualDigestPeriod,
  normaliseEmail,
  unsubscribeToken,
  verifyUnsubscribeToken,
} from './subscription.ts';

describe('normaliseEmail', () => {
  it.each([
    ['Ada@Example.ORG', 'ada@example.org'],
    ['  ada.lovelace+digest@mail.example.co.uk ', 'ada.lovelace+digest@mail.example.co.uk'],
    ["o'brien@example.org", "o'brien@example.org"],
  ])('accepts %s', (input, expected) => {
    expect(normaliseEmail(input)).toBe(expected);
  });

  it.each([
    ['no at', 'ada.example.org'],
    ['two ats', 'a@b@example.org'],
    ['no dot in the domain', 'ada@localhost'],
    ['a header injection', 'ada@example.org\r\nBcc: all@example.org'],
    ['a line break inside', 'ada@exa\nmple.org'],
    ['a display name', 'Ada <ada@example.org>'],
    ['a comma list', 'a@example.org,b@example.org'],
    ['a leading dot', '.ada@example.org'],
    ['double dots', 'ada..l@example.org'],
    ['a dot before @', 'ada.@example.org'],
    ['a hyphen-led label', 'ada@-example.org'],
    ['an IP literal', 'ada@[127.0.0.1]'],
    ['a local part over 64', `${'a'.repeat(65)}@example.org`],
    [
      'over 254 in all',
      `a@${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.${'e'.repeat(60)}.${'f'.repeat(10)}.org`,
    ],
    ['empty', ''],
  ])('refuses %s', (_name, input) => {
    expect(normaliseEmail(input)).toBeUndefined();
  });
});

describe('subscriber ids, digest ids, Message-IDs', () => {
  it('derive the id from the address: the same address is the same id, another is another', () => {
    const id = digestSubscriberId('ada@example.org');
    expect(id).toMatch(/^ds_[0-9a-f]{16}$/);
    expect(digestSubscriberId('ada@example.org')).toBe(id);
    expect(digestSubscriberId('bob@example.org')).not.toBe(id);
  });

  it('Message-ID is derived from the digest id', () => {
    expect(digestMessageId(digestId('ds_0123456789abcdef', '2026-11-29'), 'example.org')).toBe(
      '<digest.ds_0123456789abcdef.2026-11-29@example.org>',
    );
  });
});

describe('digestPeriod', () => {
  it.each([
    ['daily, after the hour', 'daily', '2026-11-29T07:30:00Z', 6, '2026-11-29'],
    ['daily, before the hour: still yesterday', 'daily', '2026-11-29T05:59:59Z', 6, '2026-11-28'],
    ['daily, hour 0', 'daily', '2026-11-29T00:00:00Z', 0, '2026-11-29'],
    ['daily, over a year end', 'daily', '2027-01-01T03:00:00Z', 6, '2026-12-31'],
    ['weekly, a Sunday', 'weekly', '2026-11-29T12:00:00Z', 6, '2026-W48'],
    ['weekly, Monday after the hour', 'weekly', '2026-11-30T06:00:00Z', 6, '2026-W49'],
    ['weekly, Monday before the hour', 'weekly', '2026-11-30T05:00:00Z', 6, '2026-W48'],
    ['weekly, 1 Jan 2027 is in 2026-W53', 'weekly', '2027-01-01T12:00:00Z', 0, '2026-W53'],
    ['weekly, 4 Jan 2027 is 2027-W01', 'weekly', '2027-01-04T12:00:00Z', 0, '2027-W01'],
    ['weekly, 29 Dec 2025 is 2026-W01', 'weekly', '2025-12-29T12:00:00Z', 0, '2026-W01'],
  ] as const)('%s', (_name, cadence, now, hour, expected) => {
    const period = digestPeriod(cadence, new Date(now), hour);
    expect(period).toBe(expected);
    expect(period).toMatch(DIGEST_PERIOD);
  });

  it('a manual period is per minute', () => {
    expect(manualDigestPeriod(new Date('2026-11-29T14:32:59.999Z'))).toBe('m20261129T1432');
    expect(manualDigestPeriod(new Date('2026-11-29T14:32:59.999Z'))).toMatch(DIGEST_PERIOD);
  });
});

describe('unsubscribe tokens', () => {
  const secret = 'x'.repeat(32);
  const id = 'ds_0123456789abcdef';

  it('round-trip to the subscription they were made for', () => {
    const token = unsubscribeToken(secret, id);
    expect(token.startsWith(`${id}.`)).toBe(true);
    expect(verifyUnsubscribeToken(secret, token)).toBe(id);
  });

  it.each([
    ['another secret', (t: string) => t, 'y'.repeat(32)],
    ['another subscriber with this mac', (t: string) => t.replace(id, 'ds_fedcba9876543210'), secret],
    ['a changed mac', (t: string) => `${t.slice(0, -2)}${t.endsWith('AA') ? 'BB' : 'AA'}`, secret],
    ['a truncated mac', (t: string) => t.slice(0, -1), secret],
    ['no mac', () => `${id}.`, secret],
    ['no dot', () => id, secret],
    ['not an id', (t: string) => `wh_0123456789abcdef${t.slice(id.length)}`, secret],
    ['garbage', () => '../../etc/passwd', secret],
  ])('refuse %s', (_name, change, verifyWith) => {
    expect(verifyUnsubscribeToken(verifyWith, change(unsubscribeToken(secret, id)))).toBeUndefined();
  });
});

const AS_OF = '2026-11-29T06:00:00.000Z';
const board = (window: Window, category: string, ids: string[]): RankingSnapshot => ({
  _id: `${window}.${category}.${Date.parse(AS_OF)}`,
  window,
  category,
  asOf: AS_OF,
  scoreVersion: 's1',
  constants: {},
  entries: ids.map((paperId, i) => ({
    ...bareRow(paperId, '', AS_OF),
    rank: i + 1,
    score: 10 - i,
    breakdown: {},
    title: `T ${paperId}`,
  })),
});

describe('digestBoards / selectDigest', () => {
  it('boards are windows outer, categories inner', () => {
    expect(digestBoards(['24h', '7d'], ['cs.LG', 'all'])).toEqual([
      { window: '24h', category: 'cs.LG' },
      { window: '24h', category: 'all' },
      { window: '7d', category: 'cs.LG' },
      { window: '7d', category: 'all' },
    ]);
  });

  const boards = [
    { window: '24h' as const, category: 'all', snapshot: board('24h', 'all', ['a', 'b', 'c', 'd']) },
    { window: '7d' as const, category: 'all', snapshot: board('7d', 'all', ['b', 'e', 'a', 'f', 'g']) },
    { window: '30d' as const, category: 'all', snapshot: undefined },
  ];

  it.each([
    ['the top of each board, each paper once', new Set<string>(), 2, ['a', 'b', 'e', 'f']],
    ['papers already sent are left out', new Set(['a', 'e']), 2, ['b', 'c', 'f', 'g']],
    ['nothing new: nothing', new Set(['a', 'b', 'c', 'd', 'e', 'f', 'g']), 5, []],
    ['per board 0: nothing', new Set<string>(), 0, []],
  ])('%s', (_name, sent, perBoard, expected) => {
    expect(selectDigest(boards, sent, perBoard).map((i) => i.paperId)).toEqual(expected);
  });

  it('keeps the board, rank, score and title of each item, in rank order', () => {
    const items = selectDigest(boards, new Set(['a']), 2);
    expect(items).toEqual([
      { paperId: 'b', window: '24h', category: 'all', rank: 2, score: 9, title: 'T b' },
      { paperId: 'c', window: '24h', category: 'all', rank: 3, score: 8, title: 'T c' },
      { paperId: 'e', window: '7d', category: 'all', rank: 2, score: 9, title: 'T e' },
      { paperId: 'f', window: '7d', category: 'all', rank: 4, score: 7, title: 'T f' },
    ]);
  });
});

describe('renderDigest', () => {
  const items = selectDigest(
    [
      { window: '24h', category: 'all', snapshot: board('24h', 'all', ['p1', 'p2']) },
      { window: '7d', category: 'cs.LG', snapshot: board('7d', 'cs.LG', ['p3']) },
    ],
    new Set(),
    5,
  );
  const papers = new Map<string, DigestPaperView>([
    [
      'p1',
      {
        title: 'Sparse <b>models</b> & "friends"',
        authors: ['Ada Lovelace', "O'Brien"],
        abstract: `We\n study ${'x'.repeat(400)}`,
        url: 'https://arxiv.org/abs/2611.00001?a=1&b=2',
      },
    ],
    ['p2', { title: '<img src=x onerror=alert(1)>', authors: [], url: 'javascript:alert(1)' }],
  ]);
  const message = renderDigest({
    cadence: 'daily',
    period: '2026-11-29',
    items,
    papers,
    unsubscribeUrl: 'https://paperwire.example.org/digests/unsubscribe?token=ds_0123456789abcdef.abc',
  });

  it('subject counts the papers and names the period', () => {
    expect(message.subject).toBe('Paperwire daily digest (2026-11-29): 3 trending papers');
    expect(
      renderDigest({
        cadence: 'weekly',
        period: 'm20261129T1432',
        items: items.slice(0, 1),
        papers,
        unsubscribeUrl: 'x',
      }).subject,
    ).toBe('Paperwire weekly digest (now): 1 trending paper');
  });

  it('the text part lists the papers in order, by board, with authors, abstract snippet, link and the unsubscribe link', () => {
    const t = message.text;
    const order = ['Sparse <b>models</b> & "friends"', '<img src=x onerror=alert(1)>', 'T p3'].map((s) =>
      t.indexOf(s),
    );
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(t).toContain('Trending over 24h, all categories');
    expect(t).toContain('Trending over 7d, cs.LG');
    expect(t).toContain('1. Sparse <b>models</b> & "friends" (#1, score 10)');
    expect(t).toContain("   Ada Lovelace, O'Brien");
    expect(t).toContain('   https://arxiv.org/abs/2611.00001?a=1&b=2');
    expect(t).toContain(`We study ${'x'.repeat(200)}`);
    expect(t).not.toContain('x'.repeat(300));
    expect(t).not.toContain('javascript:');
    expect(t).toContain(
      'Unsubscribe: https://paperwire.example.org/digests/unsubscribe?token=ds_0123456789abcdef.abc',
    );
  });

  it('the HTML part escapes everything a paper brings and links only http(s)', () => {
    const h = message.html;
    expect(h).not.toContain('<b>models</b>');
    expect(h).not.toContain('<img');
    expect(h).not.toContain('javascript:');
    expect(h).toContain(
      '<a href="https://arxiv.org/abs/2611.00001?a=1&amp;b=2">Sparse &lt;b&gt;models&lt;/b&gt; &amp; &quot;friends&quot;</a>',
    );
    expect(h).toContain('<strong>&lt;img src=x onerror=alert(1)&gt;</strong>');
    expect(h).toContain('<em>Ada Lovelace, O&#39;Brien</em>');
    expect(h).toContain('<li value="1">');
    expect(h).toContain(
      '<a href="https://paperwire.example.org/digests/unsubscribe?token=ds_0123456789abcdef.abc">Unsubscribe</a>',
    );
    const order = ['Sparse &lt;b&gt;', '&lt;img src=x', 'T p3'].map((s) => h.indexOf(s));
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('is deterministic', () => {
    expect(
      renderDigest({
        cadence: 'daily',
        period: '2026-11-29',
        items,
        papers,
        unsubscribeUrl: 'https://paperwire.example.org/digests/unsubscribe?token=ds_0123456789abcdef.abc',
      }),
    ).toEqual(message);
  });
});
