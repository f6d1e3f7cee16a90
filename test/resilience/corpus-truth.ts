// The expected end state of an ingest: the benchmark's seeded corpus (test/bench/corpus.ts) knows which
// paper every entry is. Here: serve it, register its feeds, and compare what the database holds with it —
// papers (each true paper in exactly one stored paper, no stored paper mixing two) and sightings (every
// entry of every feed exactly once).
import { feedIdFor } from '@paperwire/core';
import { parseAndNormalise } from '@paperwire/ingest';
import type { Runtime } from '@paperwire/runtime';
import { feedRegistry } from '@paperwire/runtime';
import { sourceOfKind } from '@paperwire/sources';
import type { Db } from 'mongodb';
import { type Corpus, corpusFeedRecord, generateCorpus } from '../bench/corpus.ts';
import { type FeedServer, startFeedServer } from '../support/feed-server.ts';
import type { Cleanup, LogSink } from './support.ts';

export interface Truth {
  corpus: Corpus;
  /** `<feedId>\0<entryKey>` → true paper key. */
  paperOf: Map<string, string>;
  feedIds: string[];
  server: FeedServer;
}

const key = (feedId: string, entryKey: string) => `${feedId}\u0000${entryKey}`;

/** Generates the corpus, serves it (ETag + gzip) and labels every entry with its paper. */
export async function servedCorpus(
  seed: number,
  entries: number,
  sink: LogSink,
  cleanup: Cleanup,
): Promise<Truth> {
  const corpus = generateCorpus({ seed, entries, feedsPerKind: Math.max(1, Math.round(entries / 1000)) });
  const server = await startFeedServer({ gzip: true });
  cleanup.add('corpus feed server', () => server.close());
  const paperOf = new Map<string, string>();
  const feedIds: string[] = [];
  const quiet = sink.logger('truth', 'silent');
  for (const f of corpus.feeds) {
    const body = corpus.body(f);
    server.set(f.path, { body, contentType: f.contentType });
    const url = server.url(f.path);
    const feedId = feedIdFor(f.kind, url);
    feedIds.push(feedId);
    const feed = { _id: feedId, kind: f.kind, source: sourceOfKind(f.kind) };
    const payload = { url, status: 200, headers: {}, body, bytes: body.length };
    const parsed = await parseAndNormalise(feed, [payload], '2026-04-01T00:00:00.000Z', quiet);
    if (parsed.observations.length !== f.entries.length)
      throw new Error(
        `resilience: ${f.path} parses into ${parsed.observations.length} of ${f.entries.length}`,
      );
    parsed.observations.forEach((o, j) => {
      paperOf.set(key(feedId, o.provenance.entryKey), f.papers[j]!);
    });
  }
  return { corpus, paperOf, feedIds, server };
}

/** Puts the corpus's feeds in the registry's collection without job schedulers (fetched on demand). */
export async function registerFeeds(rt: Runtime, truth: Truth): Promise<void> {
  const createdAt = new Date().toISOString();
  for (const f of truth.corpus.feeds) {
    const url = truth.server.url(f.path);
    await rt.db.feeds.insertIfAbsent(corpusFeedRecord(f.kind, url, createdAt));
  }
}

/** One manual fetch of every feed. */
export async function fetchAll(rt: Runtime, truth: Truth): Promise<void> {
  const registry = feedRegistry(rt.db, rt.queues);
  const now = new Date();
  for (const id of truth.feedIds) await registry.fetchNow(id, 'run-once', now);
}

export interface Comparison {
  /** Distinct true papers. */
  expected: number;
  /** Live (not merged-away) stored papers. */
  stored: number;
  /** Extra stored papers per true paper, plus sightings stored more than once. */
  duplicated: number;
  /** True papers in no stored paper, plus entries with no sighting. */
  lost: number;
  wronglyMerged: number;
  unknownSightings: number;
  sightings: number;
  expectedSightings: number;
  observations: number;
}

export async function compare(db: Db, truth: Truth): Promise<Comparison> {
  const cursor = db
    .collection<{ _id: string; sightings?: { feedId: string; entryKey: string }[] }>('papers')
    .find({ mergedInto: { $exists: false } }, { projection: { sightings: 1 } });
  const storedOf = new Map<string, number>();
  const seenSightings = new Map<string, number>();
  let stored = 0;
  let wronglyMerged = 0;
  let unknownSightings = 0;
  let sightings = 0;
  for await (const paper of cursor) {
    stored++;
    const labels = new Set<string>();
    for (const s of paper.sightings ?? []) {
      sightings++;
      const k = key(s.feedId, s.entryKey);
      seenSightings.set(k, (seenSightings.get(k) ?? 0) + 1);
      const label = truth.paperOf.get(k);
      if (label === undefined) unknownSightings++;
      else labels.add(label);
    }
    if (labels.size > 1) wronglyMerged++;
    for (const l of labels) storedOf.set(l, (storedOf.get(l) ?? 0) + 1);
  }
  let duplicated = 0;
  for (const n of storedOf.values()) duplicated += n - 1;
  for (const n of seenSightings.values()) duplicated += n - 1;
  let lostSightings = 0;
  for (const k of truth.paperOf.keys()) if (!seenSightings.has(k)) lostSightings++;
  const expected = truth.corpus.papers;
  return {
    expected,
    stored,
    duplicated,
    lost: expected - storedOf.size + lostSightings,
    wronglyMerged,
    unknownSightings,
    sightings,
    expectedSightings: truth.paperOf.size,
    observations: await db.collection('observations').countDocuments({}),
  };
}

export function comparisonNotes(c: Comparison): string {
  return (
    `sightings ${c.sightings}/${c.expectedSightings}, observations ${c.observations}` +
    (c.wronglyMerged ? `, wrongly merged ${c.wronglyMerged}` : '') +
    (c.unknownSightings ? `, unknown sightings ${c.unknownSightings}` : '')
  );
}

export const comparisonOk = (c: Comparison): boolean =>
  c.stored === c.expected &&
  c.duplicated === 0 &&
  c.lost === 0 &&
  c.wronglyMerged === 0 &&
  c.unknownSightings === 0 &&
  c.observations === c.expectedSightings;
