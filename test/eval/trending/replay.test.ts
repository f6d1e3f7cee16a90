import { arxivIdAppearedBy } from '@paperwire/core';
import { describe, expect, it } from 'vitest';
import { captureDayStart, monthsBetween, replayHfCapture, shiftArxivId, shiftTimestamps } from './replay.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('captureDayStart', () => {
  it.each([
    ['hf-daily-papers-2026-06-12.json', '2026-06-12T00:00:00.000Z'],
    ['hf-daily-papers-2024-10-25-first3.json', '2024-10-25T00:00:00.000Z'],
    ['2028-02-29-pretty.json', '2028-02-29T00:00:00.000Z'],
  ])('%s → %s', (file, start) => {
    expect(new Date(captureDayStart(file)!).toISOString()).toBe(start);
  });

  it.each(['hf-daily-papers.json', 'hf-2026-02-30.json', 'hf-2026-13-01.json'])('%s: no date', (file) => {
    expect(captureDayStart(file)).toBeUndefined();
  });
});

describe('shiftTimestamps', () => {
  it('moves every ISO date-time, at any depth, and nothing else', () => {
    const input = {
      publishedAt: '2026-06-11T00:00:00.000Z',
      paper: {
        id: '2606.13681',
        upvotes: 118,
        authors: [{ name: 'A', statusLastChangedAt: '2026-06-12T06:56:17.626Z' }],
        summary: 'Results as of 2026-06-12T00:00:00Z are in the appendix.',
      },
      day: '2026-06-12',
      offsetZone: '2026-06-12T02:00:00+02:00',
      empty: null,
    };
    expect(shiftTimestamps(input, 2 * DAY + HOUR)).toEqual({
      publishedAt: '2026-06-13T01:00:00.000Z',
      paper: {
        id: '2606.13681',
        upvotes: 118,
        authors: [{ name: 'A', statusLastChangedAt: '2026-06-14T07:56:17.626Z' }],
        summary: 'Results as of 2026-06-12T00:00:00Z are in the appendix.',
      },
      day: '2026-06-12',
      offsetZone: '2026-06-14T01:00:00.000Z',
      empty: null,
    });
    expect(input.publishedAt).toBe('2026-06-11T00:00:00.000Z'); // a copy
  });
});

describe('monthsBetween / shiftArxivId', () => {
  it.each([
    ['2026-06-12T00:00:00Z', '2026-12-04T00:00:00Z', 6],
    ['2026-06-30T23:00:00Z', '2026-07-01T01:00:00Z', 1],
    ['2024-10-25T00:00:00Z', '2026-12-04T00:00:00Z', 26],
    ['2026-12-04T00:00:00Z', '2026-06-12T00:00:00Z', -6],
  ])('%s → %s: %i months', (a, b, months) => {
    expect(monthsBetween(Date.parse(a), Date.parse(b))).toBe(months);
  });

  it.each([
    ['2606.13681', 6, '2612.13681'],
    ['2606.13681', 7, '2701.13681'],
    ['2410.17243v2', 26, '2612.17243v2'],
    ['2601.00001', -1, '2512.00001'],
    ['2606.13681', 0, '2606.13681'],
    ['9912.00001', 1, '9912.00001'], // would leave 2000–2099
    ['hep-th/9901001', 6, 'hep-th/9901001'], // old style: as it is
  ])('%s moved %i months → %s', (id, months, moved) => {
    expect(shiftArxivId(id, months)).toBe(moved);
  });
});

describe('replayHfCapture', () => {
  interface Item {
    publishedAt?: string;
    title?: string;
    paper?: { id: string; upvotes: number; publishedAt: string; submittedOnDailyAt?: string };
  }
  const day = Date.parse('2026-06-12T00:00:00Z');
  const capture: Item[] = [
    {
      publishedAt: '2026-06-10T20:00:00.000Z',
      paper: {
        id: '2606.13681',
        upvotes: 118,
        publishedAt: '2026-06-11T00:00:00.000Z',
        submittedOnDailyAt: '2026-06-12T00:00:00.000Z',
      },
    },
    { paper: { id: '2605.00002', upvotes: 1, publishedAt: '2026-05-20T00:00:00.000Z' } },
    { title: 'no paper object' },
  ];

  it.each([
    '2026-12-04T17:31:05.123Z',
    '2027-01-01T00:00:00.000Z',
    '2026-06-13T00:00:00.000Z', // the capture day's own end: nothing moves
  ])('the day ends at now (%s) and keeps its times relative to it', (at) => {
    const now = new Date(at);
    const r = replayHfCapture(capture, day, now);
    const [first, second, third] = r.payload as Item[];
    const paper = first!.paper!;
    expect(Date.parse(paper.submittedOnDailyAt!)).toBe(now.getTime() - DAY);
    expect(now.getTime() - Date.parse(paper.publishedAt)).toBe(
      Date.parse('2026-06-13T00:00:00Z') - Date.parse('2026-06-11T00:00:00Z'),
    );
    expect(Date.parse(first!.publishedAt!)).toBe(Date.parse(capture[0]!.publishedAt!) + r.offsetMs);
    expect(third).toEqual({ title: 'no paper object' });
    // The ids move with the calendar, and map back to the captured ones.
    expect(r.idMonths).toBe(monthsBetween(day, now.getTime() - DAY));
    expect(r.capturedId.get(paper.id)).toBe('2606.13681');
    expect(r.capturedId.get(second!.paper!.id)).toBe('2605.00002');
    // The id's bound on a paper's age lies after the moved day, as the real one did after the capture day.
    expect(arxivIdAppearedBy('2606.13681')!).toBeGreaterThan(day + DAY);
    expect(arxivIdAppearedBy(paper.id)!).toBeGreaterThan(now.getTime());
  });

  it('leaves the ids as captured with moveIds: false', () => {
    const r = replayHfCapture(capture, day, new Date('2026-12-04T00:00:00Z'), { moveIds: false });
    expect(r.idMonths).toBe(0);
    expect((r.payload as Item[])[0]!.paper!.id).toBe('2606.13681');
    expect(r.capturedId.get('2606.13681')).toBe('2606.13681');
  });
});
