// The file-feed root: validated in config (absolute or unset), and checked after symlinks are resolved.
import { mkdir, mkdtemp, realpath, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '@paperwire/core';
import { commonEnvSchema, loadConfigWith } from '@paperwire/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkFileFeed, isFileUrl, isInside } from './file-feeds.ts';

describe('PAPERWIRE_FILE_FEEDS_ROOT in config', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['/srv/paperwire/feeds', '/srv/paperwire/feeds'],
  ])('%j → %j', (value, expected) => {
    const config = loadConfigWith('test', commonEnvSchema, { PAPERWIRE_FILE_FEEDS_ROOT: value });
    expect(config.PAPERWIRE_FILE_FEEDS_ROOT).toBe(expected);
  });

  it.each(['feeds', './feeds', '~/feeds'])('refuses the relative path %j, saying what to set', (value) => {
    const load = () => loadConfigWith('test', commonEnvSchema, { PAPERWIRE_FILE_FEEDS_ROOT: value });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/PAPERWIRE_FILE_FEEDS_ROOT: must be an absolute path/);
  });
});

describe('isInside / isFileUrl', () => {
  it.each([
    ['/srv/feeds', '/srv/feeds', true],
    ['/srv/feeds', '/srv/feeds/a.xml', true],
    ['/srv/feeds', '/srv/feeds/..a/b.xml', true],
    ['/srv/feeds', '/srv/feeds-other/a.xml', false],
    ['/srv/feeds', '/srv/a.xml', false],
    ['/srv/feeds', '/etc/passwd', false],
  ])('%s contains %s: %s', (root, path, expected) => {
    expect(isInside(root, path)).toBe(expected);
  });

  it.each([
    ['file:///etc/passwd', true],
    ['FILE:///etc/passwd', true],
    ['  file:/etc/passwd', true],
    ['https://example.org/file:x', false],
  ])('%j is a file URL: %s', (url, expected) => {
    expect(isFileUrl(url)).toBe(expected);
  });
});

describe('checkFileFeed', () => {
  let base: string;
  beforeAll(async () => {
    base = await realpath(await mkdtemp(join(tmpdir(), 'pw-file-feeds-check-')));
    await mkdir(join(base, 'root', 'sub'), { recursive: true });
    await mkdir(join(base, 'outside'));
    await symlink(join(base, 'outside'), join(base, 'root', 'out'));
  });
  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });
  const url = (...parts: string[]) => pathToFileURL(join(base, ...parts)).href;

  it('admits a path inside the root, existing or not yet', async () => {
    for (const target of [url('root', 'sub'), url('root', 'later.xml'), url('root', 'new', 'deep.xml')])
      expect(await checkFileFeed(target, join(base, 'root'))).toMatchObject({ ok: true });
  });

  it.each([
    ['outside', ['outside', 'x.xml']],
    ['through a symlinked folder', ['root', 'out', 'x.xml']],
    ['a missing file through a symlinked folder', ['root', 'out', 'missing', 'x.xml']],
  ])('refuses a path %s', async (_name, parts) => {
    expect(await checkFileFeed(url(...parts), join(base, 'root'))).toMatchObject({
      ok: false,
      refusal: 'outside-root',
    });
  });

  it('refuses everything without a root, and names a root that does not exist', async () => {
    expect(await checkFileFeed(url('root', 'a.xml'), undefined)).toMatchObject({
      ok: false,
      refusal: 'no-root',
      message: expect.stringContaining('set PAPERWIRE_FILE_FEEDS_ROOT'),
    });
    expect(await checkFileFeed(url('root', 'a.xml'), join(base, 'nope'))).toMatchObject({
      ok: false,
      refusal: 'bad-root',
    });
  });
});
