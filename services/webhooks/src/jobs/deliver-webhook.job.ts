// deliver-webhook: load the subscription (one point read) → build the signed request (pure) → POST it
// through the guarded client → classify the answer (pure) → delivered, or an error the worker turns into a
// retry (exponential backoff, or the receiver's Retry-After) or a dead letter (the failed set).
//
// Every try is signed afresh with the current time, so a replayed dead letter passes the receiver's
// tolerance; the body and Paperwire-Event-Id stay the same. Neither the secret nor the URL's path or query
// (which often carries a token) goes into an error message or a log line: only the subscription id and
// the receiver's origin.
import { FeedHttpError, MAX_RETRY_AFTER_MS, PipelineError } from '@paperwire/core';
import type { Database } from '@paperwire/db';
import { type HttpClient, parseRetryAfter, type ResponseHeaders } from '@paperwire/http';
import type { Handler, WebhookEvent } from '@paperwire/jobs';
import { metrics } from '@paperwire/platform';
import { DelayedError } from 'bullmq';
import { signWebhook, WEBHOOK_HEADERS } from '../signature.ts';

export interface DeliverWebhookDeps {
  db: Pick<Database, 'webhooks'>;
  http: Pick<HttpClient, 'post'>;
  now: () => Date;
}

export type DeliverWebhookResult =
  | { status: 'delivered'; statusCode: number }
  | { status: 'skipped'; reason: 'subscription-removed' | 'subscription-disabled' };

/** A delivery that did not get a 2xx. `retryable` decides between a retry and the dead-letter list. */
export class WebhookDeliveryError extends PipelineError {
  readonly status?: number;
  readonly retryAfterMs?: number;

  constructor(
    message: string,
    options: { kind: string; retryable: boolean; status?: number; retryAfterMs?: number },
  ) {
    super(message, { code: `webhook-${options.kind}`, retryable: options.retryable });
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

export interface WebhookRequest {
  body: string;
  headers: Record<string, string>;
}

/** The body (`{ id, type, version, occurredAt, data }`, nothing else) and its signed headers. Pure. */
export function buildWebhookRequest(event: WebhookEvent, secret: string, now: Date): WebhookRequest {
  const { id, type, version, occurredAt, data } = event;
  const body = JSON.stringify({ id, type, version, occurredAt, data });
  const signature = signWebhook(secret, body, Math.floor(now.getTime() / 1000));
  return {
    body,
    headers: {
      'content-type': 'application/json',
      [WEBHOOK_HEADERS.eventId]: id,
      [WEBHOOK_HEADERS.eventType]: type,
      [WEBHOOK_HEADERS.timestamp]: String(signature.timestamp),
      [WEBHOOK_HEADERS.signature]: signature.header,
    },
  };
}

/**
 * 2xx: delivered. 408, 429 and 5xx: retried (after Retry-After when given). Any other status (3xx, 4xx):
 * the receiver refused it, so retrying would not help: straight to the dead-letter list. Pure.
 */
export function classifyAnswer(
  statusCode: number,
  headers: ResponseHeaders,
  now: Date,
  where: string,
): WebhookDeliveryError | undefined {
  if (statusCode >= 200 && statusCode < 300) return undefined;
  const retryable = statusCode >= 500 || statusCode === 408 || statusCode === 429;
  const retryAfter = retryable ? parseRetryAfter(headers['retry-after'], now) : undefined;
  return new WebhookDeliveryError(`webhooks: ${where} answered ${statusCode}`, {
    kind: statusCode >= 500 ? 'http-5xx' : statusCode >= 400 ? 'http-4xx' : 'http-other',
    retryable,
    status: statusCode,
    retryAfterMs: retryAfter === undefined ? undefined : Math.min(retryAfter, MAX_RETRY_AFTER_MS),
  });
}

/** A transport failure as a delivery error: blocked targets are final; DNS, connect and timeouts retry. */
function transportFailure(error: unknown, where: string): WebhookDeliveryError {
  if (!(error instanceof FeedHttpError)) throw error;
  const blocked = error.errorClass === 'blocked';
  const what = blocked
    ? 'refused: the address is not allowed (private, link-local or metadata)'
    : error.errorClass;
  return new WebhookDeliveryError(`webhooks: ${where} ${what}`, {
    kind: error.errorClass,
    retryable: error.retryable,
  });
}

export function deliverWebhookHandler(deps: DeliverWebhookDeps): Handler<'deliver-webhook'> {
  return async ({ subscriptionId, event }, { job, log }): Promise<DeliverWebhookResult> => {
    const context = { subscriptionId, eventId: event.id, eventType: event.type };
    const target = await deps.db.webhooks.forDelivery(subscriptionId);
    if (!target?.enabled) {
      const reason = target ? 'subscription-disabled' : 'subscription-removed';
      log.info({ ...context, reason }, 'webhooks: delivery skipped');
      metrics.webhookDeliveries.inc({ outcome: 'skipped' });
      return { status: 'skipped', reason };
    }
    const now = deps.now();
    const where = `delivery of ${event.id} to ${subscriptionId} (${new URL(target.url).origin})`;
    const request = buildWebhookRequest(event, target.secret, now);

    let failure: WebhookDeliveryError | undefined;
    try {
      const answer = await deps.http.post(target.url, request.body, { headers: request.headers });
      failure = classifyAnswer(answer.statusCode, answer.headers, now, where);
      if (!failure) {
        log.info({ ...context, statusCode: answer.statusCode }, 'webhooks: delivered');
        metrics.webhookDeliveries.inc({ outcome: 'delivered' });
        return { status: 'delivered', statusCode: answer.statusCode };
      }
    } catch (error) {
      failure = transportFailure(error, where);
    }

    // Every try counts against `attempts`, including tries delayed by Retry-After (which BullMQ does not
    // count as attempts), so a receiver that always answers 429 still ends in the dead-letter list.
    const attempts = job.opts.attempts ?? 1;
    const exhausted = failure.retryable && job.attemptsStarted >= attempts;
    metrics.webhookDeliveries.inc({
      outcome: failure.retryable && !exhausted ? 'retried' : 'dead-lettered',
    });
    if (exhausted) {
      throw new WebhookDeliveryError(`${failure.message} (gave up after ${attempts} tries)`, {
        kind: 'exhausted',
        retryable: false,
        status: failure.status,
      });
    }
    if (failure.retryable && failure.retryAfterMs !== undefined && job.token) {
      await job.moveToDelayed(now.getTime() + failure.retryAfterMs, job.token);
      log.info(
        { ...context, delayMs: failure.retryAfterMs, reason: failure.message },
        'webhooks: delayed by Retry-After',
      );
      throw new DelayedError();
    }
    throw failure;
  };
}
