// ensureFerretDbBinary from several processes at once, against a fake `go` that counts its builds: one
// build, every caller gets the same complete binary, nothing temporary left behind.
import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const toolchain = fileURLToPath(new URL('../src/toolchain.ts', import.meta.url));

// `go version` answers like Go 1.26; `go mod download -json` names a fake FerretDB module (with the text
// infra/ferretdb/patches.json edits); `go mod edit` succeeds; `go build … -o OUT .` sleeps, counts, and
// writes OUT slowly.
const FAKE_GO = `#!/bin/sh
if [ "$1" = version ]; then echo "go version go1.26.0 linux/amd64"; exit 0; fi
if [ "$1" = mod ] && [ "$2" = download ]; then echo "{\\"Dir\\": \\"$FAKE_GO_MODULE\\"}"; exit 0; fi
if [ "$1" = mod ] && [ "$2" = edit ]; then exit 0; fi
out=""; prev=""
for a in "$@"; do [ "$prev" = "-o" ] && out="$a"; prev="$a"; done
echo build >> "$FAKE_GO_COUNTER"
printf 'half' > "$out"; sleep 1; printf ' and whole' >> "$out"
`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pw-binary-cache-'));
  await writeFile(join(dir, 'go'), FAKE_GO);
  await chmod(join(dir, 'go'), 0o755);
  const spec = JSON.parse(
    await readFile(fileURLToPath(new URL('../../ferretdb/patches.json', import.meta.url)), 'utf8'),
  ) as { patches: { file: string; find: string }[] };
  // One fake file per patched file, holding the text of every patch to it.
  const texts = new Map<string, string>();
  for (const patch of spec.patches) {
    texts.set(patch.file, `${texts.get(patch.file) ?? 'package x\n\n'}${patch.find}\n`);
  }
  for (const [file, text] of texts) {
    await mkdir(dirname(join(dir, 'module', file)), { recursive: true });
    await writeFile(join(dir, 'module', file), text);
  }
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function callEnsure(): Promise<string> {
  const script = `const { ensureFerretDbBinary } = await import(${JSON.stringify(toolchain)});
    process.stdout.write(await ensureFerretDbBinary({ log: () => {} }));`;
  const child = spawn(
    process.execPath,
    ['--conditions=@paperwire/source', '--import', 'tsx', '--input-type=module', '-e', script],
    {
      env: {
        ...process.env,
        PATH: `${dir}:${process.env.PATH}`,
        PAPERWIRE_CACHE_DIR: join(dir, 'cache'),
        FAKE_GO_COUNTER: join(dir, 'builds'),
        FAKE_GO_MODULE: join(dir, 'module'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c));
  child.stderr.on('data', (c: Buffer) => (err += c));
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}: ${err}`))));
  });
}

describe('ensureFerretDbBinary', () => {
  it('builds once for many concurrent callers and publishes only whole binaries', async () => {
    const paths = await Promise.all([callEnsure(), callEnsure(), callEnsure(), callEnsure()]);
    expect(new Set(paths).size).toBe(1);
    const binary = paths[0]!;
    expect(binary).toMatch(/\/cache\/ferretdb\/v1\.24\.2-[0-9a-f]{12}\/ferretdb-launcher$/);
    expect(await readFile(binary, 'utf8')).toBe('half and whole');
    expect((await readFile(join(dir, 'builds'), 'utf8')).trim().split('\n')).toHaveLength(1);
    expect(await readdir(join(binary, '..'))).toEqual(['ferretdb-launcher']);

    await expect(callEnsure()).resolves.toBe(binary); // cached: no second build
    expect((await readFile(join(dir, 'builds'), 'utf8')).trim().split('\n')).toHaveLength(1);
  }, 120_000);
});
