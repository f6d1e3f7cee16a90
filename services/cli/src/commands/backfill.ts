// `paperwire backfill arxiv`: pages the arXiv API for one category and submission-date range, within the
// shared arXiv politeness budget, and stores each page through the fetch job's ingest path (archive,
// observations, resolve jobs). Progress is saved after every stored page, so an interrupted backfill
// resumes where it stopped and a finished one does nothing.
import { type Feed, PipelineError } from '@paperwire/core';
import type { BackfillProgress } from '@paperwire/db';
import {
  createHttpClient,
  createPoliteness,
  parseAndNormalise,
  sha256,
  storeIngested,
} from '@paperwire/fetcher';
import { PAPERWIRE_VERSION } from '@paperwire/platform';
import { ARXIV_API_ENDPOINT, arxivApiUrl, parseArxivApiPage } from '@paperwire/sources';
import { SingleBar } from 'cli-progress';
import { type Command, InvalidArgumentError } from 'commander';
import { type CommandContext, withRuntime } from '../context.ts';
import { drainAndScore, startWorkers } from '../in-process.ts';
import { printJson } from '../output.ts';

class BackfillError extends PipelineError {
  constructor(message: string) {
    super(message, { code: 'backfill-failed', retryable: true });
  }
}

function day(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)))
    throw new InvalidArgumentError('a date as YYYY-MM-DD');
  return value;
}
function category(value: string): string {
  if (!/^[a-z-]+(\.[A-Za-z-]+)?$/.test(value))
    throw new InvalidArgumentError('an arXiv category, e.g. cs.LG');
  return value;
}
function pageSize(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 2000)
    throw new InvalidArgumentError('a whole number from 1 to 2000');
  return n;
}

export interface ArxivBackfillOptions {
  category: string;
  from: string;
  to: string;
  pageSize: number;
}

/** `cat:cs.LG AND submittedDate:[202611010000 TO 202611282359]` */
export function arxivBackfillQuery(o: ArxivBackfillOptions): string {
  const compact = (d: string) => d.replaceAll('-', '');
  return `cat:${o.category} AND submittedDate:[${compact(o.from)}0000 TO ${compact(o.to)}2359]`;
}

/** The feed a backfill's observations belong to: registered paused, so `feeds list` and `replay` see it. */
async function backfillFeed({ rt }: CommandContext, url: string, o: ArxivBackfillOptions): Promise<Feed> {
  const id = `arxiv-backfill-${o.category.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  const existing = await rt.db.feeds.get(id);
  if (existing) return existing;
  const feed: Feed = {
    _id: id,
    url,
    kind: 'arxiv-api',
    source: 'arxiv',
    intervalMinutes: 24 * 60,
    enabled: false,
    createdAt: new Date().toISOString(),
    state: {},
    health: { status: 'new', consecutiveFailures: 0 },
  };
  await rt.db.feeds.insertIfAbsent(feed);
  return feed;
}

interface BackfillSummary {
  key: string;
  feedId: string;
  pages: number;
  entries: number;
  newObservations: number;
  next: number;
  total: number | null;
  complete: boolean;
}

async function runArxivBackfill(ctx: CommandContext, o: ArxivBackfillOptions, timeoutSeconds: number) {
  const { rt, config, log } = ctx;
  const key = `arxiv.${o.category}.${o.from}.${o.to}`;
  const searchQuery = arxivBackfillQuery(o);
  const pageUrl = (start: number) =>
    config.ARXIV_API_BASE +
    arxivApiUrl({
      searchQuery,
      start,
      maxResults: o.pageSize,
      sortBy: 'submittedDate',
      sortOrder: 'ascending',
    }).slice(ARXIV_API_ENDPOINT.length);
  const now = new Date().toISOString();
  let progress: BackfillProgress = (await rt.db.backfills.get(key)) ?? {
    key,
    next: 0,
    stored: 0,
    startedAt: now,
    updatedAt: now,
  };
  const feed = await backfillFeed(ctx, pageUrl(0), o);
  const summary = (pages: number, entries: number, newObservations: number): BackfillSummary => ({
    key,
    feedId: feed._id,
    pages,
    entries,
    newObservations,
    next: progress.next,
    total: progress.total ?? null,
    complete: progress.completedAt !== undefined,
  });
  if (progress.completedAt) return summary(0, 0, 0);

  const http = createHttpClient({
    userAgent: `Paperwire/${PAPERWIRE_VERSION} (+${config.PAPERWIRE_CONTACT})`,
    allowPrivateNetworks: config.PAPERWIRE_ALLOW_PRIVATE_NETWORKS,
    maxBodyBytes: config.FETCH_MAX_BODY_BYTES,
    totalTimeoutMs: config.FETCH_TOTAL_TIMEOUT_MS,
  });
  rt.shutdown.add({ name: 'http client', phase: 'connections', run: () => http.close() });
  const politeness = createPoliteness(rt.redis, rt.prefix, config);
  startWorkers(ctx, { fetcher: false });

  const bar = process.stderr.isTTY
    ? new SingleBar({
        format: 'backfill [{bar}] {value}/{total} entries | {percentage}% | ETA {eta_formatted}',
        stream: process.stderr,
        etaBuffer: 5,
      })
    : undefined;
  let pages = 0;
  let entries = 0;
  let newObservations = 0;
  try {
    while (progress.total === undefined || progress.next < progress.total) {
      const url = pageUrl(progress.next);
      await politeness.wait('arxiv', url);
      const res = await http.get(url, { accept: 'application/atom+xml' });
      if (res.status !== 'ok') throw new BackfillError(`backfill: unexpected 304 for ${url}`);
      const page = await parseArxivApiPage(res.body);
      const fetchedAt = new Date().toISOString();
      const payload = {
        url: res.finalUrl,
        status: res.statusCode,
        headers: res.headers,
        body: res.body,
        bytes: res.bytes,
      };
      const parsed = await parseAndNormalise(feed, [payload], fetchedAt, log);
      const inserted = await storeIngested(
        rt,
        feed._id,
        [payload],
        parsed.observations,
        fetchedAt,
        sha256(res.body).slice(0, 16),
      );
      const onPage = parsed.entries + parsed.skipped;
      // The API sometimes answers a page inside the range with no entries (under load): stop, resumable.
      if (onPage === 0 && progress.next < page.totalResults)
        throw new BackfillError(
          `backfill: arXiv returned an empty page at start=${progress.next} of ${page.totalResults}; run the same command again to resume`,
        );
      pages++;
      entries += parsed.entries;
      newObservations += inserted;
      const next = progress.next + onPage;
      progress = {
        ...progress,
        next,
        total: page.totalResults,
        stored: progress.stored + inserted,
        updatedAt: fetchedAt,
        ...(next >= page.totalResults ? { completedAt: fetchedAt } : {}),
      };
      await rt.db.backfills.save(progress);
      if (bar && pages === 1) bar.start(page.totalResults, progress.next);
      else bar?.update(progress.next);
    }
  } finally {
    bar?.stop();
    // Resolve what was stored, also when a page failed: a resumed run starts after it.
    await drainAndScore(ctx, timeoutSeconds);
  }
  return summary(pages, entries, newObservations);
}

export function registerBackfillCommand(program: Command): void {
  const backfill = program
    .command('backfill')
    .description('load history from a source API, resumably (progress is kept in the database)');
  backfill
    .command('arxiv')
    .description('page the arXiv API for one category and submission-date range')
    .requiredOption('--category <category>', 'arXiv category, e.g. cs.LG', category)
    .requiredOption('--from <date>', 'first submission day, YYYY-MM-DD (UTC)', day)
    .requiredOption('--to <date>', 'last submission day, YYYY-MM-DD (UTC), inclusive', day)
    .option('--page-size <n>', 'results per request (at most 2000)', pageSize, 100)
    .option('--timeout <seconds>', 'give up waiting for the resolver after this long', Number, 600)
    .option('--json', 'print the summary as JSON')
    .action(
      async (opts: {
        category: string;
        from: string;
        to: string;
        pageSize: number;
        timeout: number;
        json?: boolean;
      }) => {
        if (opts.from > opts.to)
          throw new PipelineError(`backfill: --from ${opts.from} is after --to ${opts.to}`, {
            code: 'backfill-usage',
            retryable: false,
          });
        await withRuntime(async (ctx) => {
          const s = await runArxivBackfill(ctx, opts, opts.timeout);
          if (opts.json) return printJson(s);
          if (s.pages === 0 && s.complete)
            process.stdout.write(`${s.key}: already complete (${s.total} results); nothing to do\n`);
          else
            process.stdout.write(
              `${s.key}: ${s.pages} pages, ${s.entries} entries, ${s.newObservations} new observations; ` +
                `${s.complete ? 'complete' : `next start ${s.next}`} of ${s.total ?? '?'}\n`,
            );
        });
      },
    );
}
