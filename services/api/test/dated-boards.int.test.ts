// Dated boards written by the scorer, read through the API, against real Redis and FerretDB. The clock is
// the test's: "the last evening of this year" (31 December of the current UTC year, 22:00), so the day,
// ISO week and month boards cross a month and a year boundary whatever day the test runs. Papers first seen
// on 31 December and on 1 January land on their own day's board; the year's last month and its next
// month each list their own; a board is final, and never changes, once its period is over plus a day.
/// <reference path="../../../test/setup/global-setup.ts" />
import {
  appendSignalPoints,
  applyObservation,
  normaliseEntry,
  type Paper,
  periodAt,
  resolutionKeys,
} from '@paperwire/core';
import type { Database } from '@paperwire/db';
import { dirtyPapers, eventRecorder } from '@paperwire/jobs';
import { type ScoreRankingsDeps, scoreRankingsHandler, scorerEnvSchema } from '@paperwire/scorer';
import { afterAll, describe, expect, it } from 'vitest';
import { testRuntimes } from '../../../test/support/runtime.ts';
import { buildApp } from '../src/index.ts';

const { runtime, closeAll, log } = testRuntimes();
afterAll(closeAll);

const HOUR = 3_600_000;
const YEAR = new Date().getUTCFullYear();
const NEW_YEARS_EVE = Date.UTC(YEAR, 11, 31, 22);
const yy = (y: number) => String(y % 100).padStart(2, '0');
const iso = (ms: number) => new Date(ms).toISOString();

/** Stores a paper first seen (on HF, with `upvotes`) at `seenAt`; returns its id. */
async function storePaper(db: Database, arxivId: string, seenAt: number, upvotes: number): Promise<string> {
  const r = normaliseEntry({
    provenance: { feedId: 'hf', source: 'huggingface', entryKey: arxivId, fetchedAt: iso(seenAt) },
    title: `Paper ${arxivId}`,
    authors: ['Ada Lovelace'],
    links: [],
    ids: { arxiv: arxivId, hf: arxivId },
    categories: ['cs.LG'],
    publishedAt: iso(seenAt),
    signals: { upvotes },
  });
  if (!r.ok) throw new Error(r.reason);
  const id = resolutionKeys(r.observation)[0]!;
  const paper: Paper = applyObservation(undefined, id, r.observation);
  await db.papers.put(paper, { series: appendSignalPoints({}, paper, iso(seenAt)) });
  return id;
}

describe('dated boards across a month and a year boundary', () => {
  it('lists each period’s papers by what they gathered, and freezes a board after its grace day', async () => {
    const rt = await runtime('scorer-dated-boards');
    let clock = NEW_YEARS_EVE;
    const deps: ScoreRankingsDeps = {
      db: rt.db,
      dirty: dirtyPapers(rt.redis, rt.prefix),
      queues: rt.queues,
      events: eventRecorder(rt.db, rt.redis, rt.prefix),
      constants: scorerEnvSchema.parse({}).SCORE_CONSTANTS,
      rankingSize: 200,
      batchSize: 5_000,
      changesTopN: 20,
      snapshotsKept: 4,
      now: () => new Date(clock),
    };
    const dec = `${yy(YEAR)}12`;
    const jan = `${yy(YEAR + 1)}01`;
    // Two papers of 31 December (the later one with more upvotes), one of 30 December.
    const eve = await storePaper(rt.db, `${dec}.90001`, NEW_YEARS_EVE - 2 * HOUR, 5);
    const eveTop = await storePaper(rt.db, `${dec}.90002`, NEW_YEARS_EVE - HOUR, 50);
    const before = await storePaper(rt.db, `${dec}.90003`, NEW_YEARS_EVE - 24 * HOUR, 80);
    await deps.dirty.mark([eve, eveTop, before], new Date(clock));
    const handler = scoreRankingsHandler(deps);
    await handler({ reason: 'manual' }, { job: undefined as never, log });

    const app = buildApp(rt);
    const get = async (url: string) => {
      const res = await app.inject({ method: 'GET', url });
      return { status: res.statusCode, body: res.statusCode === 200 ? res.json() : undefined, res };
    };
    const day = periodAt('daily', NEW_YEARS_EVE).key;
    const week = periodAt('weekly', NEW_YEARS_EVE).key;
    const month = periodAt('monthly', NEW_YEARS_EVE).key;
    expect(day).toBe(`${YEAR}-12-31`);
    const eveBoard = await get(`/daily/${day}`);
    expect(eveBoard.status).toBe(200);
    expect(eveBoard.body.items.map((i: { paperId: string }) => i.paperId)).toEqual([eveTop, eve]);
    expect(eveBoard.body).toMatchObject({ final: false, start: iso(Date.UTC(YEAR, 11, 31)) });
    expect(eveBoard.body.items[0]).toMatchObject({ title: `Paper ${dec}.90002`, authorCount: 1 });
    expect((await get(`/daily/${YEAR}-12-30`)).body.items.map((i: { paperId: string }) => i.paperId)).toEqual(
      [before],
    );
    const monthIds = (await get(`/monthly/${month}`)).body.items.map((i: { paperId: string }) => i.paperId);
    expect(monthIds).toEqual([before, eveTop, eve]);
    expect((await get(`/weekly/${week}`)).status).toBe(200);

    // Past midnight: a paper of 1 January is on the new year's day and month, not on the old ones; and
    // upvotes 31 December's papers gather during the grace day still count on their boards.
    clock = Date.UTC(YEAR + 1, 0, 1, 3);
    const upvotesAt = async (id: string, seenAt: number, first: number, laterAt: number, later: number) =>
      rt.db.papers.put((await rt.db.papers.getStored(id))!, {
        series: {
          huggingface: {
            feeds: ['hf'],
            points: [
              { at: iso(seenAt), signals: { upvotes: first } },
              { at: iso(laterAt), signals: { upvotes: later } },
            ],
          },
        },
      });
    await upvotesAt(eve, NEW_YEARS_EVE - 2 * HOUR, 5, clock - HOUR / 2, 5_000);
    const newYear = await storePaper(rt.db, `${jan}.90004`, clock - HOUR, 10);
    await deps.dirty.mark([newYear, eve], new Date(clock));
    await handler({ reason: 'manual' }, { job: undefined as never, log });
    const ids = (body: { items: { paperId: string }[] }) => body.items.map((i) => i.paperId);
    expect(ids((await get(`/daily/${YEAR + 1}-01-01`)).body)).toEqual([newYear]);
    expect(ids((await get(`/monthly/${YEAR + 1}-01`)).body)).toEqual([newYear]);
    const inGrace = await get(`/daily/${day}`);
    expect(inGrace.body.final).toBe(false);
    expect(ids(inGrace.body)).toEqual([eve, eveTop]);
    expect(ids((await get(`/monthly/${month}`)).body)).toEqual([eve, before, eveTop]);

    // Two days into the year: 31 December and December are over plus their grace day, so their boards are
    // final, ranked as of the instant they froze: upvotes gathered after it do not count, and nothing
    // changes them any more.
    clock = Date.UTC(YEAR + 1, 0, 2, 1);
    await upvotesAt(eveTop, NEW_YEARS_EVE - HOUR, 50, clock - HOUR / 2, 50_000);
    await deps.dirty.mark([eveTop], new Date(clock));
    await handler({ reason: 'manual' }, { job: undefined as never, log });
    const frozen = await get(`/daily/${day}`);
    expect(frozen.body).toMatchObject({ final: true, asOf: iso(Date.UTC(YEAR + 1, 0, 2)) });
    expect(ids(frozen.body)).toEqual([eve, eveTop]);
    expect(frozen.res.headers['cache-control']).toContain('immutable');
    const december = await get(`/monthly/${month}`);
    expect(december.body).toMatchObject({ final: true, asOf: iso(Date.UTC(YEAR + 1, 0, 2)) });
    expect(ids(december.body)).toEqual([eve, before, eveTop]);
    clock = Date.UTC(YEAR + 1, 0, 3, 2);
    await handler({ reason: 'manual' }, { job: undefined as never, log });
    expect((await get(`/monthly/${month}`)).body).toEqual(december.body);
    expect((await get(`/daily/${day}`)).body).toEqual(frozen.body);
    // By now the new year's first day is over plus its grace too; its month is still open.
    expect((await get(`/daily/${YEAR + 1}-01-01`)).body.final).toBe(true);
    expect((await get(`/monthly/${YEAR + 1}-01`)).body.final).toBe(false);
    const feed = await app.inject({ method: 'GET', url: `/feeds/daily/${day}.atom` });
    expect(feed.body).toContain(`Paperwire: papers of the day ${day}`);
    await app.close();
  }, 120_000);
});
