// `paperwire replay`: re-parses archived payloads with today's parsers and normalisers and stores what
// they yield through the fetch job's own ingest path (shared/ingest). Observations are keyed by content, so an unchanged
// parser stores nothing new and the resolver finds nothing to change; a fixed parser adds the
// observations it now produces, and the resolver merges them.
import { type Feed, FeedParseError } from '@paperwire/core';
import { observationsKey, parseAndNormalise, storeIngested } from '@paperwire/ingest';
import { FeedRegistryError } from '@paperwire/runtime';
import { SingleBar } from 'cli-progress';
import { type Command, InvalidArgumentError } from 'commander';
import { withRuntime } from '../context.ts';
import { drainAndScore, startWorkers } from '../in-process.ts';
import { printJson, printTable } from '../output.ts';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100_000)
    throw new InvalidArgumentError('a whole number from 1 to 100000');
  return n;
}

export interface ReplaySummary {
  feeds: {
    id: string;
    payloads: number;
    entries: number;
    skipped: number;
    newObservations: number;
    failed: number;
  }[];
  payloads: number;
  newObservations: number;
  papers: number;
}

export function registerReplayCommand(program: Command): void {
  program
    .command('replay')
    .description('re-parse archived payloads with today’s parsers; store and resolve what is new')
    .option('--feed <id>', 'only this feed (default: every registered feed)')
    .option('--limit <n>', 'newest payloads per feed', positiveInt, 100)
    .option('--timeout <seconds>', 'give up waiting for the resolver after this long', Number, 600)
    .option('--json', 'print the summary as JSON')
    .action(async (opts: { feed?: string; limit: number; timeout: number; json?: boolean }) => {
      await withRuntime(async (ctx) => {
        const { rt, log } = ctx;
        const feeds = opts.feed ? [await rt.db.feeds.get(opts.feed)] : await rt.db.feeds.list();
        const work: { feed: Feed; payloadIds: string[] }[] = [];
        for (const feed of feeds) {
          if (!feed)
            throw new FeedRegistryError(
              `replay: no feed with id "${opts.feed}" (see \`paperwire feeds list\`)`,
              'feed-unknown',
            );
          const ids = (await rt.db.payloads.listForFeed(feed._id, opts.limit)).map((p) => p._id);
          work.push({ feed, payloadIds: ids });
        }
        startWorkers(ctx, { fetcher: false });

        const total = work.reduce((n, w) => n + w.payloadIds.length, 0);
        const bar = process.stderr.isTTY
          ? new SingleBar({
              format: 'replay [{bar}] {value}/{total} payloads | {feed}',
              stream: process.stderr,
            })
          : undefined;
        bar?.start(total, 0, { feed: '' });
        const summary: ReplaySummary = { feeds: [], payloads: 0, newObservations: 0, papers: 0 };
        for (const { feed, payloadIds } of work) {
          const row = { id: feed._id, payloads: 0, entries: 0, skipped: 0, newObservations: 0, failed: 0 };
          for (const id of payloadIds) {
            bar?.increment(1, { feed: feed._id });
            const payload = await rt.db.payloads.get(id);
            if (!payload) continue;
            row.payloads++;
            try {
              const parsed = await parseAndNormalise(feed, [payload], payload.fetchedAt, log);
              row.entries += parsed.entries;
              row.skipped += parsed.skipped;
              row.newObservations += await storeIngested(
                rt,
                feed._id,
                [payload],
                parsed.observations,
                payload.fetchedAt,
                // Not the fetch's key: a resolve job from that fetch may still exist and would swallow
                // this one. Keyed by the observations, an unchanged replay dedups with itself.
                observationsKey(parsed.observations),
              );
            } catch (err) {
              // A payload today's parser rejects (an error page that was archived) is reported, not fatal.
              if (!(err instanceof FeedParseError)) throw err;
              row.failed++;
              log.warn(
                { feedId: feed._id, payloadId: id, reason: err.message },
                'replay: payload not parsed',
              );
            }
          }
          summary.feeds.push(row);
          summary.payloads += row.payloads;
          summary.newObservations += row.newObservations;
        }
        bar?.stop();
        await drainAndScore(ctx, opts.timeout);
        summary.papers = await rt.db.papers.count();

        if (opts.json) return printJson(summary);
        printTable(
          ['feed', 'payloads', 'entries', 'skipped', 'new observations', 'unparsable'],
          summary.feeds.map((f) => [f.id, f.payloads, f.entries, f.skipped, f.newObservations, f.failed]),
        );
        process.stdout.write(
          `\n${summary.payloads} payloads replayed, ${summary.newObservations} new observations; ${summary.papers} papers stored.\n`,
        );
      });
    });
}
