import { FEED_KINDS, type FeedKind, parseInterval } from '@paperwire/core';
import { feedRegistry } from '@paperwire/runtime';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { withRuntime } from '../context.ts';
import { printJson, printTable, truncate } from '../output.ts';

function intervalOption(value: string): number {
  const minutes = parseInterval(value);
  if (minutes === undefined)
    throw new InvalidArgumentError('use e.g. 15m, 2h or 1d (between 1 minute and 7 days)');
  return minutes;
}

/** Guesses the kind from well-known hosts; anything else is a generic RSS/Atom feed. */
export function guessKind(url: string): FeedKind {
  if (/rss\.arxiv\.org|export\.arxiv\.org\/rss/.test(url)) return 'arxiv-rss';
  if (/export\.arxiv\.org\/api\/query/.test(url)) return 'arxiv-api';
  if (/huggingface\.co\/api\/daily_papers/.test(url)) return 'hf-daily';
  if (/hn\.algolia\.com/.test(url)) return 'hn';
  if (/reddit\.com\/r\//.test(url)) return 'reddit';
  return 'rss';
}

export function registerFeedCommands(program: Command): void {
  const feeds = program.command('feeds').description('manage the feed registry');

  feeds
    .command('add <url>')
    .description('register a feed (http(s):// or file:// for a local file or folder)')
    .addOption(
      new Option('--kind <kind>', 'how to parse it (guessed from the URL when omitted)').choices([
        ...FEED_KINDS,
      ]),
    )
    .option('--every <interval>', 'poll interval, e.g. 15m, 2h, 1d', intervalOption, 30)
    .option('--json', 'print JSON')
    .action(async (url: string, opts: { kind?: FeedKind; every: number; json?: boolean }) => {
      await withRuntime(async ({ rt }) => {
        const feed = await feedRegistry(rt.db, rt.queues).add(
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
            f.health.status,
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
      .action(async (id: string) => {
        await withRuntime(async ({ rt }) => {
          await feedRegistry(rt.db, rt.queues).setEnabled(id, enabled);
          process.stdout.write(`${id} ${enabled ? 'resumed' : 'paused'}\n`);
        });
      });
  }

  feeds
    .command('rm <id>')
    .description('remove a feed and its scheduler (papers already stored stay)')
    .action(async (id: string) => {
      await withRuntime(async ({ rt }) => {
        await feedRegistry(rt.db, rt.queues).remove(id);
        process.stdout.write(`${id} removed\n`);
      });
    });
}
