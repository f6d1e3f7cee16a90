import {
  type DatedSnapshot,
  type PeriodKind,
  parsePeriod,
  type RankedPaper,
  type RankingSnapshot,
  WINDOWS,
  type Window,
} from '@paperwire/core';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { withDatabase } from '../context.ts';
import { printJson, printTable, truncate } from '../output.ts';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 500)
    throw new InvalidArgumentError('a whole number from 1 to 500');
  return n;
}

/** `--day 2026-12-03`, `--week 2026-W49`, `--month 2026-12`: the key, checked to name a period. */
const periodArg = (kind: PeriodKind, form: string) => (value: string) => {
  const period = parsePeriod(kind, value);
  if (!period) throw new InvalidArgumentError(`a ${kind} period, ${form} (UTC)`);
  return period.key;
};

/** Current signal totals of a row, e.g. `huggingface upvotes 42, hackernews points 90`. */
const signalsText = (e: RankedPaper) =>
  (e.signals ?? []).map((s) => `${s.source} ${s.name} ${s.value}`).join(', ') || '-';

function printRows(heading: string, entries: readonly RankedPaper[]): void {
  process.stdout.write(`${heading}\n\n`);
  printTable(
    ['#', 'score', 'paper', 'category', 'title', 'authors', 'signals', 'abstract'],
    entries.map((e) => [
      e.rank,
      Number(e.score.toFixed(3)),
      e.paperId,
      `${e.primaryCategory ?? '-'}${e.crossListed ? ' (cross-list)' : ''}`,
      truncate(e.title, 60),
      e.authorCount ?? 0,
      truncate(signalsText(e), 40),
      truncate(e.abstract ?? '-', 60),
    ]),
  );
}

interface TrendingOptions {
  window: Window;
  category: string;
  limit: number;
  json?: boolean;
  day?: string;
  week?: string;
  month?: string;
}

export function registerTrendingCommand(program: Command): void {
  program
    .command('trending')
    .description(
      'the current trending ranking, or with --day/--week/--month the papers that first appeared then',
    )
    .addOption(new Option('--window <window>', 'time window').choices([...WINDOWS]).default('24h'))
    .option('--category <category>', 'category, e.g. cs.LG (cross-lists included), or all', 'all')
    .addOption(
      new Option('--day <YYYY-MM-DD>', 'the dated board of a UTC day')
        .argParser(periodArg('daily', 'YYYY-MM-DD'))
        .conflicts(['week', 'month']),
    )
    .addOption(
      new Option('--week <YYYY-Www>', 'the dated board of an ISO week')
        .argParser(periodArg('weekly', 'YYYY-Www'))
        .conflicts(['month']),
    )
    .addOption(
      new Option('--month <YYYY-MM>', 'the dated board of a UTC month').argParser(
        periodArg('monthly', 'YYYY-MM'),
      ),
    )
    .option('--limit <n>', 'how many papers', positiveInt, 20)
    .option('--json', 'print JSON (the board with each paper’s complete row and score breakdown)')
    .action(async (opts: TrendingOptions) => {
      const dated: [PeriodKind, string] | undefined = opts.day
        ? ['daily', opts.day]
        : opts.week
          ? ['weekly', opts.week]
          : opts.month
            ? ['monthly', opts.month]
            : undefined;
      const found = await withDatabase(async ({ db }) => {
        const board: RankingSnapshot | DatedSnapshot | undefined = dated
          ? await db.datedBoards.get(...dated)
          : await db.rankings.current(opts.window, opts.category);
        if (!board) {
          process.stderr.write(
            dated
              ? `no ${dated[0]} board for ${dated[1]}: nothing first appeared then, or it has not been scored yet\n`
              : `no ranking yet for ${opts.window}/${opts.category}: run \`paperwire run --once\` first\n`,
          );
          return false;
        }
        const entries = board.entries.slice(0, opts.limit);
        if (opts.json) {
          printJson({ ...board, entries });
          return true;
        }
        const heading =
          'kind' in board
            ? `Papers of ${board.period} (${board.kind}) · as of ${board.asOf}${board.final ? ' · final' : ''}`
            : `Trending ${board.window} · ${board.category} · as of ${board.asOf} · ${board.scoreVersion}`;
        printRows(heading, entries);
        return true;
      });
      if (!found) process.exitCode = 1;
    });
}
