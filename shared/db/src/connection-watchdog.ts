// Keeps a process's database connection from staying dead after the server came back. The MongoDB driver
// reconnects on its own almost always; but a FerretDB restart sometimes left a resolver whose server
// monitor never recovered: every operation failed server selection with the old "connection N closed"
// while the server answered other processes (test/resilience server-restarts). The watchdog pings every
// few seconds; once pings have failed for `stuckMs` in a row it closes the client and opens it again on
// the same mongoose Connection, so the models and repositories keep working. While the server is really
// down the reopen fails too, and is tried again `stuckMs` later.
import type { Logger } from '@paperwire/platform';
import type { Connection, ConnectOptions } from 'mongoose';

export interface WatchdogSettings {
  /** How often to ping, ms. */
  intervalMs: number;
  /** Failing this long in a row → reopen, ms. */
  stuckMs: number;
}
export const DEFAULT_WATCHDOG: WatchdogSettings = { intervalMs: 5_000, stuckMs: 30_000 };

/** Pure: whether the pings have failed long enough to reopen (and not reopened within `stuckMs`). */
export function shouldReopen(
  state: { failingSince?: number; lastReopenAt?: number },
  now: number,
  stuckMs: number,
): boolean {
  if (state.failingSince === undefined || now - state.failingSince < stuckMs) return false;
  return state.lastReopenAt === undefined || now - state.lastReopenAt >= stuckMs;
}

export interface Watchdog {
  /** Closes and reopens the client now (also what a stuck connection gets). */
  reopen(reason: string): Promise<void>;
  stop(): void;
}

export function watchConnection(
  conn: Connection,
  uri: string,
  options: ConnectOptions,
  log: Logger,
  settings: WatchdogSettings = DEFAULT_WATCHDOG,
): Watchdog {
  const state: { failingSince?: number; lastReopenAt?: number } = {};
  let busy = false;
  let stopped = false;

  async function reopen(reason: string): Promise<void> {
    state.lastReopenAt = Date.now();
    log.warn({ reason }, 'db: reopening the connection');
    try {
      await conn.close();
    } catch (err) {
      log.warn({ err }, 'db: closing the stuck connection failed; opening anyway');
    }
    await conn.openUri(uri, options);
    log.info('db: connection reopened');
  }

  async function check(): Promise<void> {
    try {
      if (!conn.db) throw new Error('not connected');
      await conn.db.admin().command({ ping: 1 });
      state.failingSince = undefined;
    } catch (err) {
      const now = Date.now();
      state.failingSince ??= now;
      if (shouldReopen(state, now, settings.stuckMs)) {
        await reopen(
          `pings failing for ${Math.round((now - state.failingSince) / 1000)} s: ${(err as Error).message}`,
        ).catch((e: Error) => log.warn({ err: e }, 'db: reopening failed; trying again later'));
      }
    }
  }

  const timer = setInterval(() => {
    if (busy || stopped) return;
    busy = true;
    check().finally(() => {
      busy = false;
    });
  }, settings.intervalMs);
  timer.unref();

  return {
    reopen,
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
