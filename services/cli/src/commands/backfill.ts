// `paperwire backfill arxiv` (the arXiv API, one category and submission-date range) and `paperwire backfill
// arxiv-oai` (OAI-PMH ListRecords, a set and a datestamp range): both are a chain of `backfill-page` jobs on
// the fetch queue (services/fetcher/src/jobs/backfill-page.job.ts), fetched by the fetcher through the
// guarded client and the arXiv politeness budget, stored as observations and resolved by the resolve queue.
// The command records what to page through, enqueues the current page and shows progress until the chain
// is done (running the workers in this process unless `--detach`). Progress, with the next page's cursor,
// is kept in the database, so an interrupted backfill resumes where it stopped and a finished one does
// nothing.
import { type BackfillSource, type Feed, type FeedKind, PipelineError } from '@paperwire/core';
import type { BackfillProgress } from '@paperwire/db';
import { backfillPageJobId } from '@paperwire/jobs';
import { backfillPageUrl } from '@paperwire/sources';
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

const POLL_MS = 500;

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
function oaiSet(value: string): string {
  if (!/^[a-z][a-z-]*(:[A-Za-z][A-Za-z.-]*)*$/.test(value) || value.length > 60)
    throw new InvalidArgumentError('an OAI-PMH set spec, e.g. cs or physics:hep-th');
  return value;
}
function metadataPrefix(value: string): 'arXivRaw' | 'arXiv' {
  if (value !== 'arXivRaw' && value !== 'arXiv') throw new InvalidArgumentError('arXivRaw or arXiv');
  return value;
}
function pageSize(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 2000)
    throw new InvalidArgumentError('a whole number from 1 to 2000');
  return n;
}
const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-');

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

/** What one backfill is: its progress key, the paused feed its observations belong to, what it pages. */
interface BackfillSpec {
  key: string;
  feedId: string;
  kind: FeedKind;
  source: BackfillSource;
}

function usage(message: string): PipelineError {
  return new PipelineError(message, { code: 'backfill-usage', retryable: false });
}

/** The feed a backfill's observations belong to: registered paused, so `feeds list` and `replay` see it. */
async function backfillFeed({ rt }: CommandContext, spec: BackfillSpec, url: string): Promise<void> {
  if (await rt.db.feeds.get(spec.feedId)) return;
  const feed: Feed = {
    _id: spec.feedId,
    url,
    kind: spec.kind,
    source: 'arxiv',
    intervalMinutes: 24 * 60,
    enabled: false,
    createdAt: new Date().toISOString(),
    state: {},
    health: { status: 'new', consecutiveFailures: 0 },
  };
  await rt.db.feeds.insertIfAbsent(feed);
}

export interface BackfillSummary {
  key: string;
  feedId: string;
  /** Pages, entries and new observations stored by this run. */
  pages: number;
  entries: number;
  newObservations: number;
  /** arXiv API: the next start offset; OAI-PMH: records delivered so far. */
  next: number;
  total: number | null;
  complete: boolean;
  /** Pages and entries over the whole backfill (earlier runs included). */
  pagesTotal: number;
  entriesTotal: number;
  detached?: boolean;
}

/** The current page's job: enqueued once; a dead-lettered one is removed first so the chain can go on. */
async function enqueueCurrentPage({ rt }: CommandContext, key: string, page: number): Promise<void> {
  const id = backfillPageJobId(key, page);
  const existing = await rt.queues.byName.fetch.getJob(id);
  if (existing && (await existing.isFailed())) await existing.remove();
  await rt.queues.enqueue('backfill-page', { key, page }, { jobId: id });
}

/** Why the current page's job is dead-lettered, if it is. */
async function failedPage({ rt }: CommandContext, key: string, page: number): Promise<string | undefined> {
  const job = await rt.queues.byName.fetch.getJob(backfillPageJobId(key, page));
  if (!job || !(await job.isFailed())) return undefined;
  return job.failedReason || 'failed';
}

/** Progress on stderr: a bar on a terminal, one line per stored page otherwise. */
function progressReporter(key: string) {
  const bar = process.stderr.isTTY
    ? new SingleBar({
        format: `${key} [{bar}] {value}/{total} records | page {pages} | ETA {eta_formatted}`,
        stream: process.stderr,
        etaBuffer: 5,
      })
    : undefined;
  let started = false;
  let lastPages = -1;
  return {
    update(p: BackfillProgress) {
      const pages = p.pages ?? 0;
      if (pages === lastPages) return;
      lastPages = pages;
      if (bar) {
        if (!started) bar.start(p.total ?? p.next, p.next, { pages });
        started = true;
        bar.setTotal(p.total ?? p.next);
        bar.update(p.next, { pages });
        return;
      }
      process.stderr.write(
        `backfill ${key}: ${pages} pages, ${p.records ?? 0} records, ${p.stored} new observations` +
          `${p.total === undefined ? '' : `, ${p.next} of ${p.total}`}\n`,
      );
    },
    stop: () => bar?.stop(),
  };
}

async function runBackfill(
  ctx: CommandContext,
  spec: BackfillSpec,
  o: { timeoutSeconds: number; detach: boolean },
): Promise<BackfillSummary> {
  const { rt } = ctx;
  const now = new Date().toISOString();
  const found = await rt.db.backfills.get(spec.key);
  let progress: BackfillProgress = {
    ...(found ?? { key: spec.key, next: 0, stored: 0, startedAt: now, updatedAt: now }),
    feedId: found?.feedId ?? spec.feedId,
    source: spec.source,
    pages: found?.pages ?? 0,
    records: found?.records ?? 0,
  };
  const before = progress;
  const summary = (detached = false): BackfillSummary => ({
    key: spec.key,
    feedId: progress.feedId ?? spec.feedId,
    pages: (progress.pages ?? 0) - (before.pages ?? 0),
    entries: (progress.records ?? 0) - (before.records ?? 0),
    newObservations: progress.stored - before.stored,
    next: progress.next,
    total: progress.total ?? null,
    complete: progress.completedAt !== undefined,
    pagesTotal: progress.pages ?? 0,
    entriesTotal: progress.records ?? 0,
    ...(detached ? { detached } : {}),
  });
  if (progress.completedAt) return summary();
  // The source is saved as given now (a changed base URL applies to the remaining pages).
  await rt.db.backfills.save(progress);
  await backfillFeed(ctx, spec, backfillPageUrl(spec.source, { next: 0 }));
  if (!o.detach) startWorkers(ctx, { fetcher: true });
  await enqueueCurrentPage(ctx, spec.key, progress.pages ?? 0);
  if (o.detach) return summary(true);

  const report = progressReporter(spec.key);
  const deadline = Date.now() + o.timeoutSeconds * 1000;
  try {
    for (;;) {
      progress = (await rt.db.backfills.get(spec.key)) ?? progress;
      report.update(progress);
      if (progress.completedAt) break;
      const failed = await failedPage(ctx, spec.key, progress.pages ?? 0);
      if (failed)
        throw new BackfillError(
          `backfill ${spec.key}: page ${progress.pages ?? 0} failed (${failed}); run the same command again to resume`,
        );
      if (Date.now() > deadline)
        throw new BackfillError(
          `backfill ${spec.key}: not finished within ${o.timeoutSeconds}s; run the same command again to resume`,
        );
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  } finally {
    report.stop();
    // Resolve what was stored, also when a page failed: a resumed run starts after it.
    await drainAndScore(ctx, o.timeoutSeconds).catch((err: unknown) =>
      ctx.log.warn({ err }, 'backfill: the pipeline did not drain'),
    );
  }
  return summary();
}

function printSummary(s: BackfillSummary, json: boolean | undefined): void {
  if (json) printJson(s);
  else if (s.detached)
    process.stdout.write(`${s.key}: page ${s.pagesTotal} enqueued; \`paperwire start\` workers run it\n`);
  else if (s.pages === 0 && s.complete)
    process.stdout.write(`${s.key}: already complete (${s.entriesTotal} entries); nothing to do\n`);
  else
    process.stdout.write(
      `${s.key}: ${s.pages} pages, ${s.entries} entries, ${s.newObservations} new observations; ` +
        `${s.complete ? 'complete' : `next ${s.next}`} of ${s.total ?? '?'}\n`,
    );
}

interface CommonOptions {
  timeout: number;
  json?: boolean;
  detach?: boolean;
}

function common(cmd: Command): Command {
  return cmd
    .option(
      '--timeout <seconds>',
      'give up waiting for the backfill and the resolver after this long',
      Number,
      3600,
    )
    .option('--detach', 'only enqueue the next page; running `paperwire start` workers do the rest')
    .option('--json', 'print the summary as JSON');
}

/** Runs the backfill `specOf` describes with the common options and prints its summary. */
function backfillWith(specOf: (ctx: CommandContext) => BackfillSpec, o: CommonOptions): Promise<void> {
  return withRuntime(async (ctx) => {
    const s = await runBackfill(ctx, specOf(ctx), { timeoutSeconds: o.timeout, detach: o.detach ?? false });
    printSummary(s, o.json);
  });
}

export function registerBackfillCommand(program: Command): void {
  const backfill = program
    .command('backfill')
    .description(
      'load history from arXiv as jobs on the fetch queue, resumably (progress is kept in the database)',
    );
  common(
    backfill
      .command('arxiv')
      .description('page the arXiv API for one category and submission-date range')
      .requiredOption('--category <category>', 'arXiv category, e.g. cs.LG', category)
      .requiredOption('--from <date>', 'first submission day, YYYY-MM-DD (UTC)', day)
      .requiredOption('--to <date>', 'last submission day, YYYY-MM-DD (UTC), inclusive', day)
      .option('--page-size <n>', 'results per request (at most 2000)', pageSize, 100),
  ).action(async (opts: ArxivBackfillOptions & CommonOptions) => {
    if (opts.from > opts.to) throw usage(`backfill: --from ${opts.from} is after --to ${opts.to}`);
    await backfillWith((ctx): BackfillSpec => {
      const spec: BackfillSpec = {
        key: `arxiv.${opts.category}.${opts.from}.${opts.to}`,
        feedId: `arxiv-backfill-${slug(opts.category)}`,
        kind: 'arxiv-api',
        source: {
          kind: 'arxiv-api',
          base: ctx.config.ARXIV_API_BASE,
          searchQuery: arxivBackfillQuery(opts),
          pageSize: opts.pageSize,
        },
      };
      return spec;
    }, opts);
  });
  common(
    backfill
      .command('arxiv-oai')
      .description('harvest arXiv over OAI-PMH (ListRecords) for one set and datestamp range')
      .requiredOption('--set <set>', 'OAI-PMH set, e.g. cs, math, physics:hep-th', oaiSet)
      .requiredOption('--from <date>', 'first datestamp, YYYY-MM-DD (UTC)', day)
      .option('--until <date>', 'last datestamp, YYYY-MM-DD (UTC), inclusive (default: today)', day)
      .option(
        '--metadata-prefix <prefix>',
        'arXivRaw (versions with dates) or arXiv',
        metadataPrefix,
        'arXivRaw',
      ),
  ).action(
    async (
      opts: {
        set: string;
        from: string;
        until?: string;
        metadataPrefix: 'arXivRaw' | 'arXiv';
      } & CommonOptions,
    ) => {
      const until = opts.until ?? new Date().toISOString().slice(0, 10);
      if (opts.from > until) throw usage(`backfill: --from ${opts.from} is after --until ${until}`);
      await backfillWith((ctx): BackfillSpec => {
        const spec: BackfillSpec = {
          key: `oai.${opts.metadataPrefix}.${opts.set.replaceAll(':', '_')}.${opts.from}.${until}`,
          feedId: `arxiv-oai-${slug(opts.set)}`,
          kind: 'arxiv-oai',
          source: {
            kind: 'arxiv-oai',
            base: ctx.config.ARXIV_OAI_BASE,
            metadataPrefix: opts.metadataPrefix,
            set: opts.set,
            from: opts.from,
            until,
          },
        };
        return spec;
      }, opts);
    },
  );
}
