// backfill-page: one page of a backfill (arXiv API search or OAI-PMH ListRecords). Load the progress →
// politeness (the source's budget, shared with its feeds) → guarded GET of the page the stored cursor names
// → parse (pure) → store through the shared ingest path (shared/ingest) (archive, observations, resolve jobs) →
// advance the progress to the next cursor (compare-and-set on the page number) → enqueue the next page.
//
// Crash safety: the cursor is saved before the next page is enqueued, and a job for a page already stored
// only makes sure its successor is queued. A kill between store and save re-requests the same page with
// the same cursor: its observations are already stored (same ids), so nothing is written twice.
import { type BackfillSource, FeedHttpError, PipelineError } from '@paperwire/core';
import type { BackfillProgress, Database } from '@paperwire/db';
import {
  type IngestDeps,
  type IngestFeed,
  parseAndNormalise,
  sha256,
  storeIngested,
} from '@paperwire/ingest';
import { backfillPageJobId, type Handler, type JobContext } from '@paperwire/jobs';
import { metrics } from '@paperwire/platform';
import { backfillPageUrl, parseArxivApiPage, parseOaiPage } from '@paperwire/sources';
import type { HttpClient } from '../http/index.ts';
import type { Politeness } from '../politeness.ts';

export interface BackfillPageDeps {
  /** The backfill's progress, and what the ingest stores (payloads, observations). */
  db: Pick<Database, 'backfills'> & IngestDeps['db'];
  queues: IngestDeps['queues'];
  http: Pick<HttpClient, 'get'>;
  politeness: Pick<Politeness, 'wait'>;
  now: () => Date;
}

export interface BackfillPageResult {
  outcome: 'missing' | 'complete' | 'already-stored' | 'stored';
  entries?: number;
  newObservations?: number;
}

/** How many Retry-After delays one page may take before a Retry-After counts as a failed try. */
export const MAX_RETRY_AFTER_DELAYS = 20;

/**
 * The one place a backfill page decides about Retry-After (429/503). The worker delays a job whose error
 * carries `retryAfterMs` without spending a try (shared/jobs workers.ts), which is what arXiv's OAI-PMH
 * flow control asks for; after MAX_RETRY_AFTER_DELAYS delays of one page the error spends a try like any
 * other, so a server that never stops answering 503 ends in the dead-letter list instead of looping.
 */
export function retryAfterOutcome(err: unknown, job: JobContext['job']): unknown {
  if (!(err instanceof FeedHttpError) || err.retryAfterMs === undefined) return err;
  const delays = job.attemptsStarted - job.attemptsMade - 1;
  if (delays < MAX_RETRY_AFTER_DELAYS) return err;
  return new FeedHttpError(err.message, {
    errorClass: err.errorClass,
    ...(err.status === undefined ? {} : { status: err.status }),
    retryable: true,
    cause: err,
  });
}

class EmptyPageError extends PipelineError {
  constructor(message: string) {
    super(message, { code: 'backfill-empty-page', retryable: true });
  }
}

interface Cursor {
  next: number;
  token?: string;
  total?: number;
  complete: boolean;
}

/** Where the source says the list continues after this page. */
async function nextCursor(
  source: BackfillSource,
  progress: BackfillProgress,
  body: string,
  onPage: number,
): Promise<Cursor> {
  if (source.kind === 'arxiv-oai') {
    const page = await parseOaiPage(body);
    const total = page.completeListSize ?? progress.total;
    return {
      next: progress.next + page.records,
      ...(page.resumptionToken ? { token: page.resumptionToken } : {}),
      ...(total === undefined ? {} : { total }),
      complete: page.resumptionToken === undefined,
    };
  }
  const page = await parseArxivApiPage(body);
  // The API sometimes answers a page inside the range with no entries (under load): retry the page.
  if (onPage === 0 && progress.next < page.totalResults)
    throw new EmptyPageError(
      `backfill: arXiv returned an empty page at start=${progress.next} of ${page.totalResults}`,
    );
  const next = progress.next + onPage;
  return { next, total: page.totalResults, complete: next >= page.totalResults };
}

async function enqueuePage(queues: IngestDeps['queues'], key: string, page: number): Promise<void> {
  await queues.enqueue('backfill-page', { key, page }, { jobId: backfillPageJobId(key, page) });
}

export function backfillPageHandler(deps: BackfillPageDeps): Handler<'backfill-page'> {
  return async ({ key, page }, { job, log }): Promise<BackfillPageResult> => {
    const progress = await deps.db.backfills.get(key);
    const { source, feedId } = progress ?? {};
    if (!progress || !source || !feedId) return { outcome: 'missing' };
    if (progress.completedAt) return { outcome: 'complete' };
    const stored = progress.pages ?? 0;
    if (stored > page) {
      // Stored before a crash that came before the enqueue: make sure the chain goes on.
      await enqueuePage(deps.queues, key, stored);
      return { outcome: 'already-stored' };
    }
    if (stored < page) return { outcome: 'missing' };

    const url = backfillPageUrl(source, progress);
    let res: Awaited<ReturnType<HttpClient['get']>>;
    try {
      await deps.politeness.wait('arxiv', url);
      res = await deps.http.get(url, {
        accept: source.kind === 'arxiv-oai' ? 'text/xml, application/xml' : 'application/atom+xml',
      });
    } catch (err) {
      metrics.fetches.inc({ source: 'arxiv', outcome: 'error', error_class: errorClass(err) });
      throw retryAfterOutcome(err, job);
    }
    // No validators are sent, so a 304 means a misbehaving server: retry the page later.
    if (res.status !== 'ok')
      throw new FeedHttpError(`backfill: unexpected 304 for ${key} page ${page}`, {
        errorClass: 'http-4xx',
        status: 304,
        retryable: true,
      });
    const fetchedAt = deps.now().toISOString();
    const payload = {
      url: res.finalUrl,
      status: res.statusCode,
      headers: res.headers,
      body: res.body,
      bytes: res.bytes,
    };
    const feed: IngestFeed = { _id: feedId, kind: source.kind, source: 'arxiv' };
    const blog = log.child({ backfill: key, page, feedId });
    const parsed = await parseAndNormalise(feed, [payload], fetchedAt, blog);
    const cursor = await nextCursor(source, progress, res.body, parsed.entries + parsed.skipped);
    const inserted = await storeIngested(
      deps,
      feedId,
      [payload],
      parsed.observations,
      fetchedAt,
      sha256(res.body).slice(0, 16),
    );
    const { token: _previous, total: _total, ...rest } = progress;
    const advanced: BackfillProgress = {
      ...rest,
      pages: page + 1,
      next: cursor.next,
      ...(cursor.token === undefined ? {} : { token: cursor.token }),
      ...(cursor.total === undefined ? {} : { total: cursor.total }),
      records: (progress.records ?? 0) + parsed.entries,
      stored: progress.stored + inserted,
      updatedAt: fetchedAt,
      ...(cursor.complete ? { completedAt: fetchedAt } : {}),
    };
    if (!(await deps.db.backfills.advance(advanced, page))) return { outcome: 'already-stored' };
    if (!cursor.complete) await enqueuePage(deps.queues, key, page + 1);
    metrics.fetches.inc({ source: 'arxiv', outcome: 'stored', error_class: 'none' });
    blog.info(
      {
        entries: parsed.entries,
        skipped: parsed.skipped,
        newObservations: inserted,
        next: cursor.next,
        total: cursor.total,
        complete: cursor.complete,
      },
      'fetcher: backfill page stored',
    );
    return { outcome: 'stored', entries: parsed.entries, newObservations: inserted };
  };
}

function errorClass(err: unknown): string {
  return err instanceof FeedHttpError ? err.errorClass : 'internal';
}
