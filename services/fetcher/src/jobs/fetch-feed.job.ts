// fetch-feed: load state → politeness → request (conditional) → classify → parse (pure) → normalise (pure)
// → store (archive, observations, resolve jobs) → update state. State advances only after the store.
import { createHash } from 'node:crypto';
import {
  type Feed,
  FeedHttpError,
  FeedParseError,
  maxAgeFromCacheControl,
  nextPollAfterFailure,
  nextPollAfterSuccess,
  normaliseEntry,
  type Observation,
  PipelineError,
} from '@paperwire/core';
import type { Database } from '@paperwire/db';
import { type Handler, jobId, type Queues } from '@paperwire/jobs';
import type { Locks, Logger } from '@paperwire/platform';
import { parsePayload } from '@paperwire/sources';
import type { HttpClient } from '../http/index.ts';
import { readFileFeed } from '../http/index.ts';
import type { Politeness } from '../politeness.ts';

export interface FetchFeedDeps {
  db: Database;
  queues: Queues;
  http: HttpClient;
  politeness: Politeness;
  locks: Locks;
  maxBodyBytes: number;
  /** How long one fetch may hold its feed's lock (a crashed holder's lock expires after this). */
  lockTtlMs: number;
  now: () => Date;
  random: () => number;
}

export interface FetchFeedResult {
  outcome: 'missing' | 'paused' | 'not-due' | 'not-modified' | 'unchanged' | 'stored';
  entries?: number;
  skipped?: number;
  newObservations?: number;
}

/** How many observation ids one resolve job carries. */
export const RESOLVE_CHUNK = 500;
/** A scheduled run this close to nextCheckAt counts as due. */
const DUE_SLACK_MS = 30_000;

interface Payload {
  url: string;
  status: number;
  headers: Record<string, string>;
  body: string;
  bytes: number;
}

type Download =
  | { kind: 'not-modified'; headers: Record<string, string> }
  | { kind: 'payloads'; payloads: Payload[]; etag?: string; lastModified?: string };

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export function isDue(feed: Feed, now: Date): boolean {
  const next = feed.state.nextCheckAt ? Date.parse(feed.state.nextCheckAt) : Number.NaN;
  return !Number.isFinite(next) || next - DUE_SLACK_MS <= now.getTime();
}

async function download(deps: FetchFeedDeps, feed: Feed): Promise<Download> {
  if (feed.url.startsWith('file:')) {
    const { files } = await readFileFeed(feed.url, { maxBodyBytes: deps.maxBodyBytes });
    return {
      kind: 'payloads',
      payloads: files.map((f) => ({
        url: `file://${f.path}`,
        status: 200,
        headers: {},
        body: f.body,
        bytes: f.bytes,
      })),
    };
  }
  await deps.politeness.wait(feed.source, feed.url);
  const res = await deps.http.get(feed.url, {
    ...(feed.state.etag ? { etag: feed.state.etag } : {}),
    ...(feed.state.lastModified ? { lastModified: feed.state.lastModified } : {}),
  });
  if (res.status === 'not-modified') return { kind: 'not-modified', headers: res.headers };
  return {
    kind: 'payloads',
    payloads: [
      { url: res.finalUrl, status: res.statusCode, headers: res.headers, body: res.body, bytes: res.bytes },
    ],
    ...(res.etag ? { etag: res.etag } : {}),
    ...(res.lastModified ? { lastModified: res.lastModified } : {}),
  };
}

async function parseAndNormalise(feed: Feed, payloads: Payload[], fetchedAt: string, log: Logger) {
  const observations: Observation[] = [];
  let entries = 0;
  let skipped = 0;
  let title: string | undefined;
  for (const p of payloads) {
    const parsed = await parsePayload(feed.kind, p.body, {
      feedId: feed._id,
      fetchedAt,
      url: p.url,
      ...(p.headers['content-type'] ? { contentType: p.headers['content-type'] } : {}),
    });
    title ??= parsed.feedTitle;
    for (const s of parsed.skipped)
      log.info({ entryKey: s.entryKey, reason: s.reason }, 'fetcher: entry skipped');
    skipped += parsed.skipped.length;
    for (const entry of parsed.entries) {
      const normalised = normaliseEntry(entry);
      if (normalised.ok) {
        observations.push(normalised.observation);
        entries++;
      } else {
        skipped++;
        log.info(
          { entryKey: entry.provenance.entryKey, reason: normalised.reason },
          'fetcher: entry skipped',
        );
      }
    }
  }
  return { observations, entries, skipped, title };
}

async function store(
  deps: FetchFeedDeps,
  feed: Feed,
  payloads: Payload[],
  observations: Observation[],
  fetchedAt: string,
  payloadHash: string,
) {
  for (const p of payloads) {
    await deps.db.payloads.archive({
      _id: sha256(p.body),
      feedId: feed._id,
      url: p.url,
      status: p.status,
      headers: p.headers,
      fetchedAt,
      bytes: p.bytes,
      body: p.body,
    });
  }
  const { inserted } = await deps.db.observations.insertNew(observations);
  const ids = [...new Set(observations.map((o) => o._id))];
  for (let i = 0; i < ids.length; i += RESOLVE_CHUNK) {
    await deps.queues.enqueue(
      'resolve-batch',
      { feedId: feed._id, observationIds: ids.slice(i, i + RESOLVE_CHUNK) },
      { jobId: jobId('resolve', feed._id, payloadHash.slice(0, 16), i / RESOLVE_CHUNK) },
    );
  }
  return inserted;
}

export function fetchFeedHandler(deps: FetchFeedDeps): Handler<'fetch-feed'> {
  // One fetch per feed at a time, across processes: a scheduled and a manual job for the same feed would
  // otherwise both fetch without the other's validators and race on the feed's state.
  return (payload, ctx) =>
    deps.locks.withLocks([`feed:${payload.feedId}`], () => fetchFeed(deps, payload, ctx), {
      ttlMs: deps.lockTtlMs,
      waitMs: deps.lockTtlMs,
    });
}

const fetchFeed: (
  deps: FetchFeedDeps,
  ...args: Parameters<Handler<'fetch-feed'>>
) => Promise<FetchFeedResult> = async (deps, { feedId, reason }, { log }) => {
  const feed = await deps.db.feeds.get(feedId);
  if (!feed) return { outcome: 'missing' };
  if (!feed.enabled && reason === 'schedule') return { outcome: 'paused' };
  const now = deps.now();
  if (reason === 'schedule' && !isDue(feed, now)) return { outcome: 'not-due' };
  const fetchedAt = now.toISOString();
  const flog = log.child({ feedId, kind: feed.kind });

  try {
    const got = await download(deps, feed);
    if (got.kind === 'not-modified') {
      const next = nextPollAfterSuccess(now, feed.intervalMinutes, {
        maxAgeSeconds: maxAgeFromCacheControl(got.headers['cache-control']),
      });
      await deps.db.feeds.recordSuccess(feedId, {
        state: {
          ...feed.state,
          lastFetchAt: fetchedAt,
          lastSuccessAt: fetchedAt,
          nextCheckAt: next.toISOString(),
        },
      });
      return { outcome: 'not-modified' };
    }
    const payloadHash = sha256(got.payloads.map((p) => sha256(p.body)).join(''));
    const headers = got.payloads[0]?.headers ?? {};
    const next = nextPollAfterSuccess(now, feed.intervalMinutes, {
      maxAgeSeconds: maxAgeFromCacheControl(headers['cache-control']),
      ...(headers.expires && Number.isFinite(Date.parse(headers.expires))
        ? { expiresAt: new Date(headers.expires).toISOString() }
        : {}),
    });
    const state = {
      ...(got.etag ? { etag: got.etag } : {}),
      ...(got.lastModified ? { lastModified: got.lastModified } : {}),
      lastPayloadHash: payloadHash,
      lastFetchAt: fetchedAt,
      lastSuccessAt: fetchedAt,
      nextCheckAt: next.toISOString(),
    };
    if (payloadHash === feed.state.lastPayloadHash) {
      await deps.db.feeds.recordSuccess(feedId, { state });
      return { outcome: 'unchanged' };
    }
    const parsed = await parseAndNormalise(feed, got.payloads, fetchedAt, flog);
    const inserted = await store(deps, feed, got.payloads, parsed.observations, fetchedAt, payloadHash);
    await deps.db.feeds.recordSuccess(feedId, {
      state,
      entryCount: parsed.entries,
      skippedCount: parsed.skipped,
      ...(parsed.title ? { title: parsed.title } : {}),
    });
    flog.info(
      { entries: parsed.entries, skipped: parsed.skipped, newObservations: inserted },
      'fetcher: feed stored',
    );
    return {
      outcome: 'stored',
      entries: parsed.entries,
      skipped: parsed.skipped,
      newObservations: inserted,
    };
  } catch (err) {
    if (err instanceof FeedHttpError || err instanceof FeedParseError) {
      const failures = feed.health.consecutiveFailures + 1;
      const retryAfterMs = err instanceof FeedHttpError ? err.retryAfterMs : undefined;
      await deps.db.feeds.recordFailure(feedId, {
        errorClass: err.errorClass,
        message: err.message,
        at: fetchedAt,
        // With Retry-After the job itself is delayed by exactly that long (see jobs/workers.ts).
        nextCheckAt: (retryAfterMs !== undefined
          ? new Date(now.getTime() + retryAfterMs)
          : nextPollAfterFailure(now, feed.intervalMinutes, failures, deps.random())
        ).toISOString(),
      });
    }
    if (err instanceof PipelineError) throw err;
    throw new PipelineError(`fetcher: ${feedId}: ${(err as Error).message}`, {
      code: 'fetch-internal',
      retryable: true,
      cause: err,
    });
  }
};
