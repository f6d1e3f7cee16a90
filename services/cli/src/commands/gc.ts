// `paperwire gc`: retention now, the same run as the scheduler's periodic `gc` job. Needs the database
// alone (no Redis): it deletes relayed outbox events past OUTBOX_GRACE_HOURS, archived payloads past
// PAYLOAD_RETENTION_DAYS and ranking snapshots past SNAPSHOT_RETENTION_DAYS; observations are kept.
import { collectGarbage, type GcResult } from '@paperwire/db';
import { retentionSettings } from '@paperwire/platform/config';
import type { Command } from 'commander';
import { withDatabase } from '../context.ts';
import { printJson, printTable } from '../output.ts';

export function registerGcCommand(program: Command): void {
  program
    .command('gc')
    .description(
      'delete what retention no longer keeps, in batches, and print how many documents went per collection:\n' +
        '  outbox events relayed more than OUTBOX_GRACE_HOURS ago (default 24; unrelayed ones stay),\n' +
        '  archived payloads fetched more than PAYLOAD_RETENTION_DAYS ago (default 30),\n' +
        '  ranking snapshots older than SNAPSHOT_RETENTION_DAYS (default 7; each board keeps its current one).\n' +
        'Observations are never deleted (replay rebuilds from them). The scheduler runs the same job every\n' +
        'GC_EVERY_MINUTES (default 60); running gc again at once deletes nothing.',
    )
    .option('--json', 'print the result as JSON')
    .action(async (opts: { json?: boolean }) => {
      const result = await withDatabase(
        ({ config, log, db }) => collectGarbage(db, retentionSettings(config), new Date(), log),
        { writes: true },
      );
      print(result, opts.json === true);
    });
}

function print(result: GcResult, json: boolean): void {
  if (json) {
    printJson(result);
    return;
  }
  const { deleted, cutoffs } = result;
  printTable(
    ['collection', 'deleted', 'older than'],
    [
      ['outbox (relayed events)', deleted.outbox, cutoffs.eventsPublishedBefore],
      ['payloads', deleted.payloads, cutoffs.payloadsFetchedBefore],
      ['rankings (snapshots)', deleted.rankings, cutoffs.snapshotsTakenBefore],
    ],
  );
}
