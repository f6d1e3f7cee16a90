// Prometheus metrics: one registry per process. Counters and histograms are recorded where the work
// happens (workers, fetch job, resolver); queue depths and score lag are read on scrape from the sources a
// process registers with `onScrape` (the API registers its queues and database), so a scrape always sees
// the current state, not the state some worker last saw.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export const metricsRegistry = new Registry();

/** What `onScrape` sources report: BullMQ counts per queue and how far the ranking lags. */
export interface QueueSample {
  queue: string;
  counts: Record<'waiting' | 'active' | 'delayed' | 'completed' | 'failed', number>;
  /** Age of the oldest waiting job, seconds (0 when none waits). */
  oldestWaitingSeconds: number;
}
export interface ScrapeSnapshot {
  queues: QueueSample[];
  /** Seconds since the current ranking snapshot was published (undefined before the first one). */
  scoreLagSeconds?: number;
  /** Papers marked dirty and not yet re-scored. */
  dirtyPapers?: number;
}
export type ScrapeSource = () => Promise<ScrapeSnapshot>;

const sources = new Set<ScrapeSource>();
let inFlight: Promise<ScrapeSnapshot[]> | undefined;

/** Registers a source read on every scrape; returns its unregister function. */
export function onScrape(source: ScrapeSource): () => void {
  sources.add(source);
  return () => sources.delete(source);
}

// Several gauges read the same snapshot; registry.metrics() collects them concurrently, so they share one
// in-flight read instead of asking BullMQ once per gauge.
function snapshots(): Promise<ScrapeSnapshot[]> {
  inFlight ??= Promise.all([...sources].map((s) => s())).finally(() => {
    inFlight = undefined;
  });
  return inFlight;
}

export const metrics = {
  queueJobs: new Gauge({
    name: 'paperwire_queue_jobs',
    help: 'Jobs per queue and state, read from BullMQ on scrape',
    labelNames: ['queue', 'state'] as const,
    registers: [metricsRegistry],
    async collect() {
      this.reset();
      for (const snap of await snapshots())
        for (const q of snap.queues)
          for (const [state, n] of Object.entries(q.counts)) this.set({ queue: q.queue, state }, n);
    },
  }),
  queueOldestWaiting: new Gauge({
    name: 'paperwire_queue_oldest_waiting_seconds',
    help: 'Age of the oldest waiting job per queue, seconds (0 when nothing waits)',
    labelNames: ['queue'] as const,
    registers: [metricsRegistry],
    async collect() {
      this.reset();
      for (const snap of await snapshots())
        for (const q of snap.queues) this.set({ queue: q.queue }, q.oldestWaitingSeconds);
    },
  }),
  scoreLag: new Gauge({
    name: 'paperwire_score_lag_seconds',
    help: 'Seconds since the current 24h ranking snapshot was published',
    registers: [metricsRegistry],
    async collect() {
      this.reset();
      const lags = (await snapshots()).flatMap((s) =>
        s.scoreLagSeconds === undefined ? [] : [s.scoreLagSeconds],
      );
      if (lags.length > 0) this.set(Math.max(...lags));
    },
  }),
  dirtyPapers: new Gauge({
    name: 'paperwire_dirty_papers',
    help: 'Papers marked for re-scoring and not yet scored',
    registers: [metricsRegistry],
    async collect() {
      this.reset();
      const counts = (await snapshots()).flatMap((s) => (s.dirtyPapers === undefined ? [] : [s.dirtyPapers]));
      if (counts.length > 0) this.set(Math.max(...counts));
    },
  }),
  jobDuration: new Histogram({
    name: 'paperwire_job_duration_seconds',
    help: 'Time a job attempt took from start to finish, seconds',
    labelNames: ['queue', 'job', 'outcome'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [metricsRegistry],
  }),
  jobs: new Counter({
    name: 'paperwire_jobs_total',
    help: 'Job attempts by outcome: completed, retried (will run again) or failed (dead-lettered)',
    labelNames: ['queue', 'job', 'outcome'] as const,
    registers: [metricsRegistry],
  }),
  fetches: new Counter({
    name: 'paperwire_fetches_total',
    help: 'Feed fetches by source, outcome and error class (error_class="none" on success)',
    labelNames: ['source', 'outcome', 'error_class'] as const,
    registers: [metricsRegistry],
  }),
  entriesParsed: new Counter({
    name: 'paperwire_entries_parsed_total',
    help: 'Feed entries parsed and normalised into observations, by source',
    labelNames: ['source'] as const,
    registers: [metricsRegistry],
  }),
  entriesSkipped: new Counter({
    name: 'paperwire_entries_skipped_total',
    help: 'Feed entries skipped by the parser or normaliser, by source',
    labelNames: ['source'] as const,
    registers: [metricsRegistry],
  }),
  papers: new Counter({
    name: 'paperwire_papers_total',
    help: 'Paper records changed by the resolver: created, revised or merged',
    labelNames: ['change'] as const,
    registers: [metricsRegistry],
  }),
  relayLag: new Histogram({
    name: 'paperwire_event_relay_lag_seconds',
    help: 'Time from an event occurring (its occurredAt) to the relay putting it on the stream, seconds',
    labelNames: ['type'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800],
    registers: [metricsRegistry],
  }),
  webhookDeliveries: new Counter({
    name: 'paperwire_webhook_deliveries_total',
    help: 'Webhook delivery tries by outcome: delivered, retried (will try again), dead-lettered, skipped',
    labelNames: ['outcome'] as const,
    registers: [metricsRegistry],
  }),
  gcDeleted: new Counter({
    name: 'paperwire_gc_deleted_total',
    help: 'Documents deleted by retention (paperwire gc and the periodic gc job), by collection',
    labelNames: ['collection'] as const,
    registers: [metricsRegistry],
  }),
  gcRuns: new Counter({
    name: 'paperwire_gc_runs_total',
    help: 'Retention runs (paperwire gc and the periodic gc job) by outcome: completed or failed',
    labelNames: ['outcome'] as const,
    registers: [metricsRegistry],
  }),
  dedupDecisions: new Counter({
    name: 'paperwire_dedup_decisions_total',
    help: 'Resolver decisions per observation: new paper, matched an existing one, merged papers, missing',
    labelNames: ['decision'] as const,
    registers: [metricsRegistry],
  }),
};

let processMetrics = false;
/** Adds Node's process metrics (CPU, memory, event loop lag) to the registry, once. */
export function enableProcessMetrics(): void {
  if (processMetrics) return;
  processMetrics = true;
  collectDefaultMetrics({ register: metricsRegistry, prefix: 'paperwire_' });
}

export async function metricsText(): Promise<{ contentType: string; body: string }> {
  return { contentType: metricsRegistry.contentType, body: await metricsRegistry.metrics() };
}

/**
 * Serves GET /metrics on its own port, for processes without the API (a fetcher or resolver alone exposes
 * its own counters this way when METRICS_PORT is set). Resolves with the URL and a close function.
 */
export async function serveMetrics(
  port: number,
  host = '127.0.0.1',
): Promise<{ url: string; close: () => Promise<void> }> {
  enableProcessMetrics();
  const server: Server = createServer((req, res) => {
    if ((req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    metricsText().then(
      ({ contentType, body }) => res.writeHead(200, { 'content-type': contentType }).end(body),
      (err: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(err.message),
    );
  });
  // A taken port must be an error the caller can report, not an unhandled 'error' event.
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${bound}/metrics`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
