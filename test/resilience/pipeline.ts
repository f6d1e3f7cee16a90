// Queue-side helpers for the pipeline scenarios: how much work is left, waiting for the queues to drain,
// and the failed (dead-letter) counts that must stay zero.
import type { QueueName } from '@paperwire/jobs';
import type { Runtime } from '@paperwire/runtime';
import type { Db } from 'mongodb';
import { waitUntil } from './support.ts';

export const PIPELINE: readonly QueueName[] = ['fetch', 'resolve', 'score'];

/** Waiting + active + prioritized + delayed jobs (job schedulers' next runs excluded) per queue. */
export async function pending(
  rt: Runtime,
  names: readonly QueueName[] = PIPELINE,
): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const name of names) {
    const q = rt.queues.byName[name];
    const c = await q.getJobCounts('waiting', 'active', 'prioritized', 'waiting-children', 'delayed');
    let n = (c.waiting ?? 0) + (c.active ?? 0) + (c.prioritized ?? 0) + (c['waiting-children'] ?? 0);
    if ((c.delayed ?? 0) > 0) {
      const delayed = await q.getDelayed(0, 10_000);
      n += delayed.filter((j) => !String(j.id).startsWith('repeat:')).length;
    }
    out[name] = n;
  }
  return out;
}

export async function failedCounts(rt: Runtime, names: readonly QueueName[] = PIPELINE) {
  const out: Record<string, number> = {};
  for (const name of names) out[name] = await rt.queues.byName[name].getFailedCount();
  return out;
}

/** Until every named queue has had nothing left on three polls in a row (and `extra` agrees). */
export async function waitDrained(
  rt: Runtime,
  timeoutMs: number,
  names: readonly QueueName[] = PIPELINE,
  extra: () => Promise<true | string> = async () => true,
): Promise<void> {
  let quiet = 0;
  await waitUntil(
    `${names.join(', ')} drained`,
    async () => {
      const left = await pending(rt, names);
      const more = await extra();
      const busy = Object.values(left).some((n) => n > 0) || more !== true;
      quiet = busy ? 0 : quiet + 1;
      return quiet >= 3 || JSON.stringify({ ...left, ...(more === true ? {} : { more }) });
    },
    timeoutMs,
    500,
  );
}

/** Document counts of the collections an ingest writes. */
export async function counts(db: Db): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const c of ['observations', 'papers', 'aliases', 'payloads'])
    out[c] = await db.collection(c).countDocuments({});
  return out;
}

/** The distinct failure reasons in the failed sets, with how many jobs each. */
export async function failedReasons(rt: Runtime, names: readonly QueueName[] = PIPELINE): Promise<string> {
  const reasons = new Map<string, number>();
  for (const name of names) {
    for (const job of await rt.queues.byName[name].getFailed(0, 1_000)) {
      const r = `${name}: ${String(job.failedReason).slice(0, 120)}`;
      reasons.set(r, (reasons.get(r) ?? 0) + 1);
    }
  }
  return [...reasons].map(([r, n]) => `${n}× ${r}`).join('; ');
}

/** waitDrained that reports a timeout instead of throwing, so the row still shows what was stored. */
export async function drainedOrNote(
  rt: Runtime,
  timeoutMs: number,
  names: readonly QueueName[] = PIPELINE,
): Promise<string> {
  try {
    await waitDrained(rt, timeoutMs, names);
    return '';
  } catch (err) {
    return `NOT DRAINED: ${(err as Error).message.replace(/^resilience: /, '').slice(0, 200)}; `;
  }
}
