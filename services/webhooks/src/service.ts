// The webhook sender as a component: given a runtime, start the `webhooks` worker; shutdown closes it.
import { createHttpClient } from '@paperwire/http';
import { createWorker } from '@paperwire/jobs';
import { PAPERWIRE_VERSION } from '@paperwire/platform';
import type { Runtime } from '@paperwire/runtime';
import type { Worker } from 'bullmq';
import type { WebhooksConfig } from './config.ts';
import { deliverWebhookHandler } from './jobs/deliver-webhook.job.ts';

export function startWebhooks(
  rt: Runtime,
  config: Pick<
    WebhooksConfig,
    'PAPERWIRE_ALLOW_PRIVATE_NETWORKS' | 'PAPERWIRE_CONTACT' | 'WEBHOOK_CONCURRENCY' | 'WEBHOOK_TIMEOUT_MS'
  >,
): Worker {
  const http = createHttpClient({
    userAgent: `Paperwire-Webhooks/${PAPERWIRE_VERSION} (+${config.PAPERWIRE_CONTACT})`,
    allowPrivateNetworks: config.PAPERWIRE_ALLOW_PRIVATE_NETWORKS,
    connectTimeoutMs: config.WEBHOOK_TIMEOUT_MS,
    headersTimeoutMs: config.WEBHOOK_TIMEOUT_MS,
    bodyTimeoutMs: config.WEBHOOK_TIMEOUT_MS,
    totalTimeoutMs: config.WEBHOOK_TIMEOUT_MS,
    // Receivers' answers are discarded; read at most this much of one so the connection can be reused.
    maxBodyBytes: 64 * 1024,
  });
  const worker = createWorker(
    'webhooks',
    { 'deliver-webhook': deliverWebhookHandler({ db: rt.db, http, now: () => new Date() }) },
    { connection: rt.workerRedis, prefix: rt.prefix, log: rt.log, concurrency: config.WEBHOOK_CONCURRENCY },
  );
  rt.shutdown.add({ name: 'webhooks worker', phase: 'workers', run: () => worker.close() });
  rt.shutdown.add({ name: 'webhooks http client', phase: 'connections', run: () => http.close() });
  return worker;
}
