import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheRoot, FERRETDB_MODULE_DIR, launcherPath, launcherSourceHash } from '../src/paths.ts';

describe('cacheRoot', () => {
  it.each([
    [{ PAPERWIRE_CACHE_DIR: '/c', XDG_CACHE_HOME: '/x' }, '/c'],
    [{ XDG_CACHE_HOME: '/x' }, '/x/paperwire'],
    [{ XDG_CACHE_HOME: '' }, '/home/u/.cache/paperwire'],
    [{}, '/home/u/.cache/paperwire'],
  ])('%j → %s', (env, expected) => {
    expect(cacheRoot(env, '/home/u')).toBe(expected);
  });
});

describe('launcher path', () => {
  it('is keyed by version and the sha256 of go.mod + go.sum + main.go + patches.json', async () => {
    const sources = ['go.mod', 'go.sum', 'main.go', 'patches.json'].map((f) =>
      readFileSync(join(FERRETDB_MODULE_DIR, f)),
    );
    const expected = createHash('sha256').update(Buffer.concat(sources)).digest('hex').slice(0, 12);
    const hash = await launcherSourceHash();
    expect(hash).toBe(expected);
    expect(launcherPath('/c', hash)).toBe(`/c/ferretdb/v1.24.2-${expected}/ferretdb-launcher`);
  });
});
