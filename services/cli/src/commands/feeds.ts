import { FEED_KINDS, type FeedKind, parseInterval } from '@paperwire/core';
import { feedRegistry, guessKind, type Runtime } from '@paperwire/runtime';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { withRuntime } from '../context.ts';
import { drainAndScore, startWorkers } from '../in-process.ts';
import { printJson, printTable, truncate } from '../output.ts';

function intervalOption(value: string): number {
  const minutes = parseInterval(value);
  if (minutes === undefined)
    throw new InvalidArgumentError('use e.g. 15m, 2h or 1d (between 1 minute and 7 days)');
  return minutes;
}

/** The CLI is where file:// feeds are managed: under the operator's PAPERWIRE_FILE_FEEDS_ROOT only. */
const fileFeedsOf = (rt: Runtime) => ({ fileFeeds: { root: rt.config.PAPERWIRE_FILE_FEEDS_ROOT } });

export function registerFeedCommands(program: Command): void {
  const feeds = program.command('feeds').description('manage the feed registry');

  feeds
    .command('add <url>')
    .description(
      'register a feed (http(s)://, or file:// for a local file or folder under PAPERWIRE_FILE_FEEDS_ROOT)',
    )
    .addOption(
      new Option('--kind <kind>', 'how to parse it (guessed from the URL when omitted)').choices([
        ...FEED_KINDS,
      ]),
    )
    .option('--every <interval>', 'poll interval, e.g. 15m, 2h, 1d', intervalOption, 30)
    .option('--json', 'print JSON')
    .action(async (url: string, opts: { kind?: FeedKind; every: number; json?: boolean }) => {
      await withRuntime(async ({ rt }) => {
        const feed = await feedRegistry(rt.db, rt.queues, fileFeedsOf(rt)).add(
          { url, kind: opts.kind ?? guessKind(url), intervalMinutes: opts.every },
          new Date(),
        );
        if (opts.json) printJson(feed);
        else process.stdout.write(`added ${feed._id} (${feed.kind}, every ${feed.intervalMinutes}m)\n`);
      });
    });

  feeds
    .command('list')
    .description('registered feeds with their health')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      await withRuntime(async ({ rt }) => {
        const list = await rt.db.feeds.list();
        if (opts.json) return printJson(list);
        printTable(
          ['id', 'kind', 'enabled', 'health', 'fails', 'entries', 'last success', 'last error'],
          list.map((f) => [
            f._id,
            f.kind,
            f.enabled ? 'yes' : 'paused',
            f.health.quiet ? `${f.health.status} (quiet)` : f.health.status,
            f.health.consecutiveFailures,
            f.health.lastEntryCount ?? '-',
            f.state.lastSuccessAt ?? '-',
            f.health.lastError
              ? truncate(`${f.health.lastError.errorClass}: ${f.health.lastError.message}`, 60)
              : '-',
          ]),
        );
      });
    });

  for (const [name, enabled] of [
    ['pause', false],
    ['resume', true],
  ] as const) {
    feeds
      .command(`${name} <id>`)
      .description(`${name} a feed (its scheduler is updated at once)`)
      .option('--json', 'print the feed as JSON')
      .action(async (id: string, opts: { json?: boolean }) => {
        await withRuntime(async ({ rt }) => {
          const feed = await feedRegistry(rt.db, rt.queues, fileFeedsOf(rt)).setEnabled(id, enabled);
          if (opts.json) printJson(feed);
          else process.stdout.write(`${id} ${enabled ? 'resumed' : 'paused'}\n`);
        });
      });
  }

  feeds
    .command('fetch-now <id>')
    .description('queue a fetch of one feed now; with --wait, fetch and process it in this process')
    .option('--wait', 'run the fetcher, resolver and scorer here and wait until the queues are drained')
    .option('--timeout <seconds>', 'with --wait: give up after this long', Number, 300)
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { wait?: boolean; timeout: number; json?: boolean }) => {
      const failed = await withRuntime(async (ctx) => {
        const { rt } = ctx;
        const jobId = await feedRegistry(rt.db, rt.queues).fetchNow(id, 'manual', new Date());
        if (!opts.wait) {
          if (opts.json) printJson({ jobId, state: 'waiting' });
          else process.stdout.write(`queued ${jobId}\n`);
          return false;
        }
        startWorkers(ctx, { fetcher: true });
        await drainAndScore(ctx, opts.timeout);
        const job = await rt.queues.byName.fetch.getJob(jobId);
        const feed = await rt.db.feeds.get(id);
        const out = {
          jobId,
          state: job ? await job.getState() : 'removed',
          result: job?.returnvalue ?? null,
          failedReason: job?.failedReason ?? null,
          health: feed?.health ?? null,
        };
        if (opts.json) printJson(out);
        else
          process.stdout.write(
            `${jobId}: ${out.state}${out.failedReason ? ` (${out.failedReason})` : ''}; feed ${id} is ${out.health?.status ?? 'gone'}\n`,
          );
        return out.state === 'failed';
      });
      if (failed) process.exitCode = 1;
    });

  feeds
    .command('rm <id>')
    .description('remove a feed and its scheduler (papers already stored stay)')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { json?: boolean }) => {
      await withRuntime(async ({ rt }) => {
        await feedRegistry(rt.db, rt.queues).remove(id);
        if (opts.json) printJson({ id, removed: true });
        else process.stdout.write(`${id} removed\n`);
      });
    });
}
