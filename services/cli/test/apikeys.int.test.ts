// `paperwire apikeys` through the real CLI: a key is printed once at creation, listed without it (or its
// hash), and refused by the repository once revoked.
/// <reference path="../../../test/setup/global-setup.ts" />
import { createHash } from 'node:crypto';
import { createLogger } from '@paperwire/platform';
import { createRuntime } from '@paperwire/runtime';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/cli.ts';
import { testMongoUri, testRedisUrl, uniquePrefix } from '../../../test/support/services.ts';
import { cliEnvSchema } from '../src/config.ts';

const env = {
  MONGODB_URI: testMongoUri('cli-apikeys'),
  REDIS_URL: testRedisUrl(),
  PAPERWIRE_QUEUE_PREFIX: uniquePrefix('cli-apikeys'),
  PAPERWIRE_SEED_DEFAULT_FEEDS: 'false',
};

describe('paperwire apikeys', () => {
  it('creates (printing the key once), lists without keys or hashes, and revokes', async () => {
    const created = await runCli(['apikeys', 'create', 'ops', '--scope', 'admin', '--json'], env);
    expect(created.code, created.stderr).toBe(0);
    const { key, id, scopes } = JSON.parse(created.stdout) as { key: string; id: string; scopes: string[] };
    expect(key).toMatch(/^pw_[A-Za-z0-9_-]{43}$/);
    expect(scopes).toEqual(['admin']);

    const human = await runCli(['apikeys', 'create', 'dashboard'], env);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/pw_[A-Za-z0-9_-]{43}/);
    expect(human.stdout).toContain('scope read');

    const duplicate = await runCli(['apikeys', 'create', 'ops'], env);
    expect(duplicate.code).not.toBe(0);
    expect(duplicate.stderr).toContain('already named "ops"');

    const listed = await runCli(['apikeys', 'list', '--json'], env);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).not.toContain(key);
    expect(listed.stdout).not.toContain(createHash('sha256').update(key).digest('hex'));
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({ id, name: 'ops', scopes: ['admin'] }),
      expect.objectContaining({ name: 'dashboard', scopes: ['read'] }),
    ]);
    const table = await runCli(['apikeys', 'list'], env);
    expect(table.stdout).toMatch(/ops\s+admin/);

    const revoked = await runCli(['apikeys', 'revoke', 'ops', '--json'], env);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(JSON.parse(revoked.stdout)).toMatchObject({ id, name: 'ops', revokedAt: expect.any(String) });
    expect((await runCli(['apikeys', 'revoke', 'nobody'], env)).code).not.toBe(0);

    const rt = await createRuntime(cliEnvSchema.parse(env), createLogger({ service: 'test', level: 'warn' }));
    try {
      expect(await rt.db.apiKeys.verify(key)).toBeUndefined();
    } finally {
      await rt.shutdown.run('test done');
    }
  });
});
