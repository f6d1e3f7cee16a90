// Commands that produce work and want it done before they exit (`feeds fetch-now --wait`, `replay`,
// `backfill`) run the workers in this process and wait for the queues to drain, like `run --once`.
import { startFetcher } from '@paperwire/fetcher';
import { fanOutToWebhooks } from '@paperwire/jobs';
import { startRelayWorker } from '@paperwire/relay';
import { startResolver } from '@paperwire/resolver';
import { startScorer } from '@paperwire/scorer';
import { SingleBar } from 'cli-progress';
import type { CommandContext } from './context.ts';
import { drain } from './drain.ts';

/** Starts the resolver, scorer and relay (and the fetcher when asked); shutdown closes them. */
export function startWorkers({ rt, config }: CommandContext, options: { fetcher: boolean }): void {
  if (options.fetcher) startFetcher(rt, config);
  startResolver(rt, config);
  startScorer(rt, config);
  // The events those jobs record are relayed before the command exits (the drain waits for them).
  startRelayWorker(rt, config, { onPublished: fanOutToWebhooks(rt) });
}

/** Waits until every queue is empty, then re-scores once so the rankings include what was stored. */
export async function drainAndScore({ rt }: CommandContext, timeoutSeconds: number): Promise<void> {
  const bar = process.stderr.isTTY
    ? new SingleBar({
        format: 'processing [{bar}] {value} jobs done, {pending} pending',
        stream: process.stderr,
      })
    : undefined;
  bar?.start(1, 0, { pending: 0 });
  try {
    await drain(rt.queues, {
      timeoutMs: timeoutSeconds * 1000,
      onProgress: ({ pending, completed }) => {
        bar?.setTotal(completed + pending || 1);
        bar?.update(completed, { pending });
      },
    });
    await rt.queues.enqueue('score-rankings', { reason: 'manual' });
    await drain(rt.queues, { timeoutMs: timeoutSeconds * 1000 });
  } finally {
    bar?.stop();
  }
}
