// The periodic gc job on the real Redis and FerretDB: the scheduler upserts the `maintenance.gc` job
// scheduler (every GC_EVERY_MINUTES) and runs the `maintenance` worker; a gc job deletes what retention no
// longer keeps with the clock it is given, and a second job deletes nothing. Dates come from this test's
// clock, so it passes on any date and time zone.
import type { PaperwireEvent } from '@paperwire/core';
import type { GcResult } from '@paperwire/db';
import type { Runtime } from '@paperwire/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRuntimes } from '../../../test/support/runtime.ts';
import { GC_SCHEDULER_ID, schedulerEnvSchema, startScheduler } from '../src/index.ts';

const runtimes = testRuntimes();
let rt: Runtime;
const DAY = 24 * 3_600_000;
const now = new Date();
const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();

const config = schedulerEnvSchema.parse({
  MONGODB_URI: 'mongodb://unused',
  REDIS_URL: 'redis://unused',
  PAPERWIRE_SEED_DEFAULT_FEEDS: 'false',
  GC_EVERY_MINUTES: '30',
  OUTBOX_GRACE_HOURS: '24',
});

const event = (id: string): PaperwireEvent =>
  ({
    id,
    type: 'paper.created',
    version: 1,
    occurredAt: ago(3 * DAY),
    data: {},
  }) as unknown as PaperwireEvent;

/** Polls a job until it has finished (or the deadline passes); returns its result. */
async function finished(jobId: string, timeoutMs = 30_000): Promise<GcResult> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const queue = rt.queues.byName.maintenance;
    const state = await queue.getJobState(jobId);
    // Read after the state: a job read while active has no return value yet.
    const job = await queue.getJob(jobId);
    if (state === 'completed') return job!.returnvalue as GcResult;
    if (state === 'failed') throw new Error(`gc job failed: ${job?.failedReason}`);
    if (Date.now() > deadline) throw new Error(`gc job ${jobId} not finished (${state})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  rt = await runtimes.runtime('scheduler-gc');
  await rt.db.outbox.insertIfAbsent([event('paper.created:old'), event('paper.created:unrelayed')]);
  await rt.db.outbox.markPublished('paper.created:old', ago(2 * DAY));
  await startScheduler(rt, config, { now: () => now });
});
afterAll(() => runtimes.closeAll());

describe('gc job', () => {
  it('is scheduled every GC_EVERY_MINUTES', async () => {
    const schedulers = await rt.queues.byName.maintenance.getJobSchedulers(0, -1);
    const gc = schedulers.find((s) => s.key === GC_SCHEDULER_ID);
    expect(gc).toMatchObject({ name: 'gc', every: 30 * 60_000 });
  });

  it('deletes relayed events past the grace period, keeps unrelayed ones; a second run deletes nothing', async () => {
    const first = await finished(await rt.queues.enqueue('gc', { reason: 'manual' }));
    // The scheduled run may have been first: between them, the old event went exactly once.
    const scheduled = await rt.queues.byName.maintenance.getCompleted(0, -1);
    const total = scheduled.reduce(
      (n, j) => n + ((j.returnvalue as GcResult | undefined)?.deleted.outbox ?? 0),
      0,
    );
    expect(first.deleted.outbox).toBeLessThanOrEqual(1);
    expect(total).toBe(1);
    expect(
      (await rt.db.outbox.getMany(['paper.created:old', 'paper.created:unrelayed'])).map((e) => e.id),
    ).toEqual(['paper.created:unrelayed']);
    const second = await finished(await rt.queues.enqueue('gc', { reason: 'manual' }));
    expect(second.deleted).toEqual({ outbox: 0, payloads: 0, rankings: 0 });
  });
});
