// Connects to MongoDB (or FerretDB), registers the models, makes sure the indexes exist and hands out the
// repositories. Handlers and routes only ever see the repositories.
import { StoreError } from '@paperwire/core';
import type { Logger } from '@paperwire/platform';
import { databaseNameFor, uriDatabaseName } from '@paperwire/platform/config';
import mongoose, { type ConnectOptions } from 'mongoose';
import { type WatchdogSettings, watchConnection } from './connection-watchdog.ts';
import { type MigrationReport, migrateDocuments } from './migrate.ts';
import { expectedIndexes, RETIRED_INDEXES, registerModels } from './models.ts';
import { apiKeysRepository } from './repositories/api-keys.ts';
import { backfillsRepository } from './repositories/backfills.ts';
import { datedBoardsRepository } from './repositories/dated-boards.ts';
import { digestsRepository } from './repositories/digests.ts';
import { feedsRepository } from './repositories/feeds.ts';
import { nearDuplicatesRepository } from './repositories/near-duplicates.ts';
import { observationsRepository } from './repositories/observations.ts';
import { outboxRepository } from './repositories/outbox.ts';
import { papersRepository } from './repositories/papers.ts';
import { payloadsRepository } from './repositories/payloads.ts';
import {
  capabilitiesOf,
  docIo,
  isDuplicateKeyError,
  type ServerCapabilities,
} from './repositories/point-reads.ts';
import { rankingsRepository } from './repositories/rankings.ts';
import { retentionRepository } from './repositories/retention.ts';
import { webhooksRepository } from './repositories/webhooks.ts';

export interface Database {
  feeds: ReturnType<typeof feedsRepository>;
  payloads: ReturnType<typeof payloadsRepository>;
  observations: ReturnType<typeof observationsRepository>;
  papers: ReturnType<typeof papersRepository>;
  nearDuplicates: ReturnType<typeof nearDuplicatesRepository>;
  rankings: ReturnType<typeof rankingsRepository>;
  datedBoards: ReturnType<typeof datedBoardsRepository>;
  meta: { claim(marker: string, at: string): Promise<boolean> };
  backfills: ReturnType<typeof backfillsRepository>;
  apiKeys: ReturnType<typeof apiKeysRepository>;
  outbox: ReturnType<typeof outboxRepository>;
  webhooks: ReturnType<typeof webhooksRepository>;
  digests: ReturnType<typeof digestsRepository>;
  /** Retention deletes (`paperwire gc`, the periodic gc job): see gc.ts. */
  retention: ReturnType<typeof retentionRepository>;
  /** Secondary index names the code relies on, by collection. */
  expectedIndexes(): Record<string, string[]>;
  /** Index names that exist, by collection. */
  existingIndexes(): Promise<Record<string, string[]>>;
  /** `{ ok: true }` when a ping round-trips. */
  ping(): Promise<boolean>;
  /**
   * Brings data written by earlier versions to the current format (migrate.ts): moves it from the `test`
   * database they used when the URI named none, and converts string dates and missing top-level signals.
   * Idempotent; skips the scans when a marker says they were done, unless `force`.
   */
  migrate(opts?: { force?: boolean; log?: Logger; from?: string }): Promise<MigrationReport>;
  /** Closes the client and opens it again (the watchdog does this when pings keep failing). */
  reopen(reason: string): Promise<void>;
  /** The database's name (`paperwire` unless the URI or MONGODB_DB says otherwise). */
  readonly name: string;
  /** Server version string, whether it is FerretDB, and what the data layer relies on it for. */
  serverInfo(): Promise<{ version: string; ferretdb: boolean; capabilities: ServerCapabilities }>;
  close(): Promise<void>;
}

/** The database used when neither the URI nor the caller names one. */
export const DEFAULT_DATABASE_NAME = 'paperwire';

export async function connectDatabase(
  uri: string,
  log: Logger,
  opts: {
    watchdog?: WatchdogSettings;
    /** A reader (a CLI read command) leaves index upkeep to the writers: no createIndexes, no drops. */
    readOnly?: boolean;
    /** The database when the URI names none (MONGODB_DB); default `paperwire`. The URI's path wins. */
    dbName?: string;
  } = {},
): Promise<Database> {
  const options: ConnectOptions = {
    // Without it the driver would use `test` for a URI without a path (the embedded FerretDB's).
    dbName: databaseNameFor(uri, opts.dbName ?? DEFAULT_DATABASE_NAME),
    autoIndex: false,
    autoCreate: false,
    serverSelectionTimeoutMS: 10_000,
    // Notice a restarted server within ~2 s (default 10 s): the monitor's check is what clears a pool of
    // connections the server closed when it went away.
    heartbeatFrequencyMS: 2_000,
  };
  const conn = mongoose.createConnection(uri, options);
  conn.on('error', (err) => log.warn({ err }, 'db: connection error'));
  let closing = false;
  conn.on('disconnected', () => {
    if (!closing) log.warn('db: disconnected');
  });
  conn.on('reconnected', () => log.info('db: reconnected'));
  try {
    await conn.asPromise();
  } catch (err) {
    throw new StoreError(`db: cannot reach the database: ${(err as Error).message}`, { cause: err });
  }
  const watchdog = watchConnection(conn, uri, options, log, opts.watchdog);
  const models = registerModels(conn);
  if (!opts.readOnly) {
    await Promise.all(Object.values(models).map((m) => m.createIndexes()));
    await dropRetiredIndexes(conn, log);
  }

  const db = () => {
    if (!conn.db) throw new StoreError('db: not connected');
    return conn.db;
  };
  const buildInfo = async () =>
    (await db().admin().command({ buildInfo: 1 })) as {
      version?: string;
      ferretdbVersion?: unknown;
      ferretdbFeatures?: Record<string, unknown>;
    };
  const capabilities = capabilitiesOf(await buildInfo());
  if (!capabilities.idIn) {
    log.warn(
      'db: this FerretDB lacks the launcher patches ($in on _id, bulk updates): using point reads and single updates',
    );
  }
  const io = docIo(capabilities);

  return {
    name: String(options.dbName),
    feeds: feedsRepository(models),
    payloads: payloadsRepository(models),
    observations: observationsRepository(models, io),
    papers: papersRepository(models, io),
    nearDuplicates: nearDuplicatesRepository(models),
    rankings: rankingsRepository(models, io),
    datedBoards: datedBoardsRepository(models),
    meta: {
      /** True for the one caller that records `marker` first. */
      async claim(marker, at) {
        try {
          const res = await models.Meta.updateOne(
            { _id: marker },
            { $setOnInsert: { at } },
            { upsert: true },
          );
          return res.upsertedCount === 1;
        } catch (err) {
          // Two claims at once: the loser's upsert fails as a duplicate on FerretDB. The other one won.
          if (isDuplicateKeyError(err)) return false;
          throw err;
        }
      },
    },
    backfills: backfillsRepository(models),
    apiKeys: apiKeysRepository(models),
    outbox: outboxRepository(models, io),
    webhooks: webhooksRepository(models),
    digests: digestsRepository(models),
    retention: retentionRepository(models),
    expectedIndexes: () => expectedIndexes(models),
    async existingIndexes() {
      const out: Record<string, string[]> = {};
      for (const model of Object.values(models)) {
        const name = model.collection.collectionName;
        try {
          out[name] = (await db().collection(name).indexes()).map((i) => String(i.name));
        } catch {
          out[name] = [];
        }
      }
      return out;
    },
    async ping() {
      try {
        await db().admin().command({ ping: 1 });
        return true;
      } catch {
        return false;
      }
    },
    async serverInfo() {
      const info = await buildInfo();
      return {
        version: String(info.version ?? 'unknown'),
        ferretdb: info.ferretdbVersion !== undefined || info.ferretdbFeatures !== undefined,
        capabilities,
      };
    },
    migrate: (o = {}) =>
      migrateDocuments(conn, models, io, o.log ?? log, {
        // Earlier versions let the driver choose: the URI's database, else `test`.
        legacyDbName: o.from ?? legacyDatabaseName(uri),
        ...(o.force === undefined ? {} : { force: o.force }),
      }),
    reopen: (reason) => watchdog.reopen(reason),
    close: async () => {
      closing = true;
      watchdog.stop();
      await conn.close();
    },
  };
}

/** Where versions before MONGODB_DB wrote: the URI's database, else the driver's default `test`. */
export function legacyDatabaseName(uri: string): string {
  return uriDatabaseName(uri) ?? 'test';
}

/** Drops the RETIRED_INDEXES that exist (another process dropping the same one at once is fine). */
async function dropRetiredIndexes(conn: mongoose.Connection, log: Logger): Promise<void> {
  if (!conn.db) return;
  for (const [collection, names] of Object.entries(RETIRED_INDEXES)) {
    const coll = conn.db.collection(collection);
    let present: string[];
    try {
      present = (await coll.indexes()).map((i) => String(i.name));
    } catch {
      continue; // no such collection yet
    }
    for (const name of names.filter((n) => present.includes(n))) {
      try {
        await coll.dropIndex(name);
        log.info({ collection, index: name }, 'db: dropped a retired index');
      } catch (err) {
        const e = err as { code?: number; codeName?: string };
        if (e.code !== 27 && e.codeName !== 'IndexNotFound') throw err;
      }
    }
  }
}
