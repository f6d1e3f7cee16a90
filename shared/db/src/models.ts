// Collections and the indexes each query relies on. FerretDB v1 pushes only `_id` equality down to SQLite,
// so every hot path is an `_id` point read on a natural key; the secondary indexes below serve listing
// queries on MongoDB and are proven to exist by test (db/test/indexes.int.test.ts).
// Every timestamp is a BSON date (bson-dates.ts converts at the repositories' edge).
import { type Connection, Schema } from 'mongoose';

const loose = { _id: false, strict: false, versionKey: false } as const;
const mixed = Schema.Types.Mixed;

/** `feeds`: _id = feed id (slug). One document per registered feed, with fetch state and health. */
export const feedSchema = new Schema(
  {
    _id: String,
    url: { type: String, required: true },
    kind: { type: String, required: true },
    source: { type: String, required: true },
    title: String,
    intervalMinutes: { type: Number, required: true },
    enabled: { type: Boolean, required: true },
    createdAt: { type: Date, required: true },
    state: { type: mixed, default: {} },
    health: { type: mixed, default: {} },
  },
  { versionKey: false, strict: true, minimize: false },
);
// serves: feeds.findByUrl() — `feeds add` refuses a URL that is already registered.
feedSchema.index({ url: 1 }, { name: 'feeds_url' });

/** `payloads`: _id = sha256 of the body. The raw archive that `paperwire replay` re-parses. */
export const payloadSchema = new Schema(
  {
    _id: String,
    feedId: { type: String, required: true },
    url: String,
    status: Number,
    headers: mixed,
    fetchedAt: { type: Date, required: true },
    bytes: Number,
    /** The body, gzipped (repositories/payloads.ts). */
    bodyGzip: Buffer,
    /** The body as text, in documents archived before compression; read, never written. */
    body: String,
  },
  { versionKey: false, strict: true },
);
// serves: payloads.listForFeed(feedId) — replay of one feed's archive, newest first.
payloadSchema.index({ feedId: 1, fetchedAt: -1 }, { name: 'payloads_feed_fetchedAt' });

/** `observations`: _id = feedId|entryKey|contentHash. Append-only normalised entries. */
export const observationSchema = new Schema({ _id: String }, { ...loose, _id: true });

/** `aliases`: _id = identity key (`arxiv:2401.01234`, `doi:…`). Points at the paper that owns the key. */
export const aliasSchema = new Schema(
  { _id: String, paperId: { type: String, required: true }, at: Date },
  { versionKey: false, strict: true },
);

/**
 * `papers`: _id = strongest identity key. The canonical record, rebuilt under a per-paper lock, with its
 * current signals (`signals`) and its signal history (`series`: each source's compacted time series).
 */
export const paperSchema = new Schema({ _id: String }, { ...loose, _id: true });
// serves: papers.list({ since, until, cursor }) — newest-first listing for GET /papers.
paperSchema.index({ firstSeenAt: -1, _id: 1 }, { name: 'papers_firstSeenAt' });
// serves: papers.list({ category }) — the per-category listing, cross-lists included (`categories` holds the
// primary category and the cross-lists), newest first with the keyset's `_id`.
paperSchema.index({ categories: 1, firstSeenAt: -1, _id: 1 }, { name: 'papers_categories_firstSeenAt' });

/**
 * `rankings`: _id = window.category.asOf. A frozen snapshot, written once. Read and deleted only by `_id`:
 * a board's history is listed in its pointer document. Its entries are one gzip-compressed JSON value
 * (`entriesGz`, with `entryCount`): repositories/rankings.ts says why.
 */
export const rankingSchema = new Schema({ _id: String }, { ...loose, _id: true });

/**
 * `rankingpointers`: _id = window.category. Which snapshot is current (the atomic switch) and the board's
 * kept snapshots, newest first ("what changed since" and pruning read it instead of querying `rankings`).
 */
export const rankingPointerSchema = new Schema(
  {
    _id: String,
    snapshotId: String,
    asOf: Date,
    history: { type: [new Schema({ _id: String, asOf: Date }, { versionKey: false })], default: undefined },
  },
  { versionKey: false, strict: true },
);

/** `meta`: _id = marker name. One-off facts such as "default feeds were seeded". */
export const metaSchema = new Schema({ _id: String, at: Date }, { versionKey: false, strict: true });

/**
 * `apikeys`: _id = sha256 hex of the key (the key itself is never stored), so verifying a request's key is
 * one point read. Scopes are `admin` and `read`; a revoked key keeps its document with `revokedAt`.
 */
export const apiKeySchema = new Schema(
  {
    _id: String,
    name: { type: String, required: true },
    scopes: { type: [String], required: true },
    createdAt: { type: Date, required: true },
    revokedAt: Date,
  },
  { versionKey: false, strict: true },
);

/**
 * `webhooks`: _id = subscription id (`wh_` + 16 hex). Where to POST which events, and the secret that signs
 * them: stored because signing needs it, returned once at creation, never listed or logged.
 */
export const webhookSchema = new Schema(
  {
    _id: String,
    url: { type: String, required: true },
    eventTypes: { type: [String], required: true },
    secret: { type: String, required: true },
    enabled: { type: Boolean, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, strict: true },
);

/**
 * `outbox`: _id = event id (derived from the change, e.g. `paper.created:arxiv:2401.01234`). Each event once,
 * with `publishedAt` once the relay has put it on the stream. Read by `_id` only (the relay's point reads).
 */
export const outboxSchema = new Schema({ _id: String }, { ...loose, _id: true });

/**
 * `digestsubscriptions`: _id = `ds_` + 16 hex of the address's SHA-256. Who gets which boards, how often.
 * `digests`: _id = `<subscriberId>.<period>`. One digest, recorded (papers and rendered message) before it
 * is sent. `digestledgers`: _id = subscriber id. Papers already sent to that subscriber. All point reads.
 */
export const digestSubscriptionSchema = new Schema(
  {
    _id: String,
    email: { type: String, required: true },
    windows: { type: [String], required: true },
    categories: { type: [String], required: true },
    cadence: { type: String, required: true },
    /** Reader filters (`readerFiltersSchema`): lists of categories, authors, organizations, keywords. */
    filters: { type: Schema.Types.Mixed, default: undefined },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    unsubscribedAt: Date,
  },
  { versionKey: false, strict: true },
);
export const digestSchema = new Schema({ _id: String }, { ...loose, _id: true });

/**
 * `datedboards`: _id = `<kind>.<period key>` (`daily.2026-12-03`). One dated board per period, replaced
 * until it is final. Read only by `_id`: no index.
 */
export const datedBoardSchema = new Schema({ _id: String }, { ...loose, _id: true });
export const digestLedgerSchema = new Schema({ _id: String }, { ...loose, _id: true });

export function registerModels(conn: Connection) {
  return {
    Feed: conn.model('Feed', feedSchema, 'feeds'),
    Payload: conn.model('Payload', payloadSchema, 'payloads'),
    Observation: conn.model('Observation', observationSchema, 'observations'),
    Alias: conn.model('Alias', aliasSchema, 'aliases'),
    Paper: conn.model('Paper', paperSchema, 'papers'),
    Ranking: conn.model('Ranking', rankingSchema, 'rankings'),
    RankingPointer: conn.model('RankingPointer', rankingPointerSchema, 'rankingpointers'),
    DatedBoard: conn.model('DatedBoard', datedBoardSchema, 'datedboards'),
    Meta: conn.model('Meta', metaSchema, 'meta'),
    ApiKey: conn.model('ApiKey', apiKeySchema, 'apikeys'),
    Outbox: conn.model('Outbox', outboxSchema, 'outbox'),
    Webhook: conn.model('Webhook', webhookSchema, 'webhooks'),
    DigestSubscription: conn.model('DigestSubscription', digestSubscriptionSchema, 'digestsubscriptions'),
    Digest: conn.model('Digest', digestSchema, 'digests'),
    DigestLedger: conn.model('DigestLedger', digestLedgerSchema, 'digestledgers'),
  };
}
export type Models = ReturnType<typeof registerModels>;

/**
 * Indexes an earlier version declared that no query uses any more, by collection. Connecting drops them:
 * every index is maintained on every write.
 */
export const RETIRED_INDEXES: Readonly<Record<string, readonly string[]>> = {
  rankings: ['rankings_window_category_asOf'],
  aliases: ['aliases_paperId'],
  // On `primaryCategory`, while papers.list({ category }) filters `categories`: it served no query.
  papers: ['papers_category_firstSeenAt'],
};

/** The secondary indexes the code relies on, by collection (what the index test checks). */
export function expectedIndexes(models: Models): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const model of Object.values(models)) {
    const names = model.schema
      .indexes()
      .map(([, options]) => (options as { name?: string }).name)
      .filter((n): n is string => typeof n === 'string');
    if (names.length > 0) out[model.collection.collectionName] = names;
  }
  return out;
}
