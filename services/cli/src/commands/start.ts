import { startApi } from '@paperwire/api';
import { digestsWanted, startDigest } from '@paperwire/digest';
import { startFetcher } from '@paperwire/fetcher';
import { fanOutToWebhooks } from '@paperwire/jobs';
import { startRelay } from '@paperwire/relay';
import { startResolver } from '@paperwire/resolver';
import { startScheduler } from '@paperwire/scheduler';
import { startScorer } from '@paperwire/scorer';
import { startWebhooks } from '@paperwire/webhooks';
import { type Command, InvalidArgumentError } from 'commander';
import { withRuntime } from '../context.ts';

const COMPONENTS = [
  'scheduler',
  'fetcher',
  'resolver',
  'scorer',
  'relay',
  'webhooks',
  'digest',
  'api',
] as const;
type Component = (typeof COMPONENTS)[number];

function componentList(value: string): Component[] {
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = names.filter((n) => !(COMPONENTS as readonly string[]).includes(n));
  if (bad.length > 0 || names.length === 0) {
    throw new InvalidArgumentError(`choose from ${COMPONENTS.join(', ')} (comma-separated)`);
  }
  return names as Component[];
}

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('run the pipeline continuously (all components in one process by default)')
    .option('--only <components>', `a subset: ${COMPONENTS.join(',')} (default: all)`, componentList)
    .action(async (opts: { only?: Component[] }) => {
      await withRuntime(
        async ({ rt, config, log }) => {
          const only = new Set(opts.only ?? COMPONENTS);
          if (only.has('scheduler')) await startScheduler(rt, config);
          if (only.has('fetcher')) startFetcher(rt, config);
          if (only.has('resolver')) startResolver(rt, config);
          if (only.has('scorer')) startScorer(rt, config);
          if (only.has('relay')) await startRelay(rt, config, { onPublished: fanOutToWebhooks(rt) });
          if (only.has('webhooks')) startWebhooks(rt, config);
          // Digests need SMTP settings: all-in-one without any of them leaves digests off; asked for by
          // --only, or half-configured, they are required (a ConfigError names what is missing).
          if (only.has('digest')) {
            if (opts.only !== undefined || digestsWanted(config)) await startDigest(rt, config);
            else {
              only.delete('digest');
              log.info(
                'digest: not started (set SMTP_URL, DIGEST_FROM, PUBLIC_BASE_URL, DIGEST_SECRET to send digests)',
              );
            }
          }
          if (only.has('api')) {
            const { url } = await startApi(rt, config);
            process.stderr.write(`Paperwire API on ${url} (GET /trending, /papers/:id, /feeds)\n`);
          }
          log.info({ components: [...only] }, 'paperwire: started; Ctrl-C to stop');
        },
        { keepAlive: true },
      );
    });
}
