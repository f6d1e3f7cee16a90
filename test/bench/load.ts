// The API load generator, run by run.ts as a second process (so its CPU is not the API's): an open-loop
// generator at a fixed rate against one route, each request's path drawn in turn from the given list.
// Prints one JSON line with req/s and latency percentiles.
//
// Open loop: request i is due at start + i / rate and is sent then, whether or not earlier ones have been
// answered (queueing for one of `connections` keep-alive sockets if all are busy), and its latency is
// counted from when it was due, so a stalled server cannot hide its stall by slowing the generator down
// (coordinated omission). (autocannon's `overallRate`, used before, lets each connection send its share of
// a second back to back at the start of that second: 500 req/s arrived as one burst per second.)
//
//   node --import tsx test/bench/load.ts '{"url":"http://127.0.0.1:8080","paths":["/trending"],"rate":500,"seconds":10}'
import { Agent, request } from 'node:http';

interface LoadSpec {
  url: string;
  paths: string[];
  /** Requests per second, evenly spaced. */
  rate: number;
  seconds: number;
  /** Keep-alive sockets at most. */
  connections?: number;
}

export interface LoadResult {
  requests: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  /** CPU of this generator process from its start (tsx included) to the end of the run, seconds. */
  cpuSeconds: number;
}

const TIMEOUT_MS = 10_000;

/** The q-quantile (0..1) of sorted values, nearest rank. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

async function run(spec: LoadSpec): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: spec.connections ?? 20 });
  const total = Math.max(1, Math.round(spec.rate * spec.seconds));
  const gapMs = 1000 / spec.rate;
  const latencies: number[] = [];
  let sent = 0;
  let settled = 0;
  let non2xx = 0;
  let errors = 0;
  let timeouts = 0;
  const start = performance.now();
  await new Promise<void>((done) => {
    const settle = () => {
      if (++settled === total) done();
    };
    const send = () => {
      const due = start + sent * gapMs;
      const path = spec.paths[sent % spec.paths.length]!;
      sent++;
      const req = request(new URL(path, spec.url), { agent }, (res) => {
        const status = res.statusCode ?? 0;
        res.resume();
        res.on('end', () => {
          latencies.push(performance.now() - due);
          if (status < 200 || status >= 300) non2xx++;
          settle();
        });
      });
      let timedOut = false;
      req.setTimeout(TIMEOUT_MS, () => {
        timedOut = true;
        timeouts++;
        req.destroy(new Error('timeout'));
      });
      req.on('error', () => {
        if (!timedOut) errors++;
        settle();
      });
      req.end();
    };
    const tick = () => {
      const dueNow = Math.min(total, Math.floor((performance.now() - start) / gapMs) + 1);
      while (sent < dueNow) send();
      if (sent < total) setTimeout(tick, Math.max(0, start + sent * gapMs - performance.now()));
    };
    tick();
  });
  const seconds = (performance.now() - start) / 1000;
  agent.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  const mean = sorted.reduce((s, v) => s + v, 0) / Math.max(1, sorted.length);
  const ms = (v: number) => Math.round(v * 100) / 100;
  const cpu = process.cpuUsage();
  return {
    requests: sorted.length,
    requestsPerSecond: sorted.length / seconds,
    latencyMs: {
      p50: ms(quantile(sorted, 0.5)),
      p90: ms(quantile(sorted, 0.9)),
      p99: ms(quantile(sorted, 0.99)),
      max: ms(sorted.at(-1) ?? Number.NaN),
      mean: ms(mean),
    },
    non2xx,
    errors,
    timeouts,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
}

if (process.argv[1] === import.meta.filename) {
  const result = await run(JSON.parse(process.argv[2] ?? '{}') as LoadSpec);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
