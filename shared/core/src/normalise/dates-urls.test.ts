import { describe, expect, it } from 'vitest';
import { normaliseDate, normaliseUrl } from './index.ts';

describe('normaliseDate', () => {
  it.each<[string | undefined, string | undefined]>([
    // ISO-8601
    ['2026-04-30T17:33:16Z', '2026-04-30T17:33:16.000Z'],
    ['2016-10-09T00:00:00-04:00', '2016-10-09T04:00:00.000Z'],
    ['2018-08-30T20:30:00-05:00', '2018-08-31T01:30:00.000Z'],
    ['2024-10-25T00:57:48.123Z', '2024-10-25T00:57:48.123Z'],
    ['2024-10-25T00:57:48.1234567Z', '2024-10-25T00:57:48.123Z'],
    ['2024-10-25T00:57:48.5Z', '2024-10-25T00:57:48.500Z'],
    ['2023-07-23T17:57:55+00:00', '2023-07-23T17:57:55.000Z'],
    ['2024-01-15T10:20:30+0530', '2024-01-15T04:50:30.000Z'],
    ['2024-01-15T10:20+01', '2024-01-15T09:20:00.000Z'],
    ['2024-01-15 10:20:30', '2024-01-15T10:20:30.000Z'],
    ['2024-01-15T10:20:30', '2024-01-15T10:20:30.000Z'],
    ['2024-01-15t10:20:30z', '2024-01-15T10:20:30.000Z'],
    ['2606-01-01', undefined],
    ['2026-06-12', '2026-06-12T00:00:00.000Z'],
    ['  2026-06-12  ', '2026-06-12T00:00:00.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
    ['2023-12-31T23:59:60Z', '2023-12-31T23:59:59.000Z'],
    // RFC 2822
    ['Thu, 24 Sep 2026 00:00:00 -0400', '2026-09-24T04:00:00.000Z'],
    ['Thu, 24 Sep 2026 08:58:05 +0000', '2026-09-24T08:58:05.000Z'],
    ['Wed, 22 Apr 2026 00:00:00 +0000', '2026-04-22T00:00:00.000Z'],
    ['Mon, 27 Apr 2026 04:00:00 GMT', '2026-04-27T04:00:00.000Z'],
    ['27 Apr 2026 04:00 EDT', '2026-04-27T08:00:00.000Z'],
    ['Mon, 27 April 2026 04:00:00 UT', '2026-04-27T04:00:00.000Z'],
    ['Mon, 5 Jan 98 04:00:00 +0000', '1998-01-05T04:00:00.000Z'],
    ['Mon, 27 Apr 2026 04:00:00', '2026-04-27T04:00:00.000Z'],
    ['Mon, 27 Apr 2026', '2026-04-27T00:00:00.000Z'],
    ['27 Apr 2026 04:00:00 GMT+05:30', '2026-04-26T22:30:00.000Z'],
    ['Mon, 27 Apr 2026 04:00:00 CEST', '2026-04-27T02:00:00.000Z'],
    ['Mon,27 Apr 2026 04:00:00 PT', '2026-04-27T12:00:00.000Z'],
    ['27-Apr-2026 04:00 Z', '2026-04-27T04:00:00.000Z'],
    // W3C-DTF reduced precision, asctime
    ['2026-04', '2026-04-01T00:00:00.000Z'],
    ['2026', '2026-01-01T00:00:00.000Z'],
    ['Sun Jan  4 16:29:06 2004', '2004-01-04T16:29:06.000Z'],
    ['20240115T102030Z', '2024-01-15T10:20:30.000Z'],
    ['20240115T1020+0100', '2024-01-15T09:20:00.000Z'],
    ['20240115', '2024-01-15T00:00:00.000Z'],
    ['20240115T102030', '2024-01-15T10:20:30.000Z'],
    ['Sunday, 15-Jan-24 10:20:30 GMT', '2024-01-15T10:20:30.000Z'],
    ['Sun Jan  4 16:29:06 PST 2004', '2004-01-05T00:29:06.000Z'],
    // range
    ['1990-01-01', '1990-01-01T00:00:00.000Z'],
    ['1989-12-31', undefined],
    ['1989-12-31T23:00:00-02:00', '1990-01-01T01:00:00.000Z'],
    ['2100-12-31T23:59:59Z', '2100-12-31T23:59:59.000Z'],
    ['2101-01-01', undefined],
    ['1970-01-01T00:00:00Z', undefined],
    ['0001-01-01', undefined],
    // invalid
    ['2024-02-30', undefined],
    ['2023-02-29', undefined],
    ['2024-13-01', undefined],
    ['2024-00-10', undefined],
    ['2024-01-15T25:00:00Z', undefined],
    ['2024-01-15T10:61:00Z', undefined],
    ['2024-01-15T10:00:00+15:00', undefined],
    ['Thu, 31 Feb 2026 00:00:00 +0000', undefined],
    ['Thu, 24 Foo 2026 00:00:00 +0000', undefined],
    ['Thu, 24 Sep 2026 00:00:00 XYZ', undefined],
    ['01/02/2024', undefined],
    ['1714500000', undefined],
    ['1', undefined],
    ['yesterday', undefined],
    ['', undefined],
    [undefined, undefined],
    ['2024-01-15T10:20:30Z'.repeat(10), undefined],
  ])('%j', (raw, expected) => {
    expect(normaliseDate(raw)).toBe(expected);
  });

  it('does not depend on the process time zone', () => {
    // No-zone datetimes are read as UTC by the parser itself, not by Date's local-time rules.
    expect(normaliseDate('2024-06-01T12:00:00')).toBe('2024-06-01T12:00:00.000Z');
    expect(normaliseDate('Sat, 01 Jun 2024 12:00:00')).toBe('2024-06-01T12:00:00.000Z');
  });
});

describe('normaliseUrl', () => {
  it.each<[string | undefined, string | undefined]>([
    ['https://github.com/org/repo', 'https://github.com/org/repo'],
    ['  https://github.com/org/repo  ', 'https://github.com/org/repo'],
    ['HTTPS://GitHub.com/org/repo', 'https://github.com/org/repo'],
    ['https://x.dev/?utm_source=hn&utm_medium=x&a=1', 'https://x.dev/?a=1'],
    ['https://x.dev/?fbclid=abc', 'https://x.dev/'],
    ['https://x.dev/?a=1&amp;b=2', 'https://x.dev/?a=1&b=2'],
    [
      'https://preview.redd.it/a.png?width=108&amp;auto=webp&amp;s=abc',
      'https://preview.redd.it/a.png?width=108&auto=webp&s=abc',
    ],
    ['https://x.dev/path?q=a%20b&ref=hn', 'https://x.dev/path?q=a%20b&ref=hn'],
    ['https://user:pass@x.dev/', 'https://x.dev/'],
    ['https://x.dev/#section', 'https://x.dev/#section'],
    ['http://project.example.org', 'http://project.example.org/'],
    ['javascript:alert(1)', undefined],
    ['ftp://x.dev/file', undefined],
    ['data:text/html,hi', undefined],
    ['/relative/path', undefined],
    ['not a url', undefined],
    ['', undefined],
    [undefined, undefined],
    [`https://x.dev/${'a'.repeat(3_000)}`, undefined],
  ])('%j', (raw, expected) => {
    expect(normaliseUrl(raw)).toBe(expected);
  });
});
