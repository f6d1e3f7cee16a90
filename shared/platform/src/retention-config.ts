// Retention settings: how long each kind of document is kept. Read by the scheduler (the periodic gc job)
// and by `paperwire gc`, so the schema lives here, beside the other settings two processes share.
import { z } from 'zod';

const whole = (name: string, min: number, max: number, unit: string) =>
  z.coerce
    .number()
    .int(`${name} must be a whole number of ${unit}`)
    .min(min, `${name} must be at least ${min} ${unit}`)
    .max(max, `${name} must be at most ${max} ${unit}`);

export const retentionEnvSchema = z.object({
  /** Archived payloads are kept this many days after they were fetched (replay re-parses only these). */
  PAYLOAD_RETENTION_DAYS: whole('PAYLOAD_RETENTION_DAYS', 1, 3_650, 'days').default(30),
  /** Outbox events are kept this many hours after the relay published them; unpublished ones always. */
  OUTBOX_GRACE_HOURS: whole('OUTBOX_GRACE_HOURS', 1, 8_760, 'hours').default(24),
  /** Ranking snapshots are kept this many days (and at most 48 per board); a board's current one always. */
  SNAPSHOT_RETENTION_DAYS: whole('SNAPSHOT_RETENTION_DAYS', 1, 3_650, 'days').default(7),
  /** Documents per delete command of a gc run. */
  GC_BATCH: whole('GC_BATCH', 10, 5_000, 'documents').default(500),
});
export type RetentionConfig = z.infer<typeof retentionEnvSchema>;

export interface RetentionSettings {
  /** Archived payloads (gzipped raw bodies) are kept this many days after they were fetched. */
  payloadRetentionDays: number;
  /** Outbox events are kept this many hours after the relay published them; unpublished ones always. */
  outboxGraceHours: number;
  /** Ranking snapshots older than this many days go (each board's current one stays). */
  snapshotRetentionDays: number;
  /** Documents per delete command. */
  batchSize: number;
}

export function retentionSettings(config: RetentionConfig): RetentionSettings {
  return {
    payloadRetentionDays: config.PAYLOAD_RETENTION_DAYS,
    outboxGraceHours: config.OUTBOX_GRACE_HOURS,
    snapshotRetentionDays: config.SNAPSHOT_RETENTION_DAYS,
    batchSize: config.GC_BATCH,
  };
}
