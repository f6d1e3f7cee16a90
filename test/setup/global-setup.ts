// Vitest globalSetup for the `integration` project: one FerretDB and one Redis for the whole run, in a
// temporary data dir, unless MONGODB_URI / REDIS_URL point at servers to use instead. Test files read the
// URIs through test/support/services.ts (Vitest's provide/inject).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedServices } from '@paperwire/local-infra';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    mongoUri: string;
    redisUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dataDir = await mkdtemp(join(tmpdir(), 'paperwire-test-'));
  const log = (msg: string) => console.log(`[global-setup] ${msg}`);
  let services: Awaited<ReturnType<typeof startEmbeddedServices>>;
  try {
    services = await startEmbeddedServices({
      dataDir,
      mongoUri: process.env.MONGODB_URI || undefined,
      redisUrl: process.env.REDIS_URL || undefined,
      log,
    });
  } catch (err) {
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
  project.provide('mongoUri', services.mongoUri);
  project.provide('redisUrl', services.redisUrl);

  return async () => {
    await services.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
