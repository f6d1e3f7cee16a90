// The scheduler validates its retention and gc settings at start, naming the setting it refuses.
import { describe, expect, it } from 'vitest';
import { loadSchedulerConfig } from './config.ts';

const base = { MONGODB_URI: 'mongodb://db:27017/paperwire', REDIS_URL: 'redis://redis:6379' };

describe('scheduler config', () => {
  it('defaults: gc every 60 minutes, payloads 30 days, relayed events 24 hours, snapshots 7 days', () => {
    expect(loadSchedulerConfig(base)).toMatchObject({
      GC_EVERY_MINUTES: 60,
      PAYLOAD_RETENTION_DAYS: 30,
      OUTBOX_GRACE_HOURS: 24,
      SNAPSHOT_RETENTION_DAYS: 7,
      GC_BATCH: 500,
    });
  });

  it.each([
    ['GC_EVERY_MINUTES', '1'],
    ['GC_EVERY_MINUTES', '20000'],
    ['PAYLOAD_RETENTION_DAYS', '0'],
    ['OUTBOX_GRACE_HOURS', '-3'],
  ])('refuses %s=%s, naming it', (name, value) => {
    expect(() => loadSchedulerConfig({ ...base, [name]: value })).toThrow(name);
  });
});
