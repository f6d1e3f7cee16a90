// Retention: what `paperwire gc` and the periodic `gc` job delete, and how long each kind of document is
// kept. Observations are never deleted (they are the replay source). The cutoffs come from `now`, a
// parameter, so a test pins them with its own clock.
import { type Logger, metrics, type RetentionSettings } from '@paperwire/platform';
import type { Database } from './database.ts';

export interface GcCutoffs {
  payloadsFetchedBefore: Date;
  eventsPublishedBefore: Date;
  snapshotsTakenBefore: Date;
}

export interface GcResult {
  /** Documents deleted, by collection. */
  deleted: { outbox: number; payloads: number; rankings: number };
  cutoffs: { [K in keyof GcCutoffs]: string };
  durationMs: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export function gcCutoffs(now: Date, s: RetentionSettings): GcCutoffs {
  const t = now.getTime();
  return {
    payloadsFetchedBefore: new Date(t - s.payloadRetentionDays * DAY_MS),
    eventsPublishedBefore: new Date(t - s.outboxGraceHours * HOUR_MS),
    snapshotsTakenBefore: new Date(t - s.snapshotRetentionDays * DAY_MS),
  };
}

/**
 * Deletes what retention no longer keeps, collection by collection, in batches; counts the deletes in
 * `paperwire_gc_deleted_total{collection}` and logs one line. Running it again at once deletes nothing.
 */
export async function collectGarbage(
  db: Pick<Database, 'retention'>,
  settings: RetentionSettings,
  now: Date,
  log: Logger,
): Promise<GcResult> {
  const started = performance.now();
  const cutoffs = gcCutoffs(now, settings);
  const options = { batchSize: settings.batchSize };
  try {
    // Counted as each collection finishes, so a run that fails half-way still reports what it deleted.
    const counted = async (collection: string, n: Promise<number>) => {
      metrics.gcDeleted.inc({ collection }, await n);
      return n;
    };
    const deleted = {
      outbox: await counted(
        'outbox',
        db.retention.deleteRelayedEvents(cutoffs.eventsPublishedBefore, options),
      ),
      payloads: await counted(
        'payloads',
        db.retention.deletePayloads(cutoffs.payloadsFetchedBefore, options),
      ),
      rankings: await counted(
        'rankings',
        db.retention.deleteSnapshots(cutoffs.snapshotsTakenBefore, options),
      ),
    };
    metrics.gcRuns.inc({ outcome: 'completed' });
    const result: GcResult = {
      deleted,
      cutoffs: {
        payloadsFetchedBefore: cutoffs.payloadsFetchedBefore.toISOString(),
        eventsPublishedBefore: cutoffs.eventsPublishedBefore.toISOString(),
        snapshotsTakenBefore: cutoffs.snapshotsTakenBefore.toISOString(),
      },
      durationMs: Math.round(performance.now() - started),
    };
    log.info(result, 'gc: done');
    return result;
  } catch (err) {
    metrics.gcRuns.inc({ outcome: 'failed' });
    throw err;
  }
}
