// file:// feeds are an operator's tool: registered from the CLI only, and only under the folder the operator
// names in PAPERWIRE_FILE_FEEDS_ROOT. A path is checked after resolving every symlink (the realpath of the
// path, or of its nearest existing ancestor while it does not exist yet) against the resolved root, so
// neither `..` (the URL parser folds it before we see the path) nor a symlink leads out. The registry checks
// on add and on resume, the scheduler at start (file feeds outside the root are disabled), and the fetcher
// again right before it reads (see services/fetcher/src/http/file-source.ts).
// Messages name the setting and the URL the operator gave, never anything read from a file.
import { realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FILE_FEEDS_ROOT_SETTING = 'PAPERWIRE_FILE_FEEDS_ROOT';

export type FileFeedRefusal = 'no-root' | 'bad-root' | 'not-a-file-url' | 'outside-root';

export type FileFeedCheck =
  | { ok: true /** The path with every symlink resolved: read this one. */; path: string; root: string }
  | { ok: false; refusal: FileFeedRefusal; message: string };

/** Whether a feed URL names a local file (any case, surrounding blanks ignored, as URL parsing does). */
export function isFileUrl(url: string): boolean {
  return /^\s*file:/i.test(url);
}

export const FILE_FEEDS_OFF = `file:// feeds are off: set ${FILE_FEEDS_ROOT_SETTING} to the absolute folder that holds your feed files, then add them with \`paperwire feeds add file://…\``;

/** Whether `url` may be read as a file feed under `root` (undefined: file feeds are off). */
export async function checkFileFeed(url: string, root: string | undefined): Promise<FileFeedCheck> {
  if (root === undefined) return { ok: false, refusal: 'no-root', message: FILE_FEEDS_OFF };
  if (!isAbsolute(root))
    return { ok: false, refusal: 'bad-root', message: `${FILE_FEEDS_ROOT_SETTING} must be an absolute path` };
  let realRoot: string;
  try {
    realRoot = await realpath(root);
  } catch {
    return {
      ok: false,
      refusal: 'bad-root',
      message: `${FILE_FEEDS_ROOT_SETTING} (${root}) is not an existing folder`,
    };
  }
  let path: string;
  try {
    path = fileURLToPath(url);
  } catch {
    return {
      ok: false,
      refusal: 'not-a-file-url',
      message: 'not a local file URL (use file:///absolute/path)',
    };
  }
  const real = await resolveExisting(path);
  if (!isInside(realRoot, real))
    return {
      ok: false,
      refusal: 'outside-root',
      message: `${url} is outside ${FILE_FEEDS_ROOT_SETTING} (${root}) once symlinks are resolved`,
    };
  return { ok: true, path: real, root: realRoot };
}

/** `path` equals `root` or lies below it (both already resolved). */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!isAbsolute(rel) && rel.split(sep)[0] !== '..');
}

/** realpath, or for a path that does not exist (yet): its nearest existing ancestor's realpath + the rest. */
async function resolveExisting(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    const parent = dirname(path);
    if (parent === path) return path;
    return join(await resolveExisting(parent), basename(path));
  }
}
