// Absurd dates in generic feeds. Found by `npm run test:resilience` (bad input, absurd dates): one Atom
// entry with an unparseable <published> or <updated> made rss-parser throw "Invalid time value" and the
// whole feed failed to parse. Now that entry only loses its date, and every other entry is kept.
import { describe, expect, it } from 'vitest';
import { parsePayload } from '../src/index.ts';

const ctx = { feedId: 'feed-dates', fetchedAt: '2026-12-01T00:00:00.000Z' };
const DATES = [
  'yesterday',
  'Thu, 31 Feb 99999 25:61:61 GMT',
  '2026-11-02T09:00:00Z',
  '',
  'not a date at all',
];

const atom = `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Dates</title>
${DATES.map(
  (d, i) =>
    `<entry><id>urn:date:${i}</id><title>Entry ${i}</title><link href="https://lab.example/${i}"/><published>${d}</published><updated>${d}</updated></entry>`,
).join('\n')}</feed>`;

describe('generic feeds: absurd dates', () => {
  it('an Atom entry with an unparseable date keeps the feed parseable and loses only its date', async () => {
    const r = await parsePayload('atom', atom, ctx);
    expect(r.entries.map((e) => e.provenance.entryKey)).toEqual(DATES.map((_, i) => `urn:date:${i}`));
    expect(r.entries[2]?.publishedAt).toBe('2026-11-02T09:00:00.000Z');
    expect(r.entries[2]?.updatedAt).toBe('2026-11-02T09:00:00.000Z');
    for (const i of [0, 1, 3, 4]) {
      expect(r.entries[i]?.publishedAt).toBeUndefined();
      expect(r.entries[i]?.updatedAt).toBeUndefined();
    }
  });

  it('the same dates in RSS pubDate were already dropped per item', async () => {
    const rss = `<?xml version="1.0"?><rss version="2.0"><channel><title>D</title>${DATES.map(
      (d, i) =>
        `<item><guid>g${i}</guid><title>Item ${i}</title><link>https://lab.example/r${i}</link><pubDate>${d}</pubDate></item>`,
    ).join('')}</channel></rss>`;
    const r = await parsePayload('rss', rss, ctx);
    expect(r.entries).toHaveLength(DATES.length);
  });
});
