// createRuntime never starts servers: without addresses handed in, both URLs must be configured.
import { ConfigError } from '@paperwire/core';
import { commonEnvSchema, createLogger } from '@paperwire/platform';
import { describe, expect, it } from 'vitest';
import { createRuntime } from './runtime.ts';

const log = createLogger({ service: 'test', level: 'silent' });

describe('createRuntime', () => {
  it.each([
    [{}, 'MONGODB_URI and REDIS_URL must be set'],
    [{ MONGODB_URI: 'mongodb://127.0.0.1:1/x' }, 'REDIS_URL must be set'],
    [{ REDIS_URL: 'redis://127.0.0.1:1' }, 'MONGODB_URI must be set'],
  ])('refuses to start on %j without servers handed in: %s', async (env, message) => {
    const config = commonEnvSchema.parse(env);
    const err = await createRuntime(config, log).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain(message);
    expect((err as Error).message).toContain('only the `paperwire` CLI starts embedded servers');
  });
});
