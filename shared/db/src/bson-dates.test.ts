import { describe, expect, it } from 'vitest';
import { hasIsoTimestamps, isTimestampKey, toBsonDates, toIsoDates } from './bson-dates.ts';

const iso = '2026-12-01T10:00:00.000Z';
const date = new Date(iso);

describe('BSON dates at the database edge', () => {
  it.each([
    ['at', true],
    ['asOf', true],
    ['firstSeenAt', true],
    ['publishedAt', true],
    ['format', false],
    ['period', false],
    ['At', false],
  ])('%s is a timestamp field: %s', (key, yes) => {
    expect(isTimestampKey(key)).toBe(yes);
  });

  it('turns timestamp fields into dates, all the way down, and leaves other strings', () => {
    const body = Buffer.from('x');
    const doc = {
      _id: 'arxiv:2401.01234',
      firstSeenAt: iso,
      title: iso,
      period: '2026-12-01',
      versions: [{ version: 1, seenAt: iso }],
      textSource: { rank: 1, version: 1, at: iso },
      bodyGzip: body,
      updatedAt: 'not a date',
    };
    expect(toBsonDates(doc)).toEqual({
      ...doc,
      firstSeenAt: date,
      versions: [{ version: 1, seenAt: date }],
      textSource: { rank: 1, version: 1, at: date },
    });
    expect(toBsonDates(doc).bodyGzip).toBe(body);
  });

  it('converts update operators, dotted paths and filter operators', () => {
    expect(
      toBsonDates({ $set: { 'state.lastFetchAt': iso, 'health.lastError': { at: iso, message: iso } } }),
    ).toEqual({ $set: { 'state.lastFetchAt': date, 'health.lastError': { at: date, message: iso } } });
    expect(
      toBsonDates({ firstSeenAt: { $gte: iso, $lt: iso }, $or: [{ firstSeenAt: { $lt: iso } }] }),
    ).toEqual({
      firstSeenAt: { $gte: date, $lt: date },
      $or: [{ firstSeenAt: { $lt: date } }],
    });
  });

  it('reads dates back as ISO strings', () => {
    expect(toIsoDates({ a: date, b: [{ at: date }], c: 'x', n: 1 })).toEqual({
      a: iso,
      b: [{ at: iso }],
      c: 'x',
      n: 1,
    });
    expect(toIsoDates(toBsonDates({ at: '2026-12-01T12:00:00+02:00' }))).toEqual({ at: iso });
  });
});

describe('hasIsoTimestamps', () => {
  it('finds timestamp fields still held as strings, and only those', () => {
    expect(hasIsoTimestamps({ a: [{ seenAt: iso }] })).toBe(true);
    expect(hasIsoTimestamps({ a: [{ seenAt: date }], title: iso })).toBe(false);
    expect(hasIsoTimestamps(toBsonDates({ firstSeenAt: iso, textSource: { at: iso } }))).toBe(false);
  });
});
