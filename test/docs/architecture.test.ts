// ARCHITECTURE.md cannot drift from the code: its tables of queues and jobs, Redis key families and
// collections must name exactly what the job catalogue, the code's Redis keys and the models define.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { JOBS, QUEUES } from '@paperwire/jobs';
import mongoose from 'mongoose';
import { describe, expect, it } from 'vitest';
import { registerModels } from '../../shared/db/src/models.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const architecture = await readFile(join(ROOT, 'ARCHITECTURE.md'), 'utf8');

/** The rows of the first markdown table under `## <heading>`, as cells. */
function tableRows(markdown: string, heading: string): string[][] {
  const start = markdown.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`ARCHITECTURE.md has no "## ${heading}" section`);
  const next = markdown.indexOf('\n## ', start + 1);
  const section = markdown.slice(start, next < 0 ? undefined : next);
  const lines = section.split('\n').filter((l) => l.startsWith('|'));
  // Header, separator, then rows; `\|` inside a cell is not a separator.
  return lines.slice(2).map((l) =>
    l
      .replaceAll('\\|', '\u0000')
      .split('|')
      .slice(1, -1)
      .map((c) => c.replaceAll('\u0000', '|').trim()),
  );
}

/** The text of the first `code` span in a cell. */
const code = (cell: string | undefined): string => /`([^`]+)`/.exec(cell ?? '')?.[1] ?? '';

/** Every .ts file under `dir` (no tests, no node_modules). */
async function sources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts')) continue;
    if (path.includes('/node_modules/') || path.includes('/test/')) continue;
    out.push(path);
  }
  return out;
}

describe('ARCHITECTURE.md', () => {
  it('lists exactly the queues and jobs of the catalogue, each job on its queue', () => {
    const rows = tableRows(architecture, 'Queues and jobs').map(([queue, job]) => [code(queue), code(job)]);
    expect(new Set(rows.map(([queue]) => queue))).toEqual(new Set(QUEUES));
    expect(rows.map(([, job]) => job).sort()).toEqual(Object.keys(JOBS).sort());
    for (const [queue, job] of rows)
      expect([job, queue]).toEqual([job, JOBS[job as keyof typeof JOBS].queue]);
  });

  it('lists exactly the collections of the models', async () => {
    const conn = mongoose.createConnection();
    try {
      const collections = Object.values(registerModels(conn)).map((m) => m.collection.collectionName);
      const documented = tableRows(architecture, 'Collections').map(([name]) => code(name));
      expect(documented.sort()).toEqual(collections.sort());
    } finally {
      await conn.close();
    }
  });

  it('lists exactly the Redis key families (`pw:<family>`) the code builds', async () => {
    const files = [...(await sources(join(ROOT, 'shared'))), ...(await sources(join(ROOT, 'services')))];
    const inCode = new Map<string, string>();
    for (const file of files) {
      for (const m of (await readFile(file, 'utf8')).matchAll(/\bpw:([a-z][a-z-]*)/g))
        inCode.set(m[1]!, relative(ROOT, file));
    }
    const documented = tableRows(architecture, 'Redis keys')
      .map(([key]) => /^pw:([a-z][a-z-]*)/.exec(code(key))?.[1])
      .filter((f): f is string => f !== undefined);
    expect(inCode.size).toBeGreaterThan(5);
    expect(documented.sort()).toEqual([...inCode.keys()].sort());
  });
});
