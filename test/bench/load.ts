// The API load generator, run by run.ts as a second process (so its CPU is not the API's): autocannon at a
// fixed overall rate against one route, each request's path drawn in turn from the given list. Prints one
// JSON line with req/s and latency percentiles.
//
//   node --import tsx test/bench/load.ts '{"url":"http://127.0.0.1:8080","paths":["/trending"],"rate":500,"seconds":10}'
import autocannon from 'autocannon';

interface LoadSpec {
  url: string;
  paths: string[];
  /** Requests per second, over all connections. */
  rate: number;
  seconds: number;
  connections?: number;
}

export interface LoadResult {
  requests: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}

const spec = JSON.parse(process.argv[2] ?? '{}') as LoadSpec;
let next = 0;
const result = await autocannon({
  url: spec.url,
  connections: spec.connections ?? 20,
  overallRate: spec.rate,
  duration: spec.seconds,
  requests: [
    {
      setupRequest: (req) => {
        const path = spec.paths[next++ % spec.paths.length]!;
        return { ...req, path };
      },
    },
  ],
});
const out: LoadResult = {
  requests: result.requests.total,
  requestsPerSecond: result.requests.average,
  latencyMs: {
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    mean: result.latency.average,
  },
  non2xx: result.non2xx,
  errors: result.errors,
  timeouts: result.timeouts,
};
process.stdout.write(`${JSON.stringify(out)}\n`);
