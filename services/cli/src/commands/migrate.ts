// `paperwire migrate`: moves data from the database earlier versions used (`test` when MONGODB_URI named
// none), converts string dates to BSON dates, adds top-level signals and folds the retired `signalseries`
// into the papers (shared/db/src/migrate.ts).
// Idempotent; `start`, `run` and every service run it at start too, skipping the scans once done. Progress
// goes to stderr (pino JSON, or pretty on a terminal); the summary to stdout.
import type { Command } from 'commander';
import { withDatabase } from '../context.ts';
import { printJson, printTable } from '../output.ts';

export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description(
      'bring data from an earlier version to the current format: move it out of the old `test` database, ' +
        'store dates as BSON dates, add top-level signals to papers, move signal histories into their papers. Safe to run again. Run it before ' +
        'starting the new version when processes of the old one may still be writing.',
    )
    .option('--from <database>', 'the database the earlier version wrote to (default: test, or the URI’s)')
    .option('--json', 'print the report as JSON')
    .action(async (opts: { from?: string; json?: boolean }) => {
      const report = await withDatabase(
        async ({ db, log }) => ({
          database: db.name,
          ...(await db.migrate({ force: true, log, ...(opts.from ? { from: opts.from } : {}) })),
        }),
        { progress: true, writes: true },
      );
      if (opts.json) return printJson(report);
      const names = [...new Set([...Object.keys(report.moved), ...Object.keys(report.converted)])].sort();
      process.stdout.write(
        `database ${report.database}${report.movedFrom ? ` (moved from ${report.movedFrom})` : ''}\n`,
      );
      printTable(
        ['collection', 'moved', 'converted'],
        names.map((n) => [n, report.moved[n] ?? 0, report.converted[n] ?? 0]),
      );
      if (report.folded > 0)
        process.stdout.write(`signal histories moved into their papers: ${report.folded}\n`);
      if (report.dropped.length > 0)
        process.stdout.write(`retired collections dropped: ${report.dropped.join(', ')}\n`);
    });
}
