// `paperwire migrate`: brings data written by earlier versions to the current document format. Idempotent,
// so every long-running entry point runs it at start (a marker makes a migrated database a point read).
//   1. Data in the old database: earlier versions used the driver's default `test` when the URI named no
//      database. Its Paperwire collections are copied into this database (insert-if-absent, so a rerun
//      after a crash adds nothing) and then dropped.
//   2. Timestamps stored as ISO strings become BSON dates, in every collection.
//   3. Papers without (or with stale) top-level `signals` get them from their sightings.
//   4. The retired `nearkeys` collection (title buckets, now the Redis near-duplicate index, which rebuilds
//      itself from `papers`) is dropped, on every run: it is one listing.
//   5. The retired `signalseries` collection (one signal history per paper, now the paper's `series`) is
//      folded into the papers and dropped, on every run where it exists (one listing otherwise). A paper
//      that has a `series` already keeps it: a rerun after a crash re-folds nothing it folded.
// Documents are read with one scan per collection and rewritten whole, in bulk where the server is safe
// with it. A process that writes the old format while this runs (an old version still up) can lose a
// write to it: run `paperwire migrate` when upgrading, before the new processes start.
import { sameRecord } from '@paperwire/core';
import type { Logger } from '@paperwire/platform';
import type { Db } from 'mongodb';
import type { Connection } from 'mongoose';
import { hasIsoTimestamps, toBsonDates } from './bson-dates.ts';
import type { Models } from './models.ts';
import { isRedirect, type StoredPaper, toStoredPaper } from './repositories/papers.ts';
import { type DocIo, isDuplicateKeyError } from './repositories/point-reads.ts';

/** Bump when a new step is added: a database with this marker in `meta` skips the scans at start. */
export const MIGRATION_MARKER = 'migration.native-documents.v1';

/** Title buckets of earlier versions: the near-duplicate index lives in Redis now. */
const RETIRED_NEAR_KEYS = 'nearkeys';
/** Signal histories of earlier versions, one document per paper: each lives in its paper now (`series`). */
const RETIRED_SIGNAL_SERIES = 'signalseries';

/** Documents per batch read, copied or rewritten. */
const BATCH = 500;

export interface MigrationReport {
  /** The database the data was moved from (undefined: nothing to move). */
  movedFrom?: string;
  /** Documents copied from it, by collection. */
  moved: Record<string, number>;
  /** Documents rewritten, by collection. */
  converted: Record<string, number>;
  /** Signal histories moved from the retired `signalseries` into their papers. */
  folded: number;
  /** Collections of earlier versions that were dropped. */
  dropped: string[];
  /** True when the marker said the scans were done before (and `force` was not given). */
  skipped: boolean;
}

export interface MigrationOptions {
  /** Where earlier versions wrote (`test` when the URI names no database); nothing moves if it is this one. */
  legacyDbName: string;
  /** Scan even if the marker says this database was migrated (the `paperwire migrate` command). */
  force?: boolean;
  now?: () => Date;
}

/** What a stored document becomes in the current format, or undefined when it is current already. */
function upgraded(collection: string, doc: { _id: string }): { _id: string } | undefined {
  if (collection === 'papers') {
    const paper = doc as StoredPaper & { signals?: unknown };
    const next = toStoredPaper(paper);
    const stale = !isRedirect(paper) && !sameRecord(paper.signals, (next as { signals?: unknown }).signals);
    return hasIsoTimestamps(doc) || stale ? next : undefined;
  }
  return hasIsoTimestamps(doc) ? toBsonDates(doc) : undefined;
}

export async function migrateDocuments(
  conn: Connection,
  models: Models,
  io: DocIo,
  log: Logger,
  opts: MigrationOptions,
): Promise<MigrationReport> {
  const db = conn.db;
  if (!db) throw new Error('db: migrate: not connected');
  const report: MigrationReport = { moved: {}, converted: {}, folded: 0, dropped: [], skipped: false };
  const collections = Object.values(models).map((m) => m.collection.collectionName);

  if (opts.legacyDbName !== db.databaseName) {
    const legacy = conn.getClient().db(opts.legacyDbName);
    const present = new Set(
      (await legacy.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name),
    );
    // The retired signal histories move too: step 5 folds them into the papers.
    for (const name of [...collections, RETIRED_SIGNAL_SERIES].filter((c) => present.has(c))) {
      report.movedFrom = opts.legacyDbName;
      let moved = 0;
      let batch: { _id: string }[] = [];
      const copy = async () => {
        if (batch.length === 0) return;
        try {
          await db.collection(name).insertMany(batch as never[], { ordered: false });
        } catch (err) {
          if (!isDuplicateKeyError(err)) throw err; // already copied by an earlier, interrupted run
        }
        moved += batch.length;
        batch = [];
        log.info(
          { step: 'move', from: opts.legacyDbName, to: db.databaseName, collection: name, moved },
          'migrate: copying',
        );
      };
      for await (const doc of legacy.collection(name).find({})) {
        batch.push(doc as unknown as { _id: string });
        if (batch.length >= BATCH) await copy();
      }
      await copy();
      await legacy.collection(name).drop();
      report.moved[name] = moved;
      log.info(
        { step: 'move', from: opts.legacyDbName, to: db.databaseName, collection: name, moved },
        'migrate: moved a collection',
      );
    }
  }

  if ((await db.listCollections({ name: RETIRED_NEAR_KEYS }, { nameOnly: true }).toArray()).length > 0) {
    await db.collection(RETIRED_NEAR_KEYS).drop();
    report.dropped.push(RETIRED_NEAR_KEYS);
    log.info({ step: 'drop', collection: RETIRED_NEAR_KEYS }, 'migrate: dropped a retired collection');
  }

  if ((await db.listCollections({ name: RETIRED_SIGNAL_SERIES }, { nameOnly: true }).toArray()).length > 0) {
    report.folded = await foldSignalSeries(db, models, io, log);
    await db.collection(RETIRED_SIGNAL_SERIES).drop();
    report.dropped.push(RETIRED_SIGNAL_SERIES);
    log.info(
      { step: 'drop', collection: RETIRED_SIGNAL_SERIES, folded: report.folded },
      'migrate: folded signal histories into their papers and dropped a retired collection',
    );
  }

  const marker = (await db.collection('meta').findOne({ _id: MIGRATION_MARKER as never })) !== null;
  if (marker && !opts.force && report.movedFrom === undefined) {
    report.skipped = true;
    return report;
  }
  for (const name of collections) {
    const coll = db.collection(name);
    let scanned = 0;
    let converted = 0;
    let batch: { _id: string }[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      await io.replaceMany(coll as never, batch);
      converted += batch.length;
      batch = [];
      log.info({ step: 'convert', collection: name, scanned, converted }, 'migrate: converting');
    };
    for await (const doc of coll.find({})) {
      scanned++;
      const next = upgraded(name, doc as unknown as { _id: string });
      if (next) batch.push(next);
      if (batch.length >= BATCH) await flush();
    }
    await flush();
    report.converted[name] = converted;
    if (converted > 0)
      log.info({ step: 'convert', collection: name, scanned, converted }, 'migrate: converted a collection');
  }
  const at = (opts.now ?? (() => new Date()))();
  try {
    await db.collection('meta').replaceOne({ _id: MIGRATION_MARKER as never }, { at }, { upsert: true });
  } catch (err) {
    // Processes starting together migrate together: two upserts of the marker race, and the loser's
    // insert fails as a duplicate (FerretDB does not retry it as MongoDB does). The marker is there.
    if (!isDuplicateKeyError(err)) throw err;
  }
  log.info(
    { step: 'done', database: db.databaseName, moved: report.moved, converted: report.converted },
    'migrate: done',
  );
  return report;
}

/** Step 5: each `signalseries` document becomes its paper's `series` (papers that have one keep theirs). */
async function foldSignalSeries(db: Db, models: Models, io: DocIo, log: Logger): Promise<number> {
  const papers = models.Paper.collection;
  let scanned = 0;
  let folded = 0;
  let batch: { _id: string; sources?: unknown }[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const sources = new Map(batch.map((s) => [s._id, s.sources]));
    const stored = await io.readMany<{ _id: string; series?: unknown }>(papers, [...sources.keys()]);
    const next = stored
      .filter((p) => p.series === undefined && sources.get(p._id) !== undefined)
      .map((p) => ({ ...p, series: toBsonDates(sources.get(p._id)) }));
    await io.replaceMany(papers, next);
    folded += next.length;
    batch = [];
    log.info({ step: 'fold', collection: RETIRED_SIGNAL_SERIES, scanned, folded }, 'migrate: folding');
  };
  for await (const doc of db.collection(RETIRED_SIGNAL_SERIES).find({})) {
    scanned++;
    batch.push(doc as unknown as { _id: string; sources?: unknown });
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  return folded;
}
