// The hook the event relay calls for every event it publishes: one `deliver-webhook` job per enabled
// subscription whose filter matches. The job id `wh.<subscriptionId>.<eventId>` makes a second fan-out of
// the same event a no-op while the first delivery job is kept (6 h after it completes); past that, the
// receiver drops the duplicate by its Paperwire-Event-Id. Lives with the job catalogue: the relay and the
// CLI's in-process pipeline call it, and neither may import the webhooks service.
import { eventFilterPaper, matchesFilters, type ReaderFilters } from '@paperwire/core';
import type { JobsOptions } from 'bullmq';
import { jobId } from './catalogue.ts';
import type { Queues } from './queues.ts';

/**
 * What a webhook carries; structurally the relay's `PaperwireEvent`.
 * Kept to the envelope: delivery never looks inside `data`; fan-out does only for reader filters.
 */
export interface WebhookEvent {
  id: string;
  type: string;
  version: number;
  occurredAt: string;
  data: unknown;
}

export interface FanOutDeps {
  /** Structurally `Pick<Database, 'webhooks'>` (shared/jobs does not depend on shared/db). */
  db: {
    webhooks: {
      matching(eventType: string, accepts: (filters: ReaderFilters) => boolean): Promise<string[]>;
    };
  };
  queues: Pick<Queues, 'enqueue'>;
  /** Overrides of the catalogue's job options (tests shorten the backoff). */
  jobOptions?: Omit<JobsOptions, 'jobId'>;
}

/** `wh.<subscriptionId>.<eventId>` (':' in the event id becomes '_', as BullMQ requires). */
export const webhookJobId = (subscriptionId: string, eventId: string): string =>
  jobId('wh', subscriptionId, eventId);

export function fanOutToWebhooks(deps: FanOutDeps): (event: WebhookEvent) => Promise<void> {
  return async (event) => {
    // A subscription with reader filters gets only events about one paper that matches them.
    const paper = eventFilterPaper(event);
    const subscriptions = await deps.db.webhooks.matching(event.type, (filters) =>
      paper ? matchesFilters(paper, filters) : false,
    );
    await Promise.all(
      subscriptions.map((subscriptionId) =>
        deps.queues.enqueue(
          'deliver-webhook',
          { subscriptionId, event },
          { ...deps.jobOptions, jobId: webhookJobId(subscriptionId, event.id) },
        ),
      ),
    );
  };
}
