// `paperwire webhooks add|list|rm|replay`: subscriptions that receive Paperwire's events as signed POSTs.
// A subscription's secret is printed once, by `add`; `list` never shows it. `replay` retries deliveries
// from the dead-letter list (`paperwire dlq list --queue webhooks` shows them).
import { PipelineError } from '@paperwire/core';
import { replayDeadLetters } from '@paperwire/jobs';
import type { Command } from 'commander';
import { withRuntime } from '../context.ts';
import { printJson, printTable } from '../output.ts';

class WebhooksUsageError extends PipelineError {
  constructor(message: string) {
    super(message, { code: 'webhooks-usage', retryable: false });
  }
}

const eventList = (value: string): string[] =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export function registerWebhookCommands(program: Command): void {
  const webhooks = program
    .command('webhooks')
    .description('webhook subscriptions: events POSTed to your URL, signed (add, list, rm, replay)');

  webhooks
    .command('add <url>')
    .description('subscribe a URL and print its signing secret (once: it is never shown again)')
    .requiredOption(
      '--events <types>',
      'comma-separated: exact types, prefixes such as paper.*, or *',
      eventList,
    )
    .option('--json', 'print JSON')
    .action(async (url: string, opts: { events: string[]; json?: boolean }) => {
      await withRuntime(async ({ rt }) => {
        const { secret, record } = await rt.db.webhooks.create({ url, eventTypes: opts.events }, new Date());
        if (opts.json) return printJson({ ...record, secret });
        process.stdout.write(
          `created webhook ${record.id} → ${record.url} for ${record.eventTypes.join(', ')}\n\n  ${secret}\n\n` +
            'This is the only time the secret is shown. Verify each delivery’s Paperwire-Signature with it.\n',
        );
      });
    });

  webhooks
    .command('list')
    .description('subscriptions (never their secrets)')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      await withRuntime(async ({ rt }) => {
        const all = await rt.db.webhooks.list();
        if (opts.json) return printJson(all);
        if (all.length === 0) {
          process.stdout.write('no webhooks\n');
          return;
        }
        printTable(
          ['id', 'url', 'events', 'enabled', 'created'],
          all.map((w) => [w.id, w.url, w.eventTypes.join(','), w.enabled ? 'yes' : 'no', w.createdAt]),
        );
      });
    });

  webhooks
    .command('rm <id>')
    .description('remove a subscription (deliveries already queued for it are skipped)')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { json?: boolean }) => {
      await withRuntime(async ({ rt }) => {
        const removed = await rt.db.webhooks.remove(id);
        if (opts.json) return printJson(removed);
        process.stdout.write(`removed webhook ${removed.id} → ${removed.url}\n`);
      });
    });

  webhooks
    .command('replay [jobIds...]')
    .description('retry dead-lettered deliveries: the given job ids, or --all')
    .option('--all', 'every failed delivery')
    .option('--json', 'print JSON')
    .action(async (ids: string[], opts: { all?: boolean; json?: boolean }) => {
      if (opts.all && ids.length > 0)
        throw new WebhooksUsageError('webhooks: give job ids or --all, not both');
      if (!opts.all && ids.length === 0)
        throw new WebhooksUsageError(
          'webhooks: give one or more job ids, or --all (see `paperwire dlq list --queue webhooks`)',
        );
      await withRuntime(async ({ rt }) => {
        const replayed = await replayDeadLetters(rt.queues, opts.all ? undefined : ids);
        if (opts.json) return printJson({ replayed });
        for (const id of replayed) process.stdout.write(`replayed ${id}\n`);
        process.stdout.write(`${replayed.length} delivery(ies) queued again\n`);
      });
    });
}
