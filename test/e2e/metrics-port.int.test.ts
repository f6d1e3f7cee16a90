// METRICS_PORT: a worker-only process (`paperwire start --only fetcher`) serves its own Prometheus counters
// on GET /metrics (on 127.0.0.1 unless METRICS_HOST says otherwise, with no feed URL or address in it),
// closes the port when it stops, and refuses to start when the port is taken.
import { createServer as createHttpServer, type Server } from 'node:http';
import { type AddressInfo, createServer as createTcpServer } from 'node:net';
import { networkInterfaces } from 'node:os';
import { commonEnvSchema, createLogger } from '@paperwire/platform';
import { createRuntime, feedRegistry, type Runtime } from '@paperwire/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../support/cli.ts';
import { testMongoUri, testRedisUrl, uniquePrefix } from '../support/services.ts';

const FEED = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Metrics feed</title><link>http://127.0.0.1/</link><description>m</description>
<item><title>Counting Fetches in Worker Processes</title><link>https://arxiv.org/abs/2612.40001v1</link>
<guid isPermaLink="false">metrics-1</guid><pubDate>${new Date().toUTCString()}</pubDate></item>
</channel></rss>`;

async function freePort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

const env: Record<string, string> = {
  MONGODB_URI: '',
  REDIS_URL: '',
  PAPERWIRE_QUEUE_PREFIX: uniquePrefix('metrics-port'),
  PAPERWIRE_ALLOW_PRIVATE_NETWORKS: 'true',
  PAPERWIRE_SEED_DEFAULT_FEEDS: 'false',
  BUDGET_WEB_HOST_MS: '0',
  LOG_LEVEL: 'info',
};
let feeds: Server;
let rt: Runtime;

beforeAll(async () => {
  env.MONGODB_URI = testMongoUri('metrics-port');
  env.REDIS_URL = testRedisUrl();
  feeds = createHttpServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(FEED),
  );
  await new Promise<void>((r) => feeds.listen(0, '127.0.0.1', r));
  rt = await createRuntime(
    commonEnvSchema.parse({ ...env, LOG_LEVEL: 'warn' }),
    createLogger({ service: 'test', level: 'warn' }),
  );
});

afterAll(async () => {
  await rt?.shutdown.run('test finished');
  feeds?.closeAllConnections();
  await new Promise((r) => feeds?.close(r));
});

describe('METRICS_PORT', () => {
  it('a fetcher-only process serves its own counters in Prometheus text', { timeout: 90_000 }, async () => {
    const port = await freePort();
    const fetcher = await startCli(
      ['start', '--only', 'fetcher'],
      { ...env, METRICS_PORT: String(port) },
      /paperwire: started/,
    );
    try {
      const url = `http://127.0.0.1:${port}/metrics`;
      const { port: feedPort } = feeds.address() as AddressInfo;
      await feedRegistry(rt.db, rt.queues).add(
        { url: `http://127.0.0.1:${feedPort}/metrics.rss`, kind: 'rss', intervalMinutes: 60 },
        new Date(),
      );
      // The counter is this process's own: it appears once its worker has fetched the feed.
      const stored = /^paperwire_fetches_total\{source="web",outcome="stored",error_class="none"\} 1$/m;
      let body = '';
      const deadline = Date.now() + 30_000;
      while (!stored.test(body)) {
        if (Date.now() > deadline) throw new Error(`no stored fetch in the metrics:\n${body}`);
        await new Promise((r) => setTimeout(r, 200));
        const res = await fetch(url);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
        body = await res.text();
      }
      expect(body).toContain('# TYPE paperwire_jobs_total counter');
      expect(body).toMatch(/^paperwire_jobs_total\{queue="fetch",job="fetch-feed",outcome="completed"\} 1$/m);
      expect(body).toContain('# TYPE paperwire_process_cpu_user_seconds_total counter');
      expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
      // Labels are bounded enums: the feed's URL, host and port appear nowhere.
      for (const leak of [`127.0.0.1`, `:${feedPort}`, 'metrics.rss', env.MONGODB_URI, env.REDIS_URL])
        expect(body).not.toContain(leak);
      // METRICS_HOST defaults to loopback: the port is not reachable on this machine's other addresses.
      const external = Object.values(networkInterfaces())
        .flat()
        .find((a) => a && a.family === 'IPv4' && !a.internal);
      if (external)
        await expect(
          fetch(`http://${external.address}:${port}/metrics`, { signal: AbortSignal.timeout(5_000) }),
        ).rejects.toThrow();
    } finally {
      expect(await fetcher.stop()).toBe(143);
    }
    await expect(fetch(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow();
  });

  it('refuses to start when the port is taken, naming METRICS_PORT', { timeout: 60_000 }, async () => {
    const taken = createTcpServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    try {
      const { port } = taken.address() as AddressInfo;
      const res = await runCli(['start', '--only', 'fetcher'], { ...env, METRICS_PORT: String(port) });
      expect(res.code).toBe(1);
      expect(res.stderr).toContain(`runtime: cannot serve metrics on 127.0.0.1:${port} (METRICS_PORT)`);
      expect(res.stderr).toContain('EADDRINUSE');
    } finally {
      await new Promise((r) => taken.close(r));
    }
  });

  it('exits 78 when METRICS_PORT is not a port', async () => {
    const res = await runCli(['start', '--only', 'fetcher'], { ...env, METRICS_PORT: '70000' });
    expect(res.code).toBe(78);
    expect(res.stderr).toMatch(/METRICS_PORT: .*\(got "70000"\)/);
  });
});
