// infra/docker/healthcheck.mjs, run as the container runs it, against the heartbeat file a real process
// writes (shared/platform heartbeat) and a real HTTP server on 127.0.0.1.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHeartbeat } from '@paperwire/platform';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('../../infra/docker/healthcheck.mjs', import.meta.url));

function healthcheck(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [SCRIPT, ...args],
      { env: { ...process.env, ...env }, timeout: 60_000 },
      (err, _out, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stderr }),
    );
  });
}

describe('healthcheck.mjs worker', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'paperwire-healthcheck-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is unhealthy without a heartbeat, healthy once the process beats, unhealthy when it goes stale', async () => {
    const file = join(dir, 'heartbeat');
    const env = { PAPERWIRE_HEARTBEAT_FILE: file, PAPERWIRE_HEARTBEAT_MAX_AGE_MS: '90000' };
    const missing = await healthcheck(['worker'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no heartbeat file');

    const heartbeat = startHeartbeat({
      file,
      intervalMs: 3_600_000,
      check: async () => {},
      log: pino({ level: 'silent' }),
    });
    try {
      expect(await heartbeat.beat()).toBe(true);
      expect((await healthcheck(['worker'], env)).code).toBe(0);

      // A beat five minutes ago, as the process would have written it then.
      await writeFile(file, `${new Date(Date.now() - 5 * 60_000).toISOString()}\n`);
      const stale = await healthcheck(['worker'], env);
      expect(stale.code).toBe(1);
      expect(stale.stderr).toMatch(/s old/);
    } finally {
      heartbeat.stop();
    }
  }, 120_000);
});

describe('healthcheck.mjs http', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      res.statusCode = req.url === '/health' ? 200 : 503;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('is healthy on a 2xx and unhealthy otherwise', async () => {
    expect((await healthcheck(['http', `${base}/health`])).code).toBe(0);
    const down = await healthcheck(['http', `${base}/down`]);
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('503');
  }, 120_000);
});
