// The ingest path shared by the fetcher's jobs (fetch-feed, backfill-page) and `paperwire replay`: parse
// (pure, shared/sources) → normalise (pure, shared/core) → store (archive the bodies, insert new
// observations, enqueue resolve jobs). It sits above shared/db and shared/jobs, which it writes through.
import { createHash } from 'node:crypto';
import { type Feed, FeedHttpError, FeedParseError, normaliseEntry, type Observation } from '@paperwire/core';
import { ArchiveTooLargeError, type Database } from '@paperwire/db';
import { jobId, type Queues } from '@paperwire/jobs';
import { type Logger, metrics } from '@paperwire/platform';
import { parsePayload } from '@paperwire/sources';

/** How many observation ids one resolve job carries. */
export const RESOLVE_CHUNK = 500;

/** One response body as fetched (or read from a file, or from the archive). */
export interface IngestPayload {
  url: string;
  status: number;
  headers: Record<string, string>;
  body: string;
  bytes: number;
}

/** What storing needs: the payload archive, the observations and the resolve queue's producer. */
export interface IngestDeps {
  db: Pick<Database, 'payloads' | 'observations'>;
  queues: Pick<Queues, 'enqueue'>;
}

/** What parsing needs of a feed; backfills pass a feed that is not in the registry. */
export type IngestFeed = Pick<Feed, '_id' | 'kind' | 'source'>;

export interface Parsed {
  observations: Observation[];
  entries: number;
  skipped: number;
  title: string | undefined;
  /** RSS `<ttl>` of the first payload that has one. */
  ttlMinutes: number | undefined;
}

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export async function parseAndNormalise(
  feed: IngestFeed,
  payloads: IngestPayload[],
  fetchedAt: string,
  log: Logger,
): Promise<Parsed> {
  const observations: Observation[] = [];
  let entries = 0;
  let skipped = 0;
  let title: string | undefined;
  let ttlMinutes: number | undefined;
  for (const p of payloads) {
    const parsed = await parsePayload(feed.kind, p.body, {
      feedId: feed._id,
      fetchedAt,
      url: p.url,
      ...(p.headers['content-type'] ? { contentType: p.headers['content-type'] } : {}),
    }).catch((err: unknown) => {
      throw inPayload(err, p.url);
    });
    title ??= parsed.feedTitle;
    ttlMinutes ??= parsed.ttlMinutes;
    for (const s of parsed.skipped)
      log.info({ entryKey: s.entryKey, reason: s.reason }, 'ingest: entry skipped');
    skipped += parsed.skipped.length;
    for (const entry of parsed.entries) {
      const normalised = normaliseEntry(entry);
      if (normalised.ok) {
        observations.push(normalised.observation);
        entries++;
      } else {
        skipped++;
        log.info({ entryKey: entry.provenance.entryKey, reason: normalised.reason }, 'ingest: entry skipped');
      }
    }
  }
  metrics.entriesParsed.inc({ source: feed.source }, entries);
  metrics.entriesSkipped.inc({ source: feed.source }, skipped);
  return { observations, entries, skipped, title, ttlMinutes };
}

/** A file feed's parse failure names the file it happened in (a folder feed reads many). */
function inPayload(err: unknown, url: string): unknown {
  if (!(err instanceof FeedParseError) || !url.startsWith('file:')) return err;
  return new FeedParseError(`${err.message} (in ${url})`, { failure: err.failure });
}

/**
 * Archives the bodies, inserts the observations not stored yet and enqueues resolve jobs for all of them
 * (a retry after a crash between insert and enqueue must still resolve them; resolving is idempotent).
 * `batchKey` names the resolve jobs (`resolve.<feed>.<batchKey>.<n>`) so a retry does not enqueue twice.
 * Returns how many observations were new.
 */
export async function storeIngested(
  deps: IngestDeps,
  feedId: string,
  payloads: IngestPayload[],
  observations: Observation[],
  fetchedAt: string,
  batchKey: string,
): Promise<number> {
  for (const p of payloads) {
    try {
      await deps.db.payloads.archive({
        _id: sha256(p.body),
        feedId,
        url: p.url,
        status: p.status,
        headers: storableHeaders(p.headers),
        fetchedAt,
        bytes: p.bytes,
        body: p.body,
      });
    } catch (err) {
      // Nothing of this fetch is stored: its observations would point at a payload the archive lacks.
      if (err instanceof ArchiveTooLargeError) {
        throw new FeedHttpError(
          `ingest: archive: a ${p.bytes}-byte body is ${err.compressedBytes} bytes gzipped, over what one database document holds`,
          { errorClass: 'too-large', retryable: false, cause: err },
        );
      }
      throw err;
    }
  }
  const { inserted } = await deps.db.observations.insertNew(observations);
  const ids = [...new Set(observations.map((o) => o._id))];
  for (let i = 0; i < ids.length; i += RESOLVE_CHUNK) {
    await deps.queues.enqueue(
      'resolve-batch',
      { feedId, observationIds: ids.slice(i, i + RESOLVE_CHUNK) },
      { jobId: jobId('resolve', feedId, batchKey, i / RESOLVE_CHUNK) },
    );
  }
  return inserted;
}

/**
 * The response headers that can be archived as they are. `$` and `.` are legal in HTTP header names, but a
 * document key that starts with `$` or contains `.` is refused by FerretDB (and is an operator or a path to
 * MongoDB), which would fail every fetch of a feed whose server sends one: such headers are left out.
 */
export function storableHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    if (!name.startsWith('$') && !name.includes('.')) out[name] = value;
  return out;
}

/** A resolve-job key from the observations themselves: new content gets new jobs, the same content dedups. */
export function observationsKey(observations: Observation[]): string {
  return sha256([...new Set(observations.map((o) => o._id))].sort().join('\n')).slice(0, 16);
}
