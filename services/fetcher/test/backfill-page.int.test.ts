// backfill-page jobs against a loopback OAI-PMH repository (our arXivRaw fixtures, dated from this test's
// clock) with a real fetch worker, Redis and FerretDB: the chain, a page job run again after its page was
// stored (a crash between save and enqueue), an expired resumption token, and the Retry-After policy.
import { FeedHttpError } from '@paperwire/core';
import type { BackfillProgress } from '@paperwire/db';
import { backfillPageJobId } from '@paperwire/jobs';
import type { Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OaiServer, oaiDate, startOaiServer } from '../../../test/support/oai.ts';
import { MAX_RETRY_AFTER_DELAYS } from '../src/index.ts';
import { retryAfterOutcome } from '../src/jobs/backfill-page.job.ts';
import { type FetcherHarness, startHarness, waitUntil } from './support/harness.ts';

const now = new Date();
const day = (n: number) => oaiDate(now, n).toISOString().slice(0, 10);
let h: FetcherHarness;
let oai: OaiServer;

beforeAll(async () => {
  oai = await startOaiServer(now);
  h = await startHarness('backfill-page', { logLevel: 'fatal' });
});
afterAll(async () => {
  await h?.close();
  await oai?.close();
});

function progress(key: string, extra: Partial<BackfillProgress> = {}): BackfillProgress {
  const at = now.toISOString();
  return {
    key,
    feedId: `oai-${key.replaceAll('.', '-').toLowerCase()}`,
    source: { kind: 'arxiv-oai', base: oai.base, metadataPrefix: 'arXivRaw', set: 'cs', from: day(0) },
    pages: 0,
    next: 0,
    stored: 0,
    records: 0,
    startedAt: at,
    updatedAt: at,
    ...extra,
  };
}

async function run(key: string, page: number): Promise<Job> {
  const id = backfillPageJobId(key, page);
  await h.rt.queues.enqueue('backfill-page', { key, page }, { jobId: id });
  return h.waitForJob(id, ['completed', 'failed'], 60_000);
}

describe('backfill-page', () => {
  it('pages through the resumption tokens, saving each cursor before enqueueing the next page', async () => {
    const key = 'chain';
    await h.rt.db.backfills.save(progress(key));
    expect((await run(key, 0)).returnvalue).toMatchObject({ outcome: 'stored', entries: 2 });
    let done: BackfillProgress | undefined;
    await waitUntil(
      async () => {
        done = await h.rt.db.backfills.get(key);
        return done?.completedAt !== undefined;
      },
      60_000,
      () => `the chain to complete (at ${JSON.stringify(done)})`,
    );
    expect(done).toMatchObject({ pages: 3, next: 7, total: 7, records: 6, stored: 6 });
    expect(done?.token).toBeUndefined();
    const feedId = progress(key).feedId!;
    expect(await h.observationCount(feedId)).toBe(6);
    // The deleted record was skipped, not stored.
    expect(await h.mongo.collection('observations').countDocuments({ 'provenance.entryKey': /90003$/ })).toBe(
      0,
    );
    expect((await h.resolveJobsOf(feedId)).flatMap((j) => j.data.observationIds)).toHaveLength(6);
    expect((await h.waitForJob(backfillPageJobId(key, 2))).returnvalue).toMatchObject({ outcome: 'stored' });
  });

  it('a page job run again after its page was stored only enqueues the next page', async () => {
    const key = 'rerun';
    const requests = oai.requests.length;
    // As if page 0 was stored and the cursor saved, then the process died before enqueueing page 1.
    await h.rt.db.backfills.save(progress(key, { pages: 1, next: 3, token: '7391830|6', records: 2 }));
    expect((await run(key, 0)).returnvalue).toEqual({ outcome: 'already-stored' });
    const next = await h.waitForJob(backfillPageJobId(key, 1), ['completed', 'failed'], 60_000);
    expect(next.returnvalue).toMatchObject({ outcome: 'stored', entries: 1 });
    expect(oai.requests.slice(requests).map((r) => r.params.get('resumptionToken'))).toEqual(['7391830|6']);
    expect(await h.rt.db.backfills.get(key)).toMatchObject({ pages: 2, next: 4, records: 3 });
    expect((await h.rt.db.backfills.get(key))?.completedAt).toBeDefined();
  });

  it('an expired resumption token fails the page (classified, not retried) and keeps the cursor', async () => {
    const key = 'expired';
    await h.rt.db.backfills.save(progress(key, { pages: 4, next: 12, token: '7391830|999' }));
    const job = await run(key, 4);
    expect(job.failedReason).toBe('sources: arxiv-oai: api-error: OAI-PMH error badResumptionToken');
    expect(job.attemptsMade).toBe(1);
    expect(await h.rt.db.backfills.get(key)).toMatchObject({ pages: 4, token: '7391830|999' });
  });

  it('Retry-After delays a page a bounded number of times, then counts as a failed try', () => {
    const busy = new FeedHttpError('busy', { errorClass: 'http-5xx', status: 503, retryAfterMs: 5_000 });
    const job = (delays: number) => ({ attemptsStarted: delays + 1, attemptsMade: 0 }) as Job;
    expect(retryAfterOutcome(busy, job(0))).toBe(busy);
    expect(retryAfterOutcome(busy, job(MAX_RETRY_AFTER_DELAYS - 1))).toBe(busy);
    const spent = retryAfterOutcome(busy, job(MAX_RETRY_AFTER_DELAYS));
    expect(spent).toBeInstanceOf(FeedHttpError);
    expect((spent as FeedHttpError).retryAfterMs).toBeUndefined();
    expect((spent as FeedHttpError).retryable).toBe(true);
    const other = new Error('other');
    expect(retryAfterOutcome(other, job(0))).toBe(other);
  });
});
