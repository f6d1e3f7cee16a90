// The dead-letter list: BullMQ's failed set. A job lands there only after its last attempt (earlier
// failures wait in `delayed` for their retry), or at once when its error is not retryable.
import { PipelineError } from '@paperwire/core';
import { QUEUES, type QueueName } from '@paperwire/jobs';
import type { Runtime } from '@paperwire/runtime';
import type { Job } from 'bullmq';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { withRuntime } from '../context.ts';
import { printJson, printTable, truncate } from '../output.ts';

export interface DeadJob {
  queue: QueueName;
  id: string;
  name: string;
  failedReason: string;
  attemptsMade: number;
  data: unknown;
  finishedOn: string | null;
}

class DlqError extends PipelineError {
  constructor(message: string) {
    super(message, { code: 'dlq-usage', retryable: false });
  }
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 10_000)
    throw new InvalidArgumentError('a whole number from 1 to 10000');
  return n;
}

const queueOption = () => new Option('--queue <queue>', 'only this queue').choices([...QUEUES]);
const inScope = (queue?: QueueName): QueueName[] => (queue ? [queue] : [...QUEUES]);

function describe(queue: QueueName, job: Job): DeadJob {
  return {
    queue,
    id: String(job.id),
    name: job.name,
    failedReason: job.failedReason ?? '',
    attemptsMade: job.attemptsMade,
    data: job.data,
    finishedOn: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
  };
}

/** Every failed job of the queues in scope, newest first, at most `limit` per queue. */
async function failedJobs(rt: Runtime, queues: QueueName[], limit = -1): Promise<[QueueName, Job][]> {
  const out: [QueueName, Job][] = [];
  for (const q of queues) {
    for (const job of await rt.queues.byName[q].getFailed(0, limit < 0 ? -1 : limit - 1))
      if (job) out.push([q, job]);
  }
  return out.sort(([, a], [, b]) => (b.finishedOn ?? 0) - (a.finishedOn ?? 0));
}

/** The failed jobs named by `ids` (or all of them); refuses unknown or ambiguous ids before acting. */
async function selectJobs(
  rt: Runtime,
  ids: string[],
  opts: { all?: boolean; queue?: QueueName },
): Promise<[QueueName, Job][]> {
  if (opts.all && ids.length > 0) throw new DlqError('dlq: give job ids or --all, not both');
  if (opts.all) return failedJobs(rt, inScope(opts.queue));
  if (ids.length === 0) throw new DlqError('dlq: give one or more job ids, or --all');
  const picked: [QueueName, Job][] = [];
  for (const id of ids) {
    const found: [QueueName, Job][] = [];
    for (const q of inScope(opts.queue)) {
      const job = await rt.queues.byName[q].getJob(id);
      if (job && (await job.isFailed())) found.push([q, job]);
    }
    if (found.length === 0) throw new DlqError(`dlq: no failed job "${id}" (see \`paperwire dlq list\`)`);
    if (found.length > 1)
      throw new DlqError(
        `dlq: "${id}" is a failed job in ${found.map(([q]) => q).join(' and ')}: add --queue`,
      );
    picked.push(found[0]!);
  }
  return picked;
}

export function registerDlqCommand(program: Command): void {
  const dlq = program
    .command('dlq')
    .description('the dead-letter list: jobs that failed their last attempt (list, retry, drop)');

  dlq
    .command('list')
    .description('failed jobs, newest first')
    .addOption(queueOption())
    .option('--limit <n>', 'at most this many', positiveInt, 50)
    .option('--json', 'print JSON')
    .action(async (opts: { queue?: QueueName; limit: number; json?: boolean }) => {
      await withRuntime(async ({ rt }) => {
        const jobs = (await failedJobs(rt, inScope(opts.queue), opts.limit))
          .slice(0, opts.limit)
          .map(([q, job]) => describe(q, job));
        if (opts.json) return printJson(jobs);
        if (jobs.length === 0) {
          process.stdout.write('no failed jobs\n');
          return;
        }
        printTable(
          ['queue', 'id', 'job', 'attempts', 'failed at', 'reason', 'data'],
          jobs.map((j) => [
            j.queue,
            j.id,
            j.name,
            j.attemptsMade,
            j.finishedOn ?? '-',
            truncate(j.failedReason, 60),
            truncate(JSON.stringify(j.data), 40),
          ]),
        );
      });
    });

  const act = (verb: 'retry' | 'drop', description: string, run: (job: Job) => Promise<void>) =>
    dlq
      .command(`${verb} [jobIds...]`)
      .description(description)
      .option('--all', `${verb} every failed job (of --queue, or of every queue)`)
      .addOption(queueOption())
      .option('--json', 'print JSON')
      .action(async (ids: string[], opts: { all?: boolean; queue?: QueueName; json?: boolean }) => {
        await withRuntime(async ({ rt }) => {
          const done: { queue: QueueName; id: string }[] = [];
          for (const [queue, job] of await selectJobs(rt, ids, opts)) {
            await run(job);
            done.push({ queue, id: String(job.id) });
          }
          const key = verb === 'retry' ? 'retried' : 'dropped';
          if (opts.json) return printJson({ [key]: done });
          for (const d of done) process.stdout.write(`${key} ${d.queue}/${d.id}\n`);
          process.stdout.write(`${done.length} job(s) ${key}\n`);
        });
      });

  act('retry', 'move failed jobs back to waiting, with their attempts reset', (job) =>
    job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true }),
  );
  act('drop', 'delete failed jobs for good', (job) => job.remove());
}
