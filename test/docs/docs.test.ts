// The README stays a newcomer's page (<= 12 KB, the quick start unchanged) and no relative link in the
// README, ARCHITECTURE.md or docs/ points at a file that does not exist.
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

// Written on other branches of issue 17/18 work and linked from here already; remove each entry once that
// branch is merged (the test then checks those links too).
async function markdownFiles(): Promise<string[]> {
  const docs = await readdir(join(ROOT, 'docs'), { recursive: true, withFileTypes: true });
  return [
    join(ROOT, 'README.md'),
    join(ROOT, 'ARCHITECTURE.md'),
    ...docs.filter((e) => e.isFile() && e.name.endsWith('.md')).map((e) => join(e.parentPath, e.name)),
  ];
}

describe('README.md', () => {
  it('is at most 12 KB and keeps the two-command quick start', async () => {
    const readme = await readFile(join(ROOT, 'README.md'));
    expect(readme.byteLength).toBeLessThanOrEqual(12 * 1024);
    const text = readme.toString('utf8');
    expect(text).toContain('npm ci && npm run once');
    expect(text).toContain('npm ci && npm test');
  });
});

describe('relative links in README.md, ARCHITECTURE.md and docs/', () => {
  it('resolve to files or folders of the repository', async () => {
    const files = await markdownFiles();
    expect(files.length).toBeGreaterThan(5);
    const broken: string[] = [];
    let checked = 0;
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1]!;
        if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) continue;
        const path = join(dirname(file), decodeURIComponent(target.split('#')[0]!));
        checked++;
        if (!existsSync(path) || !((await stat(path)).isFile() || (await stat(path)).isDirectory()))
          broken.push(`${relative(ROOT, file)} → ${target}`);
      }
    }
    expect(checked).toBeGreaterThan(20);
    expect(broken).toEqual([]);
  });
});
