// E-mail digests: subscriptions, the record of each digest (written before it is sent), and each
// subscriber's ledger of papers already sent. Everything is read by `_id`:
//  - `digestsubscriptions` `_id` = `ds_` + hash of the address, so an address is one subscription and
//    looking one up by address is a point read;
//  - `digests` `_id` = `<subscriberId>.<period>`, so a retried job finds the digest it recorded;
//  - `digestledgers` `_id` = subscriber id: the papers sent so far (written by the digest job only, under
//    the subscriber's lock: FerretDB updates are read-modify-write without a lock).
// Listing subscriptions is a scan by design (operator-made, few; the planner needs them all anyway).
import {
  DIGEST_CADENCES,
  DIGEST_SUBSCRIBER_ID,
  type DigestCadence,
  type DigestItem,
  digestSubscriberId,
  hasFilters,
  normaliseEmail,
  PipelineError,
  type ReaderFilters,
  readerFiltersSchema,
  WINDOWS,
  type Window,
} from '@paperwire/core';
import { toBsonDates, toIsoDates } from '../bson-dates.ts';
import type { Models } from '../models.ts';
import { declareQuery } from '../queries.ts';
import { isDuplicateKeyError } from './point-reads.ts';

export class DigestError extends PipelineError {
  constructor(message: string, code: 'digest-unknown' | 'digest-invalid') {
    super(message, { code, retryable: false });
  }
}

export interface DigestSubscription {
  id: string;
  email: string;
  windows: Window[];
  categories: string[];
  cadence: DigestCadence;
  /** Reader filters: only papers matching any of them are sent (absent: every paper of the boards). */
  filters?: ReaderFilters;
  createdAt: string;
  updatedAt: string;
  /** Set while unsubscribed; subscribing again clears it (and keeps the ledger: no repeats). */
  unsubscribedAt: string | null;
}

export interface SubscribeInput {
  email: string;
  windows: readonly string[];
  /** Default `['all']`. */
  categories?: readonly string[];
  cadence: string;
  filters?: ReaderFilters;
}

export type DigestStatus = 'recorded' | 'sent' | 'empty';

/** One digest: chosen and rendered before sending, so every try sends exactly this. */
export interface DigestRecord {
  id: string;
  subscriberId: string;
  period: string;
  status: DigestStatus;
  createdAt: string;
  sentAt?: string;
  items: DigestItem[];
  /** Absent for an empty digest (nothing new: nothing sent). */
  message?: {
    messageId: string;
    to: string;
    subject: string;
    text: string;
    html: string;
    unsubscribeUrl: string;
  };
}

type StoredSubscription = Omit<DigestSubscription, 'id' | 'unsubscribedAt'> & {
  _id: string;
  unsubscribedAt?: string;
};
type StoredDigest = Omit<DigestRecord, 'id'> & { _id: string };

const CATEGORY = /^[A-Za-z0-9.-]{1,40}$/;
const MAX_CATEGORIES = 20;

const toSubscription = (d: StoredSubscription): DigestSubscription => ({
  id: d._id,
  email: d.email,
  windows: [...d.windows],
  categories: [...d.categories],
  cadence: d.cadence,
  ...(d.filters && hasFilters(d.filters) ? { filters: d.filters } : {}),
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
  unsubscribedAt: d.unsubscribedAt ?? null,
});

const toRecord = ({ _id, ...rest }: StoredDigest): DigestRecord => ({ id: _id, ...rest });

/** Validates and normalises a subscription's settings; the message names what to fix. */
export function checkSubscription(
  input: SubscribeInput,
): Omit<StoredSubscription, 'createdAt' | 'updatedAt'> {
  const email = normaliseEmail(input.email);
  if (!email)
    throw new DigestError(
      `digests: not an e-mail address we send to: ${JSON.stringify(input.email.slice(0, 100))}`,
      'digest-invalid',
    );
  const windows = [...new Set(input.windows)];
  const badWindows = windows.filter((w) => !(WINDOWS as readonly string[]).includes(w));
  if (windows.length === 0 || badWindows.length > 0)
    throw new DigestError(`digests: windows must be one or more of ${WINDOWS.join(', ')}`, 'digest-invalid');
  const categories = [...new Set(input.categories?.length ? input.categories : ['all'])];
  if (categories.length > MAX_CATEGORIES || categories.some((c) => !CATEGORY.test(c)))
    throw new DigestError(
      `digests: categories must be 1 to ${MAX_CATEGORIES} names such as cs.LG (or all)`,
      'digest-invalid',
    );
  if (!(DIGEST_CADENCES as readonly string[]).includes(input.cadence))
    throw new DigestError(`digests: cadence must be ${DIGEST_CADENCES.join(' or ')}`, 'digest-invalid');
  const filters = input.filters === undefined ? undefined : readerFiltersSchema.safeParse(input.filters);
  if (filters && !filters.success)
    throw new DigestError(
      'digests: filters must be lists of categories, authors, organizations or keywords (at most 50 of 1 to 100 characters each)',
      'digest-invalid',
    );
  return {
    ...(filters?.data && hasFilters(filters.data) ? { filters: filters.data } : {}),
    _id: digestSubscriberId(email),
    email,
    windows: WINDOWS.filter((w) => windows.includes(w)),
    categories,
    cadence: input.cadence as DigestCadence,
  };
}

export function digestsRepository(models: Models) {
  const { DigestSubscription: Subs, Digest, DigestLedger } = models;
  const getStored = async (id: string) =>
    DIGEST_SUBSCRIBER_ID.test(id)
      ? toIsoDates((await Subs.findById(id).lean()) as StoredSubscription | null)
      : null;

  /** By id, or by address (also a point read: the id is derived from it). */
  const find = async (idOrEmail: string): Promise<StoredSubscription | null> => {
    if (DIGEST_SUBSCRIBER_ID.test(idOrEmail)) return getStored(idOrEmail);
    const email = normaliseEmail(idOrEmail);
    return email ? getStored(digestSubscriberId(email)) : null;
  };
  const unknown = (idOrEmail: string) =>
    new DigestError(
      `digests: no subscription ${JSON.stringify(idOrEmail.slice(0, 100))} (see \`paperwire digests list\`)`,
      'digest-unknown',
    );

  return {
    /**
     * Subscribes an address, or changes an existing subscription's settings (and resubscribes it).
     * `created` is false when the address already had a subscription.
     */
    async subscribe(
      input: SubscribeInput,
      now: Date,
    ): Promise<{ subscription: DigestSubscription; created: boolean }> {
      const wanted = checkSubscription(input);
      const existing = await getStored(wanted._id);
      const doc: StoredSubscription = {
        ...wanted,
        createdAt: existing?.createdAt ?? now.toISOString(),
        updatedAt: now.toISOString(),
      };
      await Subs.collection.replaceOne({ _id: doc._id } as never, toBsonDates(doc) as never, {
        upsert: true,
      });
      return { subscription: toSubscription(doc), created: !existing };
    },

    async get(idOrEmail: string): Promise<DigestSubscription | undefined> {
      const doc = await find(idOrEmail);
      return doc ? toSubscription(doc) : undefined;
    },

    /** Every subscription, unsubscribed ones too, oldest first. */
    async list(): Promise<DigestSubscription[]> {
      const docs = toIsoDates(
        (await Subs.find({}).sort({ createdAt: 1, _id: 1 }).lean()) as unknown as StoredSubscription[],
      );
      return docs.map(toSubscription);
    },

    /** Marks it unsubscribed (idempotent: the first instant is kept); no digest is sent to it any more. */
    async unsubscribe(idOrEmail: string, now: Date): Promise<DigestSubscription> {
      const doc = await find(idOrEmail);
      if (!doc) throw unknown(idOrEmail);
      if (doc.unsubscribedAt) return toSubscription(doc);
      const changed = { ...doc, unsubscribedAt: now.toISOString(), updatedAt: now.toISOString() };
      await Subs.collection.replaceOne({ _id: doc._id } as never, toBsonDates(changed) as never);
      return toSubscription(changed);
    },

    /** Paper ids already sent to (or recorded for) a subscriber. */
    async sentPaperIds(subscriberId: string): Promise<Set<string>> {
      const doc = (await DigestLedger.findById(subscriberId).lean()) as { paperIds?: string[] } | null;
      return new Set(doc?.paperIds ?? []);
    },

    /** Adds to a subscriber's ledger. Callers hold the subscriber's lock (read, union, write). */
    async addSent(subscriberId: string, paperIds: readonly string[], now: Date): Promise<void> {
      const have = await this.sentPaperIds(subscriberId);
      if (paperIds.every((id) => have.has(id))) return;
      for (const id of paperIds) have.add(id);
      await DigestLedger.collection.replaceOne(
        { _id: subscriberId } as never,
        { _id: subscriberId, paperIds: [...have], updatedAt: now } as never,
        { upsert: true },
      );
    },

    async getDigest(id: string): Promise<DigestRecord | undefined> {
      const doc = toIsoDates((await Digest.findById(id).lean()) as StoredDigest | null);
      return doc ? toRecord(doc) : undefined;
    },

    /** Insert-if-absent: returns what is stored under that id (an earlier try's record wins). */
    async recordDigest(record: DigestRecord): Promise<DigestRecord> {
      const { id, ...rest } = record;
      try {
        await Digest.collection.insertOne(toBsonDates({ _id: id, ...rest }) as never);
        return record;
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        const stored = await this.getDigest(id);
        if (!stored) throw err;
        return stored;
      }
    },

    async markSent(id: string, at: Date): Promise<void> {
      await Digest.updateOne({ _id: id }, { $set: { status: 'sent', sentAt: at } });
    },
  };
}
export type DigestsRepository = ReturnType<typeof digestsRepository>;

// The queries above besides `_id` reads, and the index each relies on (checked by queries.test.ts).
declareQuery({
  name: 'digests.list()',
  collection: 'digestsubscriptions',
  sort: { createdAt: 1, _id: 1 },
  index: { scan: 'the operator listing every subscription (CLI, admin API)' },
});
