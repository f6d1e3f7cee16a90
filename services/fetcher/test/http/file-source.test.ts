import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FeedHttpError } from '@paperwire/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileFeed } from '../../src/http/file-source.ts';

// `outside` holds a secret next to the root `dir`: nothing may ever read it.
let dir: string;
let outside: string;
const SECRET = 'root:x:0:0:TOP-SECRET-7f3a9c:/root:/bin/bash';

beforeEach(async () => {
  const base = await realpath(await mkdtemp(join(tmpdir(), 'paperwire-file-source-')));
  dir = join(base, 'root');
  outside = join(base, 'outside');
  await mkdir(dir);
  await mkdir(outside);
  await writeFile(join(outside, 'passwd'), SECRET);
});

afterEach(async () => {
  await rm(dirname(dir), { recursive: true, force: true });
});

const url = (...parts: string[]) => pathToFileURL(join(dir, ...parts)).href;

async function failure(promise: Promise<unknown>): Promise<FeedHttpError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FeedHttpError);
  return error as FeedHttpError;
}

describe('readFileFeed', () => {
  it('reads one file and decodes it by its XML declaration', async () => {
    const xml = '<?xml version="1.0" encoding="ISO-8859-1"?><rss><title>Gödel</title></rss>';
    await writeFile(join(dir, 'feed.xml'), Buffer.from(xml, 'latin1'));

    const { files } = await readFileFeed(url('feed.xml'), { maxBodyBytes: 1024, root: dir });

    expect(files).toEqual([{ path: join(dir, 'feed.xml'), body: xml, bytes: xml.length }]);
  });

  it('reads the regular files of a folder in name order, skipping dotfiles, folders and symlinks', async () => {
    await writeFile(join(dir, 'b.xml'), 'B');
    await writeFile(join(dir, 'a.xml'), 'A');
    await writeFile(join(dir, '.hidden.xml'), 'H');
    await mkdir(join(dir, 'nested'));
    await writeFile(join(dir, 'nested', 'c.xml'), 'C');
    await symlink(join(dir, 'a.xml'), join(dir, 'link.xml'));

    const { files } = await readFileFeed(url(), { maxBodyBytes: 1024, root: dir });

    expect(files.map((f) => [f.path, f.body])).toEqual([
      [join(dir, 'a.xml'), 'A'],
      [join(dir, 'b.xml'), 'B'],
    ]);
  });

  it('returns no files for an empty folder', async () => {
    expect(await readFileFeed(url(), { maxBodyBytes: 1024, root: dir })).toEqual({ files: [] });
  });

  it('caps each file', async () => {
    await writeFile(join(dir, 'big.xml'), Buffer.alloc(2048, 0x61));

    const error = await failure(readFileFeed(url('big.xml'), { maxBodyBytes: 1024, root: dir }));

    expect(error).toMatchObject({ errorClass: 'too-large', retryable: false });
  });

  it('accepts a file of exactly the cap', async () => {
    await writeFile(join(dir, 'exact.xml'), Buffer.alloc(1024, 0x61));

    const { files } = await readFileFeed(url('exact.xml'), { maxBodyBytes: 1024, root: dir });

    expect(files[0]?.bytes).toBe(1024);
  });

  it('reports a missing path as a non-retryable 404', async () => {
    const error = await failure(readFileFeed(url('missing.xml'), { maxBodyBytes: 1024, root: dir }));

    expect(error).toMatchObject({ errorClass: 'http-4xx', status: 404, retryable: false });
  });

  it.each(['http://example.org/feed.xml', 'file://remote-host/share/feed.xml', 'not a url'])(
    'refuses %s',
    async (input) => {
      const error = await failure(readFileFeed(input, { maxBodyBytes: 1024, root: dir }));

      expect(error.errorClass).toBe('blocked');
    },
  );

  it('refuses every file when no root is set, naming the setting', async () => {
    await writeFile(join(dir, 'feed.xml'), '<rss/>');

    const error = await failure(readFileFeed(url('feed.xml'), { maxBodyBytes: 1024, root: undefined }));

    expect(error).toMatchObject({ errorClass: 'blocked', retryable: false });
    expect(error.message).toMatch(/PAPERWIRE_FILE_FEEDS_ROOT/);
  });

  it.each([
    ['a path outside the root', () => pathToFileURL(join(outside, 'passwd')).href],
    ['a folder outside the root', () => pathToFileURL(outside).href],
    ['a `..` escape', () => `${pathToFileURL(dir).href}/../outside/passwd`],
    ['an encoded `..` escape', () => `${pathToFileURL(dir).href}/%2e%2e/outside/passwd`],
    ['/etc/passwd', () => 'file:///etc/passwd'],
  ])('refuses %s as blocked, reading nothing', async (_name, target) => {
    const error = await failure(readFileFeed(target(), { maxBodyBytes: 1024, root: dir }));

    expect(error).toMatchObject({ errorClass: 'blocked', retryable: false });
    expect(error.message).not.toContain('TOP-SECRET');
    expect(error.message).not.toContain('root:x');
  });

  it('refuses a symlink that leads out of the root (file and folder)', async () => {
    await symlink(join(outside, 'passwd'), join(dir, 'feed.xml'));
    await symlink(outside, join(dir, 'elsewhere'));

    for (const target of [url('feed.xml'), url('elsewhere'), url('elsewhere', 'passwd')]) {
      const error = await failure(readFileFeed(target, { maxBodyBytes: 1024, root: dir }));
      expect(error).toMatchObject({ errorClass: 'blocked' });
      expect(error.message).not.toContain('TOP-SECRET');
    }
  });

  it('follows a symlink that stays inside the root, and reads a root reached through a symlink', async () => {
    await writeFile(join(dir, 'real.xml'), 'R');
    await symlink(join(dir, 'real.xml'), join(dir, 'alias.xml'));
    const viaLink = join(dirname(dir), 'root-link');
    await symlink(dir, viaLink);

    const { files } = await readFileFeed(url('alias.xml'), { maxBodyBytes: 1024, root: viaLink });

    expect(files.map((f) => [f.path, f.body])).toEqual([[join(dir, 'real.xml'), 'R']]);
  });
});
