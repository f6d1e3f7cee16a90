// Events end to end against real Redis and FerretDB: resolving and scoring record each change's events once
// (re-resolving records nothing new), the relay publishes them to the stream where a consumer group reads
// them, every entry validates against its schema, a crash between XADD and the queue removal publishes the
// same id again, and the stream stays bounded.
/// <reference path="../../../test/setup/global-setup.ts" />
import {
  normaliseEntry,
  type Observation,
  type PaperwireEvent,
  paperMerged,
  paperwireEventSchema,
  type SourceEntry,
} from '@paperwire/core';
import { SNAPSHOTS_KEPT } from '@paperwire/db';
import { dirtyPapers, eventRecorder, eventsStreamKey, outboxQueue, recordEvents } from '@paperwire/jobs';
import { metrics } from '@paperwire/platform';
import { resolverEnvSchema, startResolver } from '@paperwire/resolver';
import type { Runtime } from '@paperwire/runtime';
import { type ScoreRankingsResult, scoreRankingsHandler, scorerEnvSchema } from '@paperwire/scorer';
import { afterAll, describe, expect, it } from 'vitest';
import { testRuntimes } from '../../../test/support/runtime.ts';
import { type RelayEventsDeps, relayEnvSchema, relayEvents, startRelay } from '../src/index.ts';

const { runtime: named, closeAll, log } = testRuntimes();
const runtime = (name: string) => named(name);

afterAll(closeAll);

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const fetchedAt = new Date(Date.now() - 3_600_000).toISOString();

function observe(
  feedId: string,
  source: SourceEntry['provenance']['source'],
  key: string,
  fields: Partial<SourceEntry>,
): Observation {
  const r = normaliseEntry({
    provenance: { feedId, source, entryKey: key, fetchedAt },
    title: 'Tiny Experts',
    authors: ['Ada Lovelace'],
    links: [],
    ids: {},
    categories: ['cs.LG'],
    signals: {},
    ...fields,
  });
  if (!r.ok) throw new Error(r.reason);
  return r.observation;
}

interface StreamEntry {
  streamId: string;
  event: PaperwireEvent;
}

/** The entry as a consumer rebuilds it, validated against the published schema. */
function parseEntry([streamId, fields]: [string, string[]]): StreamEntry {
  const f = new Map<string, string>();
  for (let i = 0; i < fields.length; i += 2) f.set(fields[i]!, fields[i + 1]!);
  const event = paperwireEventSchema.parse({
    id: f.get('id'),
    type: f.get('type'),
    version: Number(f.get('version')),
    occurredAt: f.get('occurredAt'),
    data: JSON.parse(f.get('data') ?? 'null'),
  }) as PaperwireEvent;
  return { streamId, event };
}

/** Reads everything new for `consumer` in `group` (created at the stream's start), acknowledging it. */
async function readGroup(rt: Runtime, group: string, consumer: string): Promise<StreamEntry[]> {
  const key = eventsStreamKey(rt.prefix);
  try {
    await rt.redis.xgroup('CREATE', key, group, '0', 'MKSTREAM');
  } catch (err) {
    if (!String(err).includes('BUSYGROUP')) throw err;
  }
  const out: StreamEntry[] = [];
  for (;;) {
    const res = (await rt.redis.xreadgroup('GROUP', group, consumer, 'COUNT', '100', 'STREAMS', key, '>')) as
      | [string, [string, string[]][]][]
      | null;
    const entries = res?.[0]?.[1] ?? [];
    if (entries.length === 0) return out;
    out.push(...entries.map(parseEntry));
    await rt.redis.xack(key, group, ...entries.map(([id]) => id));
  }
}

function relayDeps(rt: Runtime, over: Partial<RelayEventsDeps> = {}): RelayEventsDeps {
  return {
    db: rt.db,
    redis: rt.redis,
    prefix: rt.prefix,
    locks: rt.locks,
    now: () => new Date(),
    maxLen: 100_000,
    batchSize: 50,
    onPublished: async () => {},
    ...over,
  };
}

describe('events', () => {
  it('records each change once, and the running relay publishes them to a consumer group', async () => {
    const rt = await runtime('events-e2e');
    startResolver(rt, resolverEnvSchema.parse({}));
    const published: string[] = [];
    await startRelay(rt, relayEnvSchema.parse({ RELAY_EVERY_MS: 60_000 }), {
      onPublished: async (e) => {
        published.push(e.id);
      },
    });
    const queue = outboxQueue(rt.redis, rt.prefix);
    const resolve = async (observations: Observation[]) => {
      await rt.db.observations.insertNew(observations);
      for (const o of observations) {
        await rt.queues.enqueue('resolve-batch', { feedId: 'x', observationIds: [o._id] });
        await until('the resolve queue to be idle', async () => {
          const c = await rt.queues.byName.resolve.getJobCounts('waiting', 'active', 'delayed', 'failed');
          expect(c.failed).toBe(0);
          return (c.waiting ?? 0) + (c.active ?? 0) + (c.delayed ?? 0) === 0;
        });
      }
    };
    const outboxIds = async (ids: readonly string[]) => (await rt.db.outbox.getMany(ids)).map((e) => e.id);

    const journal = observe('journal', 'web', 'j1', { url: 'https://doi.org/10.1145/3600000.1234567' });
    const preprint = observe('arxiv', 'arxiv', 'a1', { ids: { arxiv: '2611.77777v1' } });
    const hf = observe('hf', 'huggingface', 'h1', {
      ids: { arxiv: '2611.77777', hf: '2611.77777' },
      signals: { upvotes: 5 },
    });
    const bridge = observe('arxiv-api', 'arxiv', 'a1-api', {
      ids: { arxiv: 'http://arxiv.org/abs/2611.77777v2', doi: '10.1145/3600000.1234567' },
    });
    const other = observe('hf', 'huggingface', 'h2', {
      title: 'Sparse routers for mixtures at scale',
      authors: ['Alan Turing'],
      ids: { arxiv: '2611.88888', hf: '2611.88888' },
      signals: { upvotes: 900 },
    });
    const A = 'arxiv:2611.77777';
    const DOI = 'doi:10.1145/3600000.1234567';
    const B = 'arxiv:2611.88888';

    await resolve([journal, preprint, hf]);
    const afterFirst = await rt.db.outbox.count();
    // Two papers created, and A's first signals (HF upvotes).
    expect(afterFirst).toBe(3);
    expect(await outboxIds([`paper.created:${DOI}`, `paper.created:${A}`])).toHaveLength(2);
    await resolve([bridge]);
    expect(await outboxIds([`paper.merged:${A}:${DOI}`, `paper.revised:${A}:v2`])).toHaveLength(2);
    const paperEvents = await rt.db.outbox.count();
    expect(paperEvents).toBe(afterFirst + 2);

    // Re-resolving everything changes nothing, so it records nothing new.
    await resolve([journal, preprint, hf, bridge]);
    expect(await rt.db.outbox.count()).toBe(paperEvents);

    // Two score runs of one board, top 1: the first has A entering; after B arrives, B enters, A leaves.
    const score = scoreRankingsHandler({
      db: rt.db,
      dirty: dirtyPapers(rt.redis, rt.prefix),
      queues: rt.queues,
      events: eventRecorder(rt.db, rt.redis, rt.prefix),
      constants: scorerEnvSchema.parse({}).SCORE_CONSTANTS,
      rankingSize: 200,
      batchSize: 5_000,
      changesTopN: 1,
      snapshotsKept: SNAPSHOTS_KEPT,
      now: () => new Date(),
    });
    const context = { job: undefined as never, log };
    const first = await score({ reason: 'manual', windows: ['24h'], categories: ['all'] }, context);
    await resolve([other]);
    const second = await score({ reason: 'manual', windows: ['24h'], categories: ['all'] }, context);
    const [s1, s2] = [first, second].map((r) => (r as ScoreRankingsResult).published[0]!.snapshotId);
    expect(
      await outboxIds([
        `trending.updated:${s1}`,
        `trending.entered:${s1}:${A}`,
        `trending.updated:${s2}`,
        `trending.entered:${s2}:${B}`,
        `trending.left:${s2}:${A}`,
      ]),
    ).toHaveLength(5);
    const total = await rt.db.outbox.count();
    // B: created + signals; the two snapshots: updated + entered, updated + entered + left.
    expect(total).toBe(paperEvents + 2 + 5);

    // The relay (debounced jobs, no manual run) empties the queue; a consumer group reads every event once.
    await until(
      'the relay to publish everything',
      async () => (await queue.pending()) === 0 && published.length >= total,
    );
    const read = await readGroup(rt, 'consumers', 'c1');
    const ids = read.map((r) => r.event.id);
    expect(new Set(ids).size).toBe(total);
    expect(new Set(published)).toEqual(new Set(ids));
    expect(read.map((r) => r.event.type)).toEqual(
      expect.arrayContaining([
        'paper.created',
        'paper.revised',
        'paper.merged',
        'paper.signals',
        'trending.updated',
        'trending.entered',
        'trending.left',
      ]),
    );
    for (const e of await rt.db.outbox.getMany(ids)) expect(e.publishedAt).toBeDefined();
  });

  it('publishes again after a crash between XADD and the queue removal; duplicates share the id', async () => {
    const rt = await runtime('events-crash');
    const queue = outboxQueue(rt.redis, rt.prefix);
    const survivor = {
      _id: 'arxiv:2611.12345',
      ids: { arxiv: '2611.12345' },
      versions: [],
      title: 'T',
      authors: [],
      categories: [],
      firstSeenAt: fetchedAt,
      links: {},
      sightings: [],
      textSource: { rank: 0, version: 0, at: fetchedAt },
    };
    const event = paperMerged(survivor, 'fp:abc', fetchedAt);
    await recordEvents(rt.db, rt.redis, rt.prefix, [event]);

    let crashes = 1;
    const crashing = relayDeps(rt, {
      onPublished: async () => {
        if (crashes-- > 0) throw new Error('crash after XADD');
      },
    });
    await expect(relayEvents(crashing)).rejects.toThrow('crash after XADD');
    expect(await queue.peek(10)).toEqual([event.id]);
    expect((await rt.db.outbox.getMany([event.id]))[0]?.publishedAt).toBeUndefined();
    const lagBefore = await relayLagCount('paper.merged');
    expect(await relayEvents(crashing)).toMatchObject({ published: 1 });
    expect(await queue.pending()).toBe(0);
    expect(await relayLagCount('paper.merged')).toBe(lagBefore + 1);

    const read = await readGroup(rt, 'g', 'c1');
    expect(read.map((r) => r.event.id)).toEqual([event.id, event.id]);
    expect(read[1]!.event).toEqual(event);

    // A retried job re-records the published event: it is queued again, but not published twice.
    await recordEvents(rt.db, rt.redis, rt.prefix, [event]);
    expect(await rt.db.outbox.count()).toBe(1);
    expect(await relayEvents(relayDeps(rt))).toMatchObject({ published: 0, skipped: 1 });
    expect(await rt.redis.xlen(eventsStreamKey(rt.prefix))).toBe(2);
  });

  it('keeps the stream bounded', async () => {
    const rt = await runtime('events-bounded');
    const survivor = {
      _id: 'arxiv:2611.12345',
      ids: {},
      versions: [],
      title: 'T',
      authors: [],
      categories: [],
      firstSeenAt: fetchedAt,
      links: {},
      sightings: [],
      textSource: { rank: 0, version: 0, at: fetchedAt },
    };
    const events = Array.from({ length: 30 }, (_, i) =>
      paperMerged(
        survivor,
        `fp:${String(i).padStart(2, '0')}`,
        new Date(Date.parse(fetchedAt) + i).toISOString(),
      ),
    );
    await recordEvents(rt.db, rt.redis, rt.prefix, events);
    expect(await relayEvents(relayDeps(rt, { maxLen: 10, batchSize: 7 }))).toMatchObject({ published: 30 });
    const key = eventsStreamKey(rt.prefix);
    expect(await rt.redis.xlen(key)).toBeLessThanOrEqual(10);
    const kept = (await rt.redis.xrange(key, '-', '+')).map(
      (e) => parseEntry(e as [string, string[]]).event.id,
    );
    expect(kept).toEqual(events.slice(-kept.length).map((e) => e.id));
  });
});

/** How many relay-lag observations this process's registry holds for events of `type`. */
async function relayLagCount(type: string): Promise<number> {
  const sample = (await metrics.relayLag.get()).values.find(
    (v) => v.metricName === 'paperwire_event_relay_lag_seconds_count' && v.labels.type === type,
  );
  return sample?.value ?? 0;
}
