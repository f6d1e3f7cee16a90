// The connection watchdog: when the client is dead while the server is up (what a FerretDB restart once
// left behind in a resolver), pings fail, the connection is reopened on the same mongoose Connection, and
// the repositories work again without a process restart.
import { createLogger } from '@paperwire/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMongoUri } from '../../../test/support/services.ts';
import { shouldReopen } from '../src/connection-watchdog.ts';
import { connectDatabase, type Database } from '../src/index.ts';

const log = createLogger({ service: 'test', level: 'silent' });
const uri = testMongoUri('watchdog');
let db: Database;

beforeAll(async () => {
  db = await connectDatabase(uri, log, { watchdog: { intervalMs: 100, stuckMs: 400 } });
});
afterAll(async () => {
  await db?.close();
});

describe('shouldReopen', () => {
  it('waits for stuckMs of failures, and does not reopen again within stuckMs', () => {
    expect(shouldReopen({}, 10_000, 1_000)).toBe(false);
    expect(shouldReopen({ failingSince: 9_500 }, 10_000, 1_000)).toBe(false);
    expect(shouldReopen({ failingSince: 9_000 }, 10_000, 1_000)).toBe(true);
    expect(shouldReopen({ failingSince: 5_000, lastReopenAt: 9_500 }, 10_000, 1_000)).toBe(false);
    expect(shouldReopen({ failingSince: 5_000, lastReopenAt: 9_000 }, 10_000, 1_000)).toBe(true);
  });
});

describe('a dead client while the server is up', () => {
  it('is reopened by the watchdog, and the repositories work again', async () => {
    await db.meta.claim('watchdog-before', new Date().toISOString());
    // Kill the driver's client behind mongoose's back: every operation fails from here on.
    const { default: mongoose } = await import('mongoose');
    const conn = mongoose.connections.find((c) => c.name === new URL(uri).pathname.slice(1));
    expect(conn, 'the connection of this database').toBeDefined();
    await conn!.getClient().close();
    expect(await db.ping()).toBe(false);

    const deadline = Date.now() + 20_000;
    while (!(await db.ping())) {
      if (Date.now() > deadline) throw new Error('the watchdog did not reopen the connection within 20 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await db.meta.claim('watchdog-before', new Date().toISOString())).toBe(false);
    expect(await db.meta.claim('watchdog-after', new Date().toISOString())).toBe(true);
  });
});
