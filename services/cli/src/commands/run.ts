import { startFetcher } from '@paperwire/fetcher';
import { fanOutToWebhooks } from '@paperwire/jobs';
import { startRelayWorker } from '@paperwire/relay';
import { startResolver } from '@paperwire/resolver';
import { defaultFeeds, feedRegistry } from '@paperwire/runtime';
import { startScorer } from '@paperwire/scorer';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { withRuntime } from '../context.ts';
import { drain } from '../drain.ts';
import { printJson, printTable, truncate } from '../output.ts';

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('fetch every enabled feed now, process until all queues are drained, print a summary')
    .requiredOption('--once', 'run once and exit (the only mode; `paperwire start` runs continuously)')
    .option('--timeout <seconds>', 'give up waiting after this long', (v) => Number(v), 600)
    .option('--json', 'print the summary as JSON')
    .action(async (opts: { timeout: number; json?: boolean }) => {
      await withRuntime(async ({ rt, config }) => {
        const registry = feedRegistry(rt.db, rt.queues, {
          fileFeeds: { root: config.PAPERWIRE_FILE_FEEDS_ROOT },
        });
        if (config.PAPERWIRE_SEED_DEFAULT_FEEDS) await registry.seedOnce(defaultFeeds(), new Date());
        await registry.disableForbiddenFileFeeds(new Date(), rt.log);
        startFetcher(rt, config);
        startResolver(rt, config);
        startScorer(rt, config);
        // Events the run records are relayed before it exits (the drain waits for the relay's jobs too).
        startRelayWorker(rt, config, { onPublished: fanOutToWebhooks(rt) });
        const feeds = (await rt.db.feeds.list()).filter((f) => f.enabled);
        const started = new Date();
        await registry.fetchListed(feeds, 'run-once', started);

        const bar = process.stderr.isTTY
          ? new SingleBar({
              format: 'processing [{bar}] {value} jobs done, {pending} pending',
              stream: process.stderr,
            })
          : undefined;
        bar?.start(1, 0, { pending: feeds.length });
        await drain(rt.queues, {
          timeoutMs: opts.timeout * 1000,
          onProgress: ({ pending, completed }) => {
            bar?.setTotal(completed + pending || 1);
            bar?.update(completed, { pending });
          },
        });
        // Rankings as of now, whatever the debounce did.
        await rt.queues.enqueue('score-rankings', { reason: 'manual' });
        await drain(rt.queues, { timeoutMs: opts.timeout * 1000 });
        bar?.stop();

        const after = await rt.db.feeds.list();
        const summary = {
          feeds: after
            .filter((f) => f.enabled)
            .map((f) => ({
              id: f._id,
              health: f.health.status,
              entries: f.health.lastEntryCount ?? 0,
              skipped: f.health.lastSkippedCount ?? 0,
              error:
                f.health.lastError && f.state.lastFetchAt === f.health.lastError.at
                  ? f.health.lastError
                  : null,
            })),
          papers: await rt.db.papers.count(),
          seconds: Math.round((Date.now() - started.getTime()) / 100) / 10,
        };
        if (opts.json) return printJson(summary);
        printTable(
          ['feed', 'health', 'entries', 'skipped', 'error'],
          summary.feeds.map((f) => [
            f.id,
            f.health,
            f.entries,
            f.skipped,
            f.error ? truncate(`${f.error.errorClass}: ${f.error.message}`, 70) : '-',
          ]),
        );
        process.stdout.write(`\n${summary.papers} papers stored; run took ${summary.seconds}s.\n`);
        process.stdout.write('See the ranking with `npx paperwire trending`.\n');
        const offline = summary.feeds.length > 0 && summary.feeds.every((f) => f.error?.errorClass === 'dns');
        if (offline) {
          process.stdout.write(
            '\nNo feed host could be resolved: this machine looks offline. To try Paperwire on local files:\n' +
              '  export PAPERWIRE_FILE_FEEDS_ROOT="$PWD/test/fixtures/feeds"\n' +
              '  npx paperwire feeds add "file://$PWD/test/fixtures/feeds/lab-blog.rss.xml" --kind rss\n' +
              '  npx paperwire run --once && npx paperwire trending --window 30d\n',
          );
        }
      });
    });
}
