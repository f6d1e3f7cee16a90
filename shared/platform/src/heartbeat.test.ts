import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHeartbeat } from './heartbeat.ts';

const log = pino({ level: 'silent' });

describe('startHeartbeat', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'paperwire-heartbeat-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the time while the check passes, and stops writing while it fails', async () => {
    const file = join(dir, 'heartbeat');
    let healthy = true;
    let clock = new Date();
    const heartbeat = startHeartbeat({
      file,
      intervalMs: 3_600_000,
      check: async () => {
        if (!healthy) throw new Error('redis: no answer');
      },
      log,
      now: () => clock,
    });
    try {
      expect(await heartbeat.beat()).toBe(true);
      expect((await readFile(file, 'utf8')).trim()).toBe(clock.toISOString());

      healthy = false;
      const before = clock.toISOString();
      clock = new Date(clock.getTime() + 60_000);
      expect(await heartbeat.beat()).toBe(false);
      expect((await readFile(file, 'utf8')).trim()).toBe(before);

      healthy = true;
      expect(await heartbeat.beat()).toBe(true);
      expect((await readFile(file, 'utf8')).trim()).toBe(clock.toISOString());
      await expect(stat(`${file}.tmp`)).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      heartbeat.stop();
    }
  });
});
