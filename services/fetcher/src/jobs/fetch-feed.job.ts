// fetch-feed: load state → politeness (no token or a paused service: the job is deferred, not slept) → request (conditional) → classify → parse (pure) → normalise (pure)
// → store (archive, observations, resolve jobs) → update state and cadence. State advances only after the
// store. An hf-daily feed without `?date=` also re-polls the previous days until their lists settle.
// Parse, normalise and store are the shared ingest path (shared/ingest), also used by backfill-page and
// `paperwire replay`.
import {
  type Feed,
  FeedHttpError,
  FeedParseError,
  type FeedState,
  type HfDayRecord,
  type HfRepollPolicy,
  hfDaysToPoll,
  hfDayUrl,
  maxAgeFromCacheControl,
  nextCadence,
  nextPollAfterFailure,
  nextPollAfterSuccess,
  PipelineError,
  repollsHfDays,
  updateHfDays,
} from '@paperwire/core';
import type { Database } from '@paperwire/db';
import {
  type IngestDeps,
  type IngestPayload,
  parseAndNormalise,
  sha256,
  storeIngested,
} from '@paperwire/ingest';
import { type Handler, JobDeferred } from '@paperwire/jobs';
import { type Locks, metrics } from '@paperwire/platform';
import type { HttpClient } from '../http/index.ts';
import { readFileFeed } from '../http/index.ts';
import type { Politeness } from '../politeness.ts';

export interface FetchFeedDeps {
  /** The feed's state and health, and what the ingest stores (payloads, observations). */
  db: Pick<Database, 'feeds'> & IngestDeps['db'];
  queues: IngestDeps['queues'];
  http: Pick<HttpClient, 'get'>;
  politeness: Pick<Politeness, 'take' | 'waitUnlessPaused' | 'pause'>;
  /** How long a 429/503 without Retry-After pauses the feed's service. */
  pauseDefaultMs: number;
  locks: Pick<Locks, 'withLocks'>;
  maxBodyBytes: number;
  /** PAPERWIRE_FILE_FEEDS_ROOT: file:// feeds are read only under it (undefined: not at all). */
  fileFeedsRoot: string | undefined;
  /** How long one fetch may hold its feed's lock (a crashed holder's lock expires after this). */
  lockTtlMs: number;
  now: () => Date;
  random: () => number;
  /** hf-daily feeds without `?date=`: which previous days to re-poll, and when a day is settled. */
  hfRepoll: HfRepollPolicy;
}

export interface FetchFeedResult {
  outcome: 'missing' | 'paused' | 'not-due' | 'not-modified' | 'unchanged' | 'stored';
  entries?: number;
  skipped?: number;
  newObservations?: number;
}

/** A scheduled run this close to nextCheckAt counts as due. */
const DUE_SLACK_MS = 30_000;

type Download =
  | { kind: 'not-modified'; headers: Record<string, string> }
  | { kind: 'payloads'; payloads: IngestPayload[]; etag?: string; lastModified?: string };

export function isDue(feed: Feed, now: Date): boolean {
  const next = feed.state.nextCheckAt ? Date.parse(feed.state.nextCheckAt) : Number.NaN;
  return !Number.isFinite(next) || next - DUE_SLACK_MS <= now.getTime();
}

/** A 304 or an unchanged body: the feed's last counts (and so an `empty` status) stay as they were. */
function sameCounts(feed: Feed): { entryCount?: number; skippedCount?: number } {
  return {
    ...(feed.health.lastEntryCount === undefined ? {} : { entryCount: feed.health.lastEntryCount }),
    ...(feed.health.lastSkippedCount === undefined ? {} : { skippedCount: feed.health.lastSkippedCount }),
  };
}

async function download(deps: FetchFeedDeps, feed: Feed): Promise<Download> {
  if (feed.url.startsWith('file:')) {
    const { files } = await readFileFeed(feed.url, {
      maxBodyBytes: deps.maxBodyBytes,
      root: deps.fileFeedsRoot,
    });
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
  const slot = await deps.politeness.take(feed.source, feed.url);
  if (!slot.ok) {
    throw new JobDeferred(
      `fetcher: ${feed._id}: ${slot.paused ? 'service paused' : 'waiting for a politeness token'}`,
      slot.waitMs,
    );
  }
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

interface HfDays {
  /** The days whose body changed since their last poll: ingested like the feed's own payload. */
  payloads: IngestPayload[];
  record: HfDayRecord[];
}

/**
 * The previous days not settled yet (see hf-days.ts), one request each, each under the budget (the default
 * burst lets them go with the feed's own request). A pause stops the re-polls; the rest wait for the next run.
 */
async function downloadHfDays(deps: FetchFeedDeps, feed: Feed, now: Date): Promise<HfDays | undefined> {
  if (deps.hfRepoll.days === 0 || !repollsHfDays(feed)) return undefined;
  const polled: { date: string; hash: string }[] = [];
  const bodies = new Map<string, IngestPayload>();
  for (const date of hfDaysToPoll(feed.state.hfDays, now, deps.hfRepoll)) {
    const url = hfDayUrl(feed.url, date);
    if (!(await deps.politeness.waitUnlessPaused(feed.source, url))) break;
    const res = await deps.http.get(url);
    // No validators are sent, so a 304 is not expected; it would leave the day's record as it was.
    if (res.status === 'not-modified') continue;
    polled.push({ date, hash: sha256(res.body) });
    bodies.set(date, {
      url: res.finalUrl,
      status: res.statusCode,
      headers: res.headers,
      body: res.body,
      bytes: res.bytes,
    });
  }
  const { record, changed } = updateHfDays(feed.state.hfDays, polled, now, deps.hfRepoll);
  return { payloads: changed.flatMap((date) => bodies.get(date) ?? []), record };
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
  const counted = (outcome: FetchFeedResult['outcome'] | 'error', errorClass = 'none') =>
    metrics.fetches.inc({ source: feed.source, outcome, error_class: errorClass });

  try {
    const got = await download(deps, feed);
    const days = await downloadHfDays(deps, feed, now);
    const { hfDays: _previousDays, ...kept } = feed.state;
    const common = {
      lastFetchAt: fetchedAt,
      lastSuccessAt: fetchedAt,
      ...(days ? { hfDays: days.record } : {}),
    };
    let state: FeedState;
    let own: IngestPayload[] = [];
    if (got.kind === 'not-modified') {
      const next = nextPollAfterSuccess(now, feed.intervalMinutes, {
        maxAgeSeconds: maxAgeFromCacheControl(got.headers['cache-control']),
        ...(feed.state.ttlMinutes ? { ttlMinutes: feed.state.ttlMinutes } : {}),
      });
      state = { ...kept, ...common, nextCheckAt: next.toISOString() };
    } else {
      const payloadHash = sha256(got.payloads.map((p) => sha256(p.body)).join(''));
      const headers = got.payloads[0]?.headers ?? {};
      const next = nextPollAfterSuccess(now, feed.intervalMinutes, {
        maxAgeSeconds: maxAgeFromCacheControl(headers['cache-control']),
        ...(feed.state.ttlMinutes ? { ttlMinutes: feed.state.ttlMinutes } : {}),
        ...(headers.expires && Number.isFinite(Date.parse(headers.expires))
          ? { expiresAt: new Date(headers.expires).toISOString() }
          : {}),
      });
      state = {
        ...(got.etag ? { etag: got.etag } : {}),
        ...(got.lastModified ? { lastModified: got.lastModified } : {}),
        lastPayloadHash: payloadHash,
        ...(feed.state.ttlMinutes ? { ttlMinutes: feed.state.ttlMinutes } : {}),
        ...common,
        nextCheckAt: next.toISOString(),
      };
      if (payloadHash !== feed.state.lastPayloadHash) own = got.payloads;
    }
    const cadence = (newObservations: number) =>
      nextCadence(feed.health, newObservations, now, feed.intervalMinutes);
    const dayPayloads = days?.payloads ?? [];

    if (own.length === 0 && dayPayloads.length === 0) {
      const outcome = got.kind === 'not-modified' ? 'not-modified' : 'unchanged';
      await deps.db.feeds.recordSuccess(feedId, { state, ...sameCounts(feed), cadence: cadence(0) });
      counted(outcome);
      return { outcome };
    }
    // The feed's own payload sets its counts (and so ok/empty); previous days add observations only.
    const parsed = own.length > 0 ? await parseAndNormalise(feed, own, fetchedAt, flog) : undefined;
    if (parsed?.ttlMinutes !== undefined) {
      // The payload's own <ttl> stretches the next poll too (the other hints were applied above).
      const byTtl = nextPollAfterSuccess(now, feed.intervalMinutes, { ttlMinutes: parsed.ttlMinutes });
      const current = state.nextCheckAt ? Date.parse(state.nextCheckAt) : 0;
      state = {
        ...state,
        ttlMinutes: parsed.ttlMinutes,
        nextCheckAt: new Date(Math.max(current, byTtl.getTime())).toISOString(),
      };
    }
    const parsedDays =
      dayPayloads.length > 0 ? await parseAndNormalise(feed, dayPayloads, fetchedAt, flog) : undefined;
    const payloads = [...own, ...dayPayloads];
    const inserted = await storeIngested(
      deps,
      feed._id,
      payloads,
      [...(parsed?.observations ?? []), ...(parsedDays?.observations ?? [])],
      fetchedAt,
      sha256(payloads.map((p) => sha256(p.body)).join('')).slice(0, 16),
    );
    await deps.db.feeds.recordSuccess(feedId, {
      state,
      ...(parsed ? { entryCount: parsed.entries, skippedCount: parsed.skipped } : sameCounts(feed)),
      ...(parsed?.title ? { title: parsed.title } : {}),
      cadence: cadence(inserted),
    });
    const entries = (parsed?.entries ?? 0) + (parsedDays?.entries ?? 0);
    const skipped = (parsed?.skipped ?? 0) + (parsedDays?.skipped ?? 0);
    flog.info(
      {
        entries,
        skipped,
        newObservations: inserted,
        ...(days ? { hfDaysChanged: dayPayloads.length, hfDays: days.record } : {}),
      },
      'fetcher: feed stored',
    );
    counted('stored');
    return { outcome: 'stored', entries, skipped, newObservations: inserted };
  } catch (err) {
    if (err instanceof JobDeferred) throw err;
    counted(
      'error',
      err instanceof FeedHttpError || err instanceof FeedParseError ? err.errorClass : 'internal',
    );
    if (err instanceof FeedHttpError || err instanceof FeedParseError) {
      const failures = feed.health.consecutiveFailures + 1;
      const retryAfterMs = err instanceof FeedHttpError ? err.retryAfterMs : undefined;
      // The service asked everyone to wait: every process holds its requests to it back (politeness.ts).
      if (err instanceof FeedHttpError && (err.status === 429 || err.status === 503)) {
        const pauseMs = retryAfterMs ?? deps.pauseDefaultMs;
        await deps.politeness.pause(feed.source, feed.url, pauseMs);
        flog.warn({ status: err.status, pauseMs }, 'fetcher: service paused');
      }
      await deps.db.feeds.recordFailure(feedId, {
        errorClass: err.errorClass,
        message: err.message,
        at: fetchedAt,
        // With Retry-After the job itself is delayed by exactly that long, once (see jobs/workers.ts).
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
