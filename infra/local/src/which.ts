import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

/** The first executable named `name` on PATH, then in `extraDirs`; undefined when there is none. */
export async function findExecutable(
  name: string,
  extraDirs: readonly string[] = [],
  pathVar = process.env.PATH ?? '',
): Promise<string | undefined> {
  const dirs = [...pathVar.split(delimiter).filter(Boolean), ...extraDirs];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return undefined;
}
