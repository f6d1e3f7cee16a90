// `paperwire near-index rebuild`: rebuilds the Redis near-duplicate index from `papers` now, under a new
// generation. Resolvers do the same by themselves when they find the index missing or foreign; the command
// is for an operator who wants it done before the workers start (after restoring MongoDB, say).
import { nearIndex } from '@paperwire/jobs';
import type { Command } from 'commander';
import { withRuntime } from '../context.ts';
import { printJson, printTable } from '../output.ts';

export function registerNearIndexCommands(program: Command): void {
  program
    .command('near-index')
    .description('the near-duplicate index in Redis (title bands), derived from MongoDB')
    .command('rebuild')
    .description(
      'rebuild it from every current paper, under a new generation (resolvers wait for it; progress is logged)',
    )
    .option('--json', 'print the result as JSON')
    .action(async (opts: { json?: boolean }) => {
      const report = await withRuntime(({ rt }) =>
        nearIndex(rt.redis, rt.prefix, rt.db.nearDuplicates, rt.locks, rt.log).rebuildNow(),
      );
      if (opts.json) return printJson(report);
      printTable(
        ['papers', 'seconds', 'generation'],
        [[report.papers, report.seconds.toFixed(1), report.generation]],
      );
    });
}
