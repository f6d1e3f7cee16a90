// infra/ferretdb/patches.json is applied when the launcher is built: the patch text is exact (it fails
// loudly on another FerretDB version), and the binary the tests run carries the patched _id expression.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FERRETDB_MODULE_DIR } from '../src/paths.ts';
import { applyPatch, ensureFerretDbBinary, type SourcePatches } from '../src/toolchain.ts';

const spec = JSON.parse(await readFile(join(FERRETDB_MODULE_DIR, 'patches.json'), 'utf8')) as SourcePatches;
const idPatch = spec.patches.find((p) => p.file.endsWith('sqlite/metadata/metadata.go'));

describe('FerretDB source patches', () => {
  it('replaces exactly one occurrence, and refuses text where it is missing or repeated', () => {
    const patch = { file: 'a.go', why: 'test', find: 'x = 1', replace: 'x = 2' };
    expect(applyPatch('const (\n\tx = 1\n)\n', patch)).toBe('const (\n\tx = 2\n)\n');
    expect(() => applyPatch('const y = 1\n', patch)).toThrow(/does not apply/);
    expect(() => applyPatch('x = 1; x = 1', patch)).toThrow(/does not apply/);
  });

  it('the launcher queries _id with the expression its unique index is built on', async () => {
    expect(idPatch, 'the _id expression patch').toBeDefined();
    const binary = await readFile(await ensureFerretDbBinary({ log: () => {} }));
    // FerretDB's indexesCreate builds `_ferretdb_sjson->"_id"`; the query expression must be identical
    // for SQLite to use that index instead of scanning the table. (The unpatched `->'$._id'` text stays in
    // the binary: FerretDB's MySQL backend, compiled in but unused, has the same constant.)
    expect(binary.includes(Buffer.from('_ferretdb_sjson->"_id"'))).toBe(true);
  });
});
