// `paperwire rescore`: re-score now. Enqueues a manual score-rankings job, runs a scorer in this process
// until the queues drain, and prints the snapshots that job published.
import { WINDOWS, type Window } from '@paperwire/core';
import { type PublishedSnapshot, type ScoreRankingsResult, startScorer } from '@paperwire/scorer';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { withRuntime } from '../context.ts';
import { drain } from '../drain.ts';
import { printJson, printTable } from '../output.ts';

function category(value: string): string {
  if (!/^[A-Za-z0-9.-]{1,40}$/.test(value)) {
    throw new InvalidArgumentError('a category such as cs.LG, or all for the overall board');
  }
  return value;
}

export function registerRescoreCommand(program: Command): void {
  program
    .command('rescore')
    .description('re-score now and publish new ranking snapshots (every window and board by default)')
    .addOption(new Option('--window <window>', 'only this window').choices([...WINDOWS]))
    .option(
      '--category <category>',
      'only this board: a primary category, or all (the overall board)',
      category,
    )
    .option('--timeout <seconds>', 'give up waiting after this long', (v) => Number(v), 300)
    .option('--json', 'print the published snapshots as JSON')
    .action(async (opts: { window?: Window; category?: string; timeout: number; json?: boolean }) => {
      const published = await withRuntime(async ({ rt, config }) => {
        startScorer(rt, config);
        const jobId = await rt.queues.enqueue('score-rankings', {
          reason: 'manual',
          ...(opts.window ? { windows: [opts.window] } : {}),
          ...(opts.category ? { categories: [opts.category] } : {}),
        });
        await drain(rt.queues, { timeoutMs: opts.timeout * 1000 });
        const job = await rt.queues.byName.score.getJob(jobId);
        if (!job || !(await job.isCompleted())) {
          throw new Error(`rescore: job ${jobId} did not complete: ${job?.failedReason ?? 'job not found'}`);
        }
        return (job.returnvalue as ScoreRankingsResult).published;
      });
      print(published, opts.json === true);
    });
}

function print(published: PublishedSnapshot[], json: boolean): void {
  if (json) {
    printJson({ snapshots: published });
    return;
  }
  if (published.length === 0) {
    process.stdout.write('No snapshot published: no active paper in that board.\n');
    return;
  }
  printTable(
    ['window', 'board', 'snapshot', 'papers', 'entered', 'left', 'moved'],
    published.map((p) => [p.window, p.category, p.snapshotId, p.entries, p.entered, p.left, p.moved]),
  );
  process.stdout.write(`\n${published.length} snapshots published as of ${published[0]?.asOf}.\n`);
}
