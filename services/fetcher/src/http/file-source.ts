// file:// feeds: one file, or every regular file directly inside a folder (sorted by name, dotfiles and
// symlinks skipped, no recursion). Governed by the feed configuration alone, not by allowPrivateNetworks.
// Each file is capped at maxBodyBytes and decoded like an HTTP body without a Content-Type.
// Failures use the HTTP error classes so a feed's health record reads the same: missing → http-4xx 404,
// permission denied → http-4xx 403 (neither retryable), too big → too-large, other I/O errors → connect.

import type { Stats } from 'node:fs';
import { type FileHandle, open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FeedHttpError } from '@paperwire/core';
import { decodeBody } from './decode-body.ts';

export interface FileFeedFile {
  path: string;
  body: string;
  bytes: number;
}

export async function readFileFeed(
  url: string,
  options: { maxBodyBytes: number },
): Promise<{ files: FileFeedFile[] }> {
  let root: string;
  try {
    root = fileURLToPath(url);
  } catch (error) {
    throw new FeedHttpError(`fetcher: not a local file URL: ${url}`, { errorClass: 'blocked', cause: error });
  }
  try {
    const info = await stat(root);
    const paths = info.isDirectory() ? await listFolder(root) : [root];
    const files: FileFeedFile[] = [];
    for (const path of paths) {
      const bytes = await readCapped(path, options.maxBodyBytes);
      files.push({ path, body: decodeBody(bytes).text, bytes: bytes.byteLength });
    }
    return { files };
  } catch (error) {
    throw classifyFileError(error, root);
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
    handle = await open(path, 'r');
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
