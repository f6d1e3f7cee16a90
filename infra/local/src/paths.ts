import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FERRETDB_VERSION = 'v1.24.2';

/** The Go module that builds the launcher (infra/ferretdb), found relative to this file. */
export const FERRETDB_MODULE_DIR = fileURLToPath(new URL('../../ferretdb/', import.meta.url));

/** The files whose content decides the launcher binary; any change to them means a new build. */
const LAUNCHER_SOURCES = ['go.mod', 'go.sum', 'main.go', 'patches.json'] as const;

/** `${PAPERWIRE_CACHE_DIR:-${XDG_CACHE_HOME:-~/.cache}/paperwire}` — outside the repo, shared by clones. */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  if (env.PAPERWIRE_CACHE_DIR) return env.PAPERWIRE_CACHE_DIR;
  const xdg = env.XDG_CACHE_HOME || join(home, '.cache');
  return join(xdg, 'paperwire');
}

/**
 * First 12 hex digits of sha256(go.mod + go.sum + main.go), plain concatenation, so a shell can compute the
 * same key: `cat go.mod go.sum main.go | sha256sum | cut -c1-12`.
 */
export async function launcherSourceHash(moduleDir = FERRETDB_MODULE_DIR): Promise<string> {
  const hash = createHash('sha256');
  for (const name of LAUNCHER_SOURCES) hash.update(await readFile(join(moduleDir, name)));
  return hash.digest('hex').slice(0, 12);
}

/** `<cacheRoot>/ferretdb/v1.24.2-<hash>/ferretdb-launcher` */
export function launcherPath(root: string, sourceHash: string): string {
  return join(root, 'ferretdb', `${FERRETDB_VERSION}-${sourceHash}`, 'ferretdb-launcher');
}
