import { WINDOWS, type Window } from '@paperwire/core';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { withRuntime } from '../context.ts';
import { printJson, printTable, truncate } from '../output.ts';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 500)
    throw new InvalidArgumentError('a whole number from 1 to 500');
  return n;
}

export function registerTrendingCommand(program: Command): void {
  program
    .command('trending')
    .description('the current trending ranking')
    .addOption(new Option('--window <window>', 'time window').choices([...WINDOWS]).default('24h'))
    .option('--category <category>', 'primary category, e.g. cs.LG (default: all)', 'all')
    .option('--limit <n>', 'how many papers', positiveInt, 20)
    .option('--json', 'print JSON (the snapshot with each paper’s score breakdown)')
    .action(async (opts: { window: Window; category: string; limit: number; json?: boolean }) => {
      const found = await withRuntime(async ({ rt }) => {
        const snapshot = await rt.db.rankings.current(opts.window, opts.category);
        if (!snapshot) {
          process.stderr.write(
            `no ranking yet for ${opts.window}/${opts.category}: run \`paperwire run --once\` first\n`,
          );
          return false;
        }
        const entries = snapshot.entries.slice(0, opts.limit);
        if (opts.json) {
          printJson({ ...snapshot, entries });
          return true;
        }
        process.stdout.write(
          `Trending ${snapshot.window} · ${snapshot.category} · as of ${snapshot.asOf} · ${snapshot.scoreVersion}\n\n`,
        );
        printTable(
          ['#', 'score', 'paper', 'category', 'title'],
          entries.map((e) => [
            e.rank,
            Number(e.score.toFixed(3)),
            e.paperId,
            e.primaryCategory ?? '-',
            truncate(e.title, 70),
          ]),
        );
        return true;
      });
      if (!found) process.exitCode = 1;
    });
}
