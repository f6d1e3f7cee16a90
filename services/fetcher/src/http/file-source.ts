// file:// feeds: one file, or every regular file directly inside a folder (sorted by name, dotfiles and
// symlinks skipped, no recursion). Only under PAPERWIRE_FILE_FEEDS_ROOT: the registry checked the path when
// the feed was added, and it is checked again here, right before reading (defence in depth: a symlink
// swapped in since, a root that changed, a feed written to the database by other means). The resolved path
// is read, and each file is opened with O_NOFOLLOW, so a symlink put in place after the check is not
// followed. Not governed by allowPrivateNetworks.
// Each file is capped at maxBodyBytes and decoded like an HTTP body without a Content-Type.
// Failures use the HTTP error classes so a feed's health record reads the same: outside the root or file
// feeds off → blocked, missing → http-4xx 404, permission denied → http-4xx 403 (none retryable), too big
// → too-large, other I/O errors → connect. Messages name paths, never anything read from a file.

import { constants, type Stats } from 'node:fs';
import { type FileHandle, open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FeedHttpError } from '@paperwire/core';
import { checkFileFeed } from '@paperwire/runtime';
import { decodeBody } from './decode-body.ts';

export interface FileFeedFile {
  path: string;
  body: string;
  bytes: number;
}

export interface FileFeedOptions {
  maxBodyBytes: number;
  /** PAPERWIRE_FILE_FEEDS_ROOT; undefined: file feeds are off and every read is refused. */
  root: string | undefined;
}

export async function readFileFeed(
  url: string,
  options: FileFeedOptions,
): Promise<{ files: FileFeedFile[] }> {
  let given: string;
  try {
    given = fileURLToPath(url);
  } catch (error) {
    throw new FeedHttpError(`fetcher: not a local file URL: ${url}`, { errorClass: 'blocked', cause: error });
  }
  const check = await checkFileFeed(url, options.root);
  if (!check.ok)
    throw new FeedHttpError(`fetcher: file feed refused: ${check.message}`, {
      errorClass: 'blocked',
      retryable: false,
    });
  const resolved = check.path;
  try {
    const info = await stat(resolved);
    const paths = info.isDirectory() ? await listFolder(resolved) : [resolved];
    const files: FileFeedFile[] = [];
    for (const path of paths) {
      const bytes = await readCapped(path, options.maxBodyBytes);
      files.push({ path, body: decodeBody(bytes).text, bytes: bytes.byteLength });
    }
    return { files };
  } catch (error) {
    throw classifyFileError(error, given);
  }
}

async function listFolder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort()
    .map((name) => join(folder, name));
}

/** Reads at most maxBytes; a larger file (by its size, or by growing while read) is too-large. */
async function readCapped(path: string, maxBytes: number): Promise<Uint8Array> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
    const info: Stats = await handle.stat();
    if (!info.isFile())
      throw new FeedHttpError(`fetcher: ${path} is not a regular file`, { errorClass: 'blocked' });
    if (info.size > maxBytes) throw tooLarge(path, maxBytes);
    const buffer = Buffer.alloc(Math.min(info.size, maxBytes) + 1);
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    if (filled > maxBytes) throw tooLarge(path, maxBytes);
    return buffer.subarray(0, filled);
  } finally {
    await handle?.close();
  }
}

function tooLarge(path: string, maxBytes: number): FeedHttpError {
  return new FeedHttpError(`fetcher: ${path} exceeds the ${maxBytes}-byte limit`, {
    errorClass: 'too-large',
    retryable: false,
  });
}

function classifyFileError(error: unknown, path: string): FeedHttpError {
  if (error instanceof FeedHttpError) return error;
  const code = (error as { code?: string }).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new FeedHttpError(`fetcher: ${path} does not exist`, {
      errorClass: 'http-4xx',
      status: 404,
      retryable: false,
      cause: error,
    });
  }
  if (code === 'ELOOP') {
    return new FeedHttpError(`fetcher: ${path} became a symlink after the check; not followed`, {
      errorClass: 'blocked',
      retryable: false,
      cause: error,
    });
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new FeedHttpError(`fetcher: ${path} is not readable`, {
      errorClass: 'http-4xx',
      status: 403,
      retryable: false,
      cause: error,
    });
  }
  return new FeedHttpError(`fetcher: cannot read ${path} (${code ?? String(error)})`, {
    errorClass: 'connect',
    cause: error,
  });
}
