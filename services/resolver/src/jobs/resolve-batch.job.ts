// resolve-batch: load observations (multi-key read) → resolve them as one batch (identity, dedup, merge;
// locked; events recorded in the outbox; bulk writes) → mark changed papers dirty → request a debounced
// re-score and relay.
import type { PaperwireEvent } from '@paperwire/core';
import type { Database } from '@paperwire/db';
import {
  type DirtyPapers,
  type EventRecorder,
  type Handler,
  type NearIndex,
  type Queues,
  requestRelay,
  requestScoring,
} from '@paperwire/jobs';
import { type Locks, metrics } from '@paperwire/platform';
import { type ResolveOutcome, resolveObservations } from '../resolve-batch.ts';

export interface ResolveBatchDeps {
  db: Pick<Database, 'observations' | 'papers'>;
  nearIndex: Pick<NearIndex, 'ensureCurrent' | 'read' | 'write'>;
  locks: Pick<Locks, 'withLocks'>;
  queues: Pick<Queues, 'enqueue'>;
  dirty: DirtyPapers;
  /** Records events in the outbox and queues them for the relay. */
  events: EventRecorder;
  now: () => Date;
}

export type ResolveBatchResult = Record<ResolveOutcome['kind'] | 'missing', number>;

export function resolveBatchHandler(deps: ResolveBatchDeps): Handler<'resolve-batch'> {
  return async ({ observationIds }, { log }): Promise<ResolveBatchResult> => {
    const observations = await deps.db.observations.getMany(observationIds);
    const counts: ResolveBatchResult = { created: 0, updated: 0, unchanged: 0, merged: 0, missing: 0 };
    counts.missing = observationIds.length - observations.length;
    if (counts.missing > 0) {
      metrics.dedupDecisions.inc({ decision: 'missing' }, counts.missing);
      log.warn({ missing: counts.missing }, 'resolver: observations not found');
    }

    let events = 0;
    const emit = async (batch: readonly PaperwireEvent[]) => {
      await deps.events.record(batch);
      events += batch.length;
    };
    const outcomes = await resolveObservations({ ...deps, emit }, observations);
    const touched = new Set<string>();
    for (const outcome of outcomes) {
      counts[outcome.kind]++;
      recordOutcome(outcome.kind);
      if (outcome.kind !== 'unchanged') touched.add(outcome.paperId);
      if (outcome.kind === 'merged') {
        // Merged-away ids are redirects now: the scorer re-reads them to drop them from its inputs.
        for (const id of outcome.mergedAway) touched.add(id);
        log.info({ paperId: outcome.paperId, mergedAway: outcome.mergedAway }, 'resolver: papers merged');
      }
    }

    if (touched.size > 0) {
      const now = deps.now();
      await deps.dirty.mark([...touched], now);
      await requestScoring(deps.queues, now, await deps.dirty.debounceMs());
    }
    if (events > 0) await requestRelay(deps.queues, deps.now());
    log.info({ ...counts, events }, 'resolver: batch resolved');
    return counts;
  };
}

/** Prometheus: what became of each observation, and which paper records changed. */
function recordOutcome(kind: ResolveOutcome['kind']): void {
  const decision = { created: 'new', updated: 'matched', unchanged: 'matched', merged: 'merged' } as const;
  metrics.dedupDecisions.inc({ decision: decision[kind] });
  if (kind === 'created') metrics.papers.inc({ change: 'created' });
  else if (kind === 'updated') metrics.papers.inc({ change: 'revised' });
  else if (kind === 'merged') metrics.papers.inc({ change: 'merged' });
}
