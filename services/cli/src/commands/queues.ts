import { QUEUES, type QueueStats, queueStats, RATE_WINDOW_MINUTES } from '@paperwire/jobs';
import type { Command } from 'commander';
import { withRuntime } from '../context.ts';
import { printJson, printTable } from '../output.ts';

/** `42s`, `7m`, `3.5h`, `2d`; `-` for nothing waiting. */
export function formatAge(seconds: number): string {
  if (seconds <= 0) return '-';
  if (seconds < 120) return `${Math.round(seconds)}s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m`;
  if (seconds < 172_800) return `${Math.round(seconds / 360) / 10}h`;
  return `${Math.round(seconds / 8640) / 10}d`;
}

export function registerQueuesCommand(program: Command): void {
  program
    .command('queues')
    .description(
      `jobs per queue and state, the oldest waiting job, and completion/failure rates (last ${RATE_WINDOW_MINUTES} min)`,
    )
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      await withRuntime(async ({ rt }) => {
        const now = new Date();
        const stats: QueueStats[] = [];
        for (const q of QUEUES) stats.push(await queueStats(rt.queues.byName[q], now));
        if (opts.json) return printJson(stats);
        printTable(
          [
            'queue',
            'waiting',
            'active',
            'delayed',
            'completed',
            'failed',
            'oldest',
            'done/min',
            'failed/min',
          ],
          stats.map((s) => [
            s.queue,
            s.counts.waiting,
            s.counts.active,
            s.counts.delayed,
            s.counts.completed,
            s.counts.failed,
            formatAge(s.oldestWaitingSeconds),
            s.completedPerMinute,
            s.failedPerMinute,
          ]),
        );
        process.stdout.write(
          '\nfailed = the dead-letter list (`paperwire dlq list`); delayed includes one job per schedule.\n',
        );
      });
    });
}
