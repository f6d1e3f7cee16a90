import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FeedHttpError } from '@paperwire/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileFeed } from '../../src/http/file-source.ts';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'paperwire-file-source-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
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

    const { files } = await readFileFeed(url('feed.xml'), { maxBodyBytes: 1024 });

    expect(files).toEqual([{ path: join(dir, 'feed.xml'), body: xml, bytes: xml.length }]);
  });

  it('reads the regular files of a folder in name order, skipping dotfiles, folders and symlinks', async () => {
    await writeFile(join(dir, 'b.xml'), 'B');
    await writeFile(join(dir, 'a.xml'), 'A');
    await writeFile(join(dir, '.hidden.xml'), 'H');
    await mkdir(join(dir, 'nested'));
    await writeFile(join(dir, 'nested', 'c.xml'), 'C');
    await symlink(join(dir, 'a.xml'), join(dir, 'link.xml'));

    const { files } = await readFileFeed(url(), { maxBodyBytes: 1024 });

    expect(files.map((f) => [f.path, f.body])).toEqual([
      [join(dir, 'a.xml'), 'A'],
      [join(dir, 'b.xml'), 'B'],
    ]);
  });

  it('returns no files for an empty folder', async () => {
    expect(await readFileFeed(url(), { maxBodyBytes: 1024 })).toEqual({ files: [] });
  });

  it('caps each file', async () => {
    await writeFile(join(dir, 'big.xml'), Buffer.alloc(2048, 0x61));

    const error = await failure(readFileFeed(url('big.xml'), { maxBodyBytes: 1024 }));

    expect(error).toMatchObject({ errorClass: 'too-large', retryable: false });
  });

  it('accepts a file of exactly the cap', async () => {
    await writeFile(join(dir, 'exact.xml'), Buffer.alloc(1024, 0x61));

    const { files } = await readFileFeed(url('exact.xml'), { maxBodyBytes: 1024 });

    expect(files[0]?.bytes).toBe(1024);
  });

  it('reports a missing path as a non-retryable 404', async () => {
    const error = await failure(readFileFeed(url('missing.xml'), { maxBodyBytes: 1024 }));

    expect(error).toMatchObject({ errorClass: 'http-4xx', status: 404, retryable: false });
  });

  it.each(['http://example.org/feed.xml', 'file://remote-host/share/feed.xml', 'not a url'])(
    'refuses %s',
    async (input) => {
      const error = await failure(readFileFeed(input, { maxBodyBytes: 1024 }));

      expect(error.errorClass).toBe('blocked');
    },
  );
});
