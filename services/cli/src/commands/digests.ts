// `paperwire digests subscribe|list|unsubscribe|send-now`: e-mail digests of the trending boards.
// `send-now` queues an extra digest (its own period, `m<date>T<hhmm>`) for one subscription or every
// active one; like every digest it leaves out papers sent before. It is sent by the `digest` component of
// `paperwire start`, or in this process with --wait (which needs the SMTP settings here too).
import { DIGEST_CADENCES, manualDigestPeriod, PipelineError, WINDOWS } from '@paperwire/core';
import type { DigestSubscription } from '@paperwire/db';
import { type SendDigestResult, startDigest } from '@paperwire/digest';
import { enqueueDigest } from '@paperwire/jobs';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { withRuntime } from '../context.ts';
import { printJson, printTable } from '../output.ts';

class DigestsUsageError extends PipelineError {
  constructor(message: string) {
    super(message, { code: 'digests-usage', retryable: false });
  }
}

const list = (value: string): string[] =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

function windowList(value: string): string[] {
  const windows = list(value);
  if (windows.length === 0 || windows.some((w) => !(WINDOWS as readonly string[]).includes(w)))
    throw new InvalidArgumentError(`comma-separated, from ${WINDOWS.join(', ')}`);
  return windows;
}

function row(s: DigestSubscription): string[] {
  return [
    s.id,
    s.email,
    s.windows.join(','),
    s.categories.join(','),
    s.cadence,
    s.unsubscribedAt ? `unsubscribed ${s.unsubscribedAt}` : 'active',
    s.createdAt,
  ];
}
const HEADERS = ['id', 'email', 'windows', 'categories', 'cadence', 'status', 'created'];

export function registerDigestCommands(program: Command): void {
  const digests = program
    .command('digests')
    .description('e-mail digests of the trending papers (subscribe, list, unsubscribe, send-now)');

  digests
    .command('subscribe')
    .description('subscribe an address, or change its subscription (and resume it)')
    .requiredOption('--email <address>', 'where to send')
    .requiredOption('--windows <list>', `comma-separated: ${WINDOWS.join(',')}`, windowList)
    .option('--categories <list>', 'comma-separated primary categories, or all', list, ['all'])
    .addOption(new Option('--cadence <cadence>', 'how often').choices([...DIGEST_CADENCES]).default('daily'))
    .option('--only-categories <list>', 'filter: papers in any of these categories (cross-lists too)', list)
    .option('--authors <list>', 'filter: papers by any of these authors (matched by author key)', list)
    .option('--organizations <list>', 'filter: papers from any of these organisations (whole words)', list)
    .option('--keywords <list>', 'filter: papers whose title or abstract has any of these words', list)
    .option('--json', 'print JSON')
    .action(
      async (opts: {
        email: string;
        windows: string[];
        categories: string[];
        cadence: string;
        onlyCategories?: string[];
        authors?: string[];
        organizations?: string[];
        keywords?: string[];
        json?: boolean;
      }) => {
        // A paper is sent when it matches any filter given; validated (readerFiltersSchema) by subscribe.
        const filters = {
          ...(opts.onlyCategories ? { categories: opts.onlyCategories } : {}),
          ...(opts.authors ? { authors: opts.authors } : {}),
          ...(opts.organizations ? { organizations: opts.organizations } : {}),
          ...(opts.keywords ? { keywords: opts.keywords } : {}),
        };
        await withRuntime(async ({ rt }) => {
          const { subscription, created } = await rt.db.digests.subscribe(
            { ...opts, ...(Object.keys(filters).length > 0 ? { filters } : {}) },
            new Date(),
          );
          if (opts.json) return printJson({ ...subscription, created });
          process.stdout.write(
            `${created ? 'subscribed' : 'updated'} ${subscription.id} ${subscription.email}: ` +
              `${subscription.cadence}, ${subscription.windows.join(',')} × ${subscription.categories.join(',')}\n`,
          );
        });
      },
    );

  digests
    .command('list')
    .description('subscriptions, unsubscribed ones too')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      await withRuntime(async ({ rt }) => {
        const all = await rt.db.digests.list();
        if (opts.json) return printJson(all);
        if (all.length === 0) {
          process.stdout.write('no digest subscriptions\n');
          return;
        }
        printTable(HEADERS, all.map(row));
      });
    });

  digests
    .command('unsubscribe <idOrEmail>')
    .description('stop sending digests to a subscription (by id or address)')
    .option('--json', 'print JSON')
    .action(async (idOrEmail: string, opts: { json?: boolean }) => {
      await withRuntime(async ({ rt }) => {
        const s = await rt.db.digests.unsubscribe(idOrEmail, new Date());
        if (opts.json) return printJson(s);
        process.stdout.write(`unsubscribed ${s.id} ${s.email}\n`);
      });
    });

  digests
    .command('send-now [idOrEmail]')
    .description('queue an extra digest now: for one subscription, or every active one')
    .option('--wait', 'send in this process and wait (needs SMTP_URL, DIGEST_FROM, … here too)')
    .option('--timeout <seconds>', 'with --wait: give up after this long', (v) => Number(v), 120)
    .option('--json', 'print JSON')
    .action(
      async (idOrEmail: string | undefined, opts: { wait?: boolean; timeout: number; json?: boolean }) => {
        await withRuntime(async ({ rt, config }) => {
          let targets: DigestSubscription[];
          if (idOrEmail) {
            const one = await rt.db.digests.get(idOrEmail);
            if (!one)
              throw new DigestsUsageError(
                `digests: no subscription ${JSON.stringify(idOrEmail.slice(0, 100))} (see \`paperwire digests list\`)`,
              );
            if (one.unsubscribedAt) throw new DigestsUsageError(`digests: ${one.id} is unsubscribed`);
            targets = [one];
          } else {
            targets = (await rt.db.digests.list()).filter((s) => !s.unsubscribedAt);
          }
          const period = manualDigestPeriod(new Date());
          const queued = [];
          for (const s of targets)
            queued.push({
              subscriberId: s.id,
              email: s.email,
              jobId: await enqueueDigest(rt.queues, s.id, period),
            });
          const results: (SendDigestResult | { status: 'failed'; reason: string } | undefined)[] = [];
          if (opts.wait && queued.length > 0) {
            await startDigest(rt, config, { workerOnly: true });
            const deadline = Date.now() + opts.timeout * 1000;
            for (const q of queued) {
              for (;;) {
                const job = await rt.queues.byName.digests.getJob(q.jobId);
                const state = await job?.getState();
                if (state === 'completed') {
                  results.push(job?.returnvalue as SendDigestResult);
                  break;
                }
                if (state === 'failed' || state === undefined) {
                  results.push({ status: 'failed', reason: job?.failedReason ?? 'job gone' });
                  break;
                }
                if (Date.now() > deadline)
                  throw new DigestsUsageError(`digests: not sent within ${opts.timeout}s (job ${q.jobId})`);
                await new Promise((r) => setTimeout(r, 200));
              }
            }
          }
          const out = queued.map((q, i) => ({ ...q, period, ...(results[i] ? { result: results[i] } : {}) }));
          if (opts.json) return printJson(out);
          if (out.length === 0) {
            process.stdout.write('no active digest subscriptions\n');
            return;
          }
          printTable(
            ['subscription', 'email', 'job', 'result'],
            out.map((o) => [o.subscriberId, o.email, o.jobId, o.result ? o.result.status : 'queued']),
          );
          if (results.some((r) => r?.status === 'failed')) process.exitCode = 1;
        });
      },
    );
}
