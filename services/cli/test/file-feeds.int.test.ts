// file:// feeds through the real CLI: refused with a message naming PAPERWIRE_FILE_FEEDS_ROOT when it is not
// set; under a root, a file inside is added and a path outside (also through `..` or a symlink) is refused;
// `run --once` disables an enabled file feed outside the root with a logged reason and reads nothing of it.
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Feed } from '@paperwire/core';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/cli.ts';
import { storedObservations } from '../../../test/support/observations.ts';
import { testMongoUri, testRedisUrl, uniquePrefix } from '../../../test/support/services.ts';

const SLOW = { timeout: 240_000 };
const SECRET = 'TOP-SECRET-cli-51e0';

let base: string;
let root: string;
let outside: string;
let mongo: MongoClient;
const env: Record<string, string> = {
  MONGODB_URI: '',
  REDIS_URL: '',
  PAPERWIRE_QUEUE_PREFIX: uniquePrefix('cli-file-feeds'),
  PAPERWIRE_SEED_DEFAULT_FEEDS: 'false',
  PAPERWIRE_FILE_FEEDS_ROOT: '',
  LOG_LEVEL: 'warn',
};
const rss = (title: string) =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>${title}</title><item><title>A paper on disk</title><guid>disk-1</guid><link>https://example.org/disk/1</link></item></channel></rss>`;

beforeAll(async () => {
  env.MONGODB_URI = testMongoUri('cli-file-feeds');
  env.REDIS_URL = testRedisUrl();
  base = await realpath(await mkdtemp(join(tmpdir(), 'pw-cli-file-feeds-')));
  root = join(base, 'root');
  outside = join(base, 'outside');
  await mkdir(root);
  await mkdir(outside);
  await writeFile(join(root, 'lab.xml'), rss('Inside the root'));
  await writeFile(join(outside, 'secret.xml'), rss(SECRET));
  await symlink(join(outside, 'secret.xml'), join(root, 'link-out.xml'));
  mongo = await new MongoClient(env.MONGODB_URI).connect();
});

afterAll(async () => {
  await mongo?.db().dropDatabase();
  await mongo?.close();
  if (base) await rm(base, { recursive: true, force: true });
});

const feeds = () => mongo.db().collection<Feed>('feeds');

describe('paperwire feeds add file://…', SLOW, () => {
  it('is refused without PAPERWIRE_FILE_FEEDS_ROOT, saying what to set', async () => {
    const res = await runCli(
      ['feeds', 'add', pathToFileURL(join(root, 'lab.xml')).href, '--kind', 'rss'],
      env,
    );
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('file:// feeds are off: set PAPERWIRE_FILE_FEEDS_ROOT');
    expect(await feeds().countDocuments()).toBe(0);
  });

  it('adds a file under the root; refuses outside, `..` and a symlink out', async () => {
    const withRoot = { ...env, PAPERWIRE_FILE_FEEDS_ROOT: root };
    const added = await runCli(
      ['feeds', 'add', pathToFileURL(join(root, 'lab.xml')).href, '--kind', 'rss', '--json'],
      withRoot,
    );
    expect(added.code, added.stderr).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({ enabled: true, kind: 'rss' });
    for (const url of [
      pathToFileURL(join(outside, 'secret.xml')).href,
      `${pathToFileURL(root).href}/../outside/secret.xml`,
      pathToFileURL(join(root, 'link-out.xml')).href,
      'file:///etc/passwd',
    ]) {
      const res = await runCli(['feeds', 'add', url, '--kind', 'rss'], withRoot);
      expect(res.code, url).toBe(1);
      expect(res.stderr, url).toContain('is outside PAPERWIRE_FILE_FEEDS_ROOT');
    }
    expect(await feeds().countDocuments()).toBe(1);
  });

  it('run --once disables an enabled file feed outside the root, with a logged reason, reading nothing', async () => {
    // Registered when the root was elsewhere (`outside`); now the operator names `root`.
    const old = await runCli(
      ['feeds', 'add', pathToFileURL(join(outside, 'secret.xml')).href, '--kind', 'rss', '--json'],
      { ...env, PAPERWIRE_FILE_FEEDS_ROOT: outside },
    );
    expect(old.code, old.stderr).toBe(0);
    const oldId = (JSON.parse(old.stdout) as { _id: string })._id;

    const run = await runCli(['run', '--once', '--json', '--timeout', '120'], {
      ...env,
      PAPERWIRE_FILE_FEEDS_ROOT: root,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/"msg":"feeds: file feed disabled"/);
    expect(run.stderr).toContain(oldId);
    const disabled = await feeds().findOne({ _id: oldId });
    expect(disabled).toMatchObject({ enabled: false, health: { status: 'failing' } });
    expect(disabled?.health.lastError).toMatchObject({ errorClass: 'blocked' });
    expect(disabled?.health.lastError?.message).toMatch(
      /disabled at start: .* is outside PAPERWIRE_FILE_FEEDS_ROOT/,
    );
    // The feed inside the root was read; the one outside was not.
    const payloads = await mongo.db().collection('payloads').find({}).toArray();
    expect(payloads.map((p) => p.feedId)).not.toContain(oldId);
    expect(JSON.stringify(await storedObservations(mongo.db()))).not.toContain(SECRET);
    expect(run.stdout + run.stderr).not.toContain(SECRET);
  });
});
