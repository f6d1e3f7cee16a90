// Webhook subscriptions. A subscription's signing secret is generated here, returned once by `create()`
// (the only time it leaves the database towards a person), and read back only by `forDelivery()`, which
// the delivery job uses to sign. It must be stored in plaintext because signing needs it (unlike API keys,
// which are only ever compared). Listing and every other read leave it out, and no caller logs it.
//
// Few operator-made documents: listing and matching are scans by design (no secondary index); delivery
// is an `_id` point read.
import { randomBytes } from 'node:crypto';
import {
  hasFilters,
  isEventTypePattern,
  matchesEventType,
  PipelineError,
  type ReaderFilters,
  readerFiltersSchema,
} from '@paperwire/core';
import { toBsonDates, toIsoDates } from '../bson-dates.ts';
import type { Models } from '../models.ts';
import { declareQuery } from '../queries.ts';

/** What is stored. */
interface StoredWebhook {
  _id: string;
  url: string;
  eventTypes: string[];
  /** Reader filters: only events about a paper matching one of them are delivered. */
  filters?: ReaderFilters;
  secret: string;
  enabled: boolean;
  createdAt: string;
}

/** A subscription as shown to people and code: never the secret. */
export interface WebhookRecord {
  id: string;
  url: string;
  eventTypes: string[];
  filters?: ReaderFilters;
  enabled: boolean;
  createdAt: string;
}

/** What the delivery job needs: where to send and how to sign. */
export interface WebhookTarget {
  id: string;
  url: string;
  secret: string;
  enabled: boolean;
}

export class WebhookError extends PipelineError {
  constructor(message: string, code: 'webhook-unknown' | 'webhook-invalid') {
    super(message, { code, retryable: false });
  }
}

export const WEBHOOK_ID = /^wh_[0-9a-f]{16}$/;
const SECRET_PREFIX = 'whsec_';
const MAX_URL_LENGTH = 2_000;
const MAX_EVENT_TYPES = 50;

const toRecord = (doc: StoredWebhook): WebhookRecord => ({
  id: doc._id,
  url: doc.url,
  eventTypes: [...doc.eventTypes],
  ...(doc.filters ? { filters: doc.filters } : {}),
  enabled: doc.enabled,
  createdAt: doc.createdAt,
});

/** http(s) only, no credentials in the URL (they would be shown by `list`). SSRF is checked at delivery. */
function checkUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new WebhookError('webhooks: the URL is not a valid absolute URL', 'webhook-invalid');
  }
  if (url.length > MAX_URL_LENGTH)
    throw new WebhookError(
      `webhooks: the URL is longer than ${MAX_URL_LENGTH} characters`,
      'webhook-invalid',
    );
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw new WebhookError('webhooks: the URL must be http:// or https://', 'webhook-invalid');
  if (parsed.username || parsed.password)
    throw new WebhookError('webhooks: the URL must not carry a user name or password', 'webhook-invalid');
  return parsed.href;
}

function checkEventTypes(eventTypes: readonly string[]): string[] {
  const wanted = [...new Set(eventTypes)];
  if (wanted.length === 0 || wanted.length > MAX_EVENT_TYPES)
    throw new WebhookError(`webhooks: give 1 to ${MAX_EVENT_TYPES} event types`, 'webhook-invalid');
  const bad = wanted.filter((t) => !isEventTypePattern(t));
  if (bad.length > 0)
    throw new WebhookError(
      `webhooks: not an event type or pattern: ${bad.map((b) => JSON.stringify(b.slice(0, 60))).join(', ')} ` +
        '(an exact type such as trending.entered, a prefix such as paper.*, or *)',
      'webhook-invalid',
    );
  return wanted;
}

export function webhooksRepository(models: Models) {
  const { Webhook } = models;
  const all = async () =>
    toIsoDates((await Webhook.find({}).sort({ createdAt: 1, _id: 1 }).lean()) as unknown as StoredWebhook[]);

  return {
    /** Subscribes `url` to `eventTypes`; returns the secret in plaintext, the only time it is shown. */
    async create(
      input: { url: string; eventTypes: readonly string[]; filters?: ReaderFilters },
      now: Date,
    ): Promise<{ secret: string; record: WebhookRecord }> {
      const filters = input.filters === undefined ? undefined : readerFiltersSchema.safeParse(input.filters);
      if (filters && !filters.success)
        throw new WebhookError(
          'webhooks: filters must be lists of categories, authors, organizations or keywords',
          'webhook-invalid',
        );
      const doc: StoredWebhook = {
        _id: `wh_${randomBytes(8).toString('hex')}`,
        url: checkUrl(input.url),
        eventTypes: checkEventTypes(input.eventTypes),
        ...(filters?.data && hasFilters(filters.data) ? { filters: filters.data } : {}),
        secret: `${SECRET_PREFIX}${randomBytes(32).toString('base64url')}`,
        enabled: true,
        createdAt: now.toISOString(),
      };
      await Webhook.collection.insertOne(toBsonDates(doc) as never);
      return { secret: doc.secret, record: toRecord(doc) };
    },

    /** Every subscription, oldest first; never a secret. */
    async list(): Promise<WebhookRecord[]> {
      return (await all()).map(toRecord);
    },

    /** Removes a subscription; deliveries already queued for it are then skipped. */
    async remove(id: string): Promise<WebhookRecord> {
      const doc = WEBHOOK_ID.test(id)
        ? toIsoDates((await Webhook.findById(id).lean()) as StoredWebhook | null)
        : null;
      if (!doc)
        throw new WebhookError(
          `webhooks: no subscription "${id.slice(0, 60)}" (see \`paperwire webhooks list\`)`,
          'webhook-unknown',
        );
      await Webhook.deleteOne({ _id: id });
      return toRecord(doc);
    },

    /**
     * Ids of the enabled subscriptions whose event types match `type` (the fan-out's question); one with
     * reader filters only when `accepts(filters)` (the event is about a paper that matches them).
     */
    async matching(
      type: string,
      accepts: (filters: ReaderFilters) => boolean = () => true,
    ): Promise<string[]> {
      return (await all())
        .filter((w) => w.enabled && matchesEventType(w.eventTypes, type))
        .filter((w) => !w.filters || !hasFilters(w.filters) || accepts(w.filters))
        .map((w) => w._id);
    },

    /** Where to send and the secret to sign with: one point read. Undefined once removed. */
    async forDelivery(id: string): Promise<WebhookTarget | undefined> {
      if (!WEBHOOK_ID.test(id)) return undefined;
      const doc = toIsoDates((await Webhook.findById(id).lean()) as StoredWebhook | null);
      return doc ? { id: doc._id, url: doc.url, secret: doc.secret, enabled: doc.enabled } : undefined;
    },
  };
}
export type WebhooksRepository = ReturnType<typeof webhooksRepository>;

// The queries above besides `_id` reads, and the index each relies on (checked by queries.test.ts).
declareQuery({
  name: 'webhooks.list() and the fan-out',
  collection: 'webhooks',
  sort: { createdAt: 1, _id: 1 },
  index: { scan: 'a handful of subscriptions, read whole to match an event against each' },
});
