// Retention settings are validated when a process starts: defaults, bounds, and messages naming the setting.
import { describe, expect, it } from 'vitest';
import { retentionEnvSchema, retentionSettings } from './retention-config.ts';

describe('retention settings', () => {
  it('defaults: payloads 30 days, relayed events 24 hours, snapshots 7 days, 500 per delete', () => {
    expect(retentionSettings(retentionEnvSchema.parse({}))).toEqual({
      payloadRetentionDays: 30,
      outboxGraceHours: 24,
      snapshotRetentionDays: 7,
      batchSize: 500,
    });
  });

  it('reads the environment', () => {
    const config = retentionEnvSchema.parse({
      PAYLOAD_RETENTION_DAYS: '90',
      OUTBOX_GRACE_HOURS: '48',
      SNAPSHOT_RETENTION_DAYS: '14',
      GC_BATCH: '100',
    });
    expect(retentionSettings(config)).toEqual({
      payloadRetentionDays: 90,
      outboxGraceHours: 48,
      snapshotRetentionDays: 14,
      batchSize: 100,
    });
  });

  it.each([
    ['PAYLOAD_RETENTION_DAYS', '0', /PAYLOAD_RETENTION_DAYS must be at least 1 days/],
    ['PAYLOAD_RETENTION_DAYS', '1.5', /PAYLOAD_RETENTION_DAYS must be a whole number of days/],
    ['PAYLOAD_RETENTION_DAYS', 'thirty', /expected number/],
    ['OUTBOX_GRACE_HOURS', '0', /OUTBOX_GRACE_HOURS must be at least 1 hours/],
    ['SNAPSHOT_RETENTION_DAYS', '4000', /SNAPSHOT_RETENTION_DAYS must be at most 3650 days/],
    ['GC_BATCH', '5', /GC_BATCH must be at least 10 documents/],
  ])('%s=%s is refused', (name, value, message) => {
    const result = retentionEnvSchema.safeParse({ [name]: value });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual([name]);
    expect(result.error?.issues[0]?.message).toMatch(message);
  });
});
