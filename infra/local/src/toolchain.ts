import { chmod, cp, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { withLock } from './lock.ts';
import { defaultLog, type Log } from './log.ts';
import {
  cacheRoot,
  FERRETDB_MODULE_DIR,
  FERRETDB_VERSION,
  launcherPath,
  launcherSourceHash,
} from './paths.ts';
import { run, tail } from './run.ts';
import { findExecutable } from './which.ts';

const MIN_GO_MINOR = 24;
const GO_FALLBACK_DIRS = ['/usr/local/go/bin'];
const REDIS_FALLBACK_DIRS = ['/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin'];

export interface EnsureOptions {
  log?: Log;
}

/** The Go toolchain to build with: PATH first, then /usr/local/go/bin/go; must be Go ≥ 1.24. */
export async function findGo(
  where: { pathVar?: string; fallbackDirs?: readonly string[] } = {},
): Promise<string> {
  const go = await findExecutable('go', where.fallbackDirs ?? GO_FALLBACK_DIRS, where.pathVar);
  if (!go) throw new Error(goMissingMessage('no `go` on PATH nor at /usr/local/go/bin/go'));
  const { stdout, code } = await run(go, ['version']);
  const version = parseGoVersion(stdout);
  if (code !== 0 || !version) throw new Error(goMissingMessage(`\`${go} version\` gave ${stdout.trim()}`));
  if (version.major === 1 && version.minor < MIN_GO_MINOR) {
    throw new Error(goMissingMessage(`${go} is go${version.major}.${version.minor}, too old`));
  }
  return go;
}

/** `go version go1.26.8 linux/amd64` → { major: 1, minor: 26 }; undefined for anything else. */
export function parseGoVersion(output: string): { major: number; minor: number } | undefined {
  const m = /\bgo(\d+)\.(\d+)/.exec(output);
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : undefined;
}

function goMissingMessage(found: string): string {
  return (
    `local-infra: the embedded FerretDB is built once from infra/ferretdb and needs Go >= 1.${MIN_GO_MINOR} ` +
    `(${found}). Do one of:\n` +
    `  - install Go >= 1.${MIN_GO_MINOR} from https://go.dev/dl (Debian's golang package is too old for this ` +
    'module), e.g. into /usr/local/go, then run `npm run setup` again;\n' +
    '  - run a real MongoDB instead: `docker compose up -d mongo` and ' +
    'export MONGODB_URI=mongodb://127.0.0.1:27017/paperwire?directConnection=true;\n' +
    '  - or set MONGODB_URI to any MongoDB 7 you can reach.'
  );
}

/**
 * Builds the FerretDB launcher once per content of infra/ferretdb and caches it outside the repo, at
 * `<cache>/ferretdb/v1.24.2-<hash>/ferretdb-launcher`. Safe to call from many processes at once: one builds
 * under a lock, into a temporary file renamed into place; the others wait and reuse it.
 */
export async function ensureFerretDbBinary(opts: EnsureOptions = {}): Promise<string> {
  const log = opts.log ?? defaultLog;
  const binary = launcherPath(cacheRoot(), await launcherSourceHash());
  if (await isFile(binary)) return binary;

  const dir = dirname(binary);
  await mkdir(dir, { recursive: true });
  return withLock(
    join(dir, 'build.lock'),
    async () => {
      if (await isFile(binary)) return binary; // built by whoever held the lock before us
      const go = await findGo();
      log(`building FerretDB ${FERRETDB_VERSION} launcher (once, ~1-2 min)…`);
      const started = Date.now();
      const tmp = `${binary}.tmp-${process.pid}`;
      try {
        const env = {
          ...process.env,
          PATH: `${dirname(go)}:${process.env.PATH ?? ''}`,
          GOTOOLCHAIN: 'local', // never fetch another toolchain behind the user's back
          CGO_ENABLED: '0', // pure Go (modernc SQLite): no C compiler needed
          GOFLAGS: '-mod=readonly',
        };
        const buildDir = await patchedLauncherSource(go, env, join(dir, `src-${process.pid}`));
        let result: Awaited<ReturnType<typeof run>>;
        try {
          result = await run(go, ['build', '-trimpath', '-ldflags=-s -w', '-o', tmp, '.'], {
            cwd: buildDir,
            env,
          });
        } finally {
          await rm(dirname(buildDir), { recursive: true, force: true });
        }
        if (result.code !== 0) {
          throw new Error(
            `local-infra: building the FerretDB launcher failed (go build exit ${result.code}):\n` +
              tail(result.stderr + result.stdout),
          );
        }
        await chmod(tmp, 0o755);
        await rename(tmp, binary);
      } finally {
        await rm(tmp, { force: true });
      }
      log(`cached at ${binary} (built in ${Math.round((Date.now() - started) / 1000)} s)`);
      return binary;
    },
    { onWait: (owner) => log(`waiting for ${owner} to finish building the FerretDB launcher…`) },
  );
}

/** infra/ferretdb/patches.json: source edits applied to the FerretDB module at build time. */
export interface SourcePatches {
  module: string;
  patches: { file: string; why: string; find: string; replace: string }[];
}

/** Applies one patch to a file's text; throws unless `find` occurs exactly once (the module moved on). */
export function applyPatch(text: string, patch: SourcePatches['patches'][number]): string {
  const at = text.indexOf(patch.find);
  if (at < 0 || text.indexOf(patch.find, at + 1) >= 0) {
    throw new Error(
      `local-infra: FerretDB patch for ${patch.file} does not apply (expected exactly one ${JSON.stringify(patch.find)}); ` +
        'update infra/ferretdb/patches.json for this FerretDB version',
    );
  }
  return text.slice(0, at) + patch.replace + text.slice(at + patch.find.length);
}

/**
 * A build tree under `workDir`: a copy of the FerretDB module with patches.json applied (`go build -overlay`
 * may not replace files in the module cache, and the cache stays untouched) and a copy of the launcher
 * module whose go.mod points at it with a `replace`. Returns the launcher copy's directory.
 */
async function patchedLauncherSource(go: string, env: NodeJS.ProcessEnv, workDir: string): Promise<string> {
  const spec = JSON.parse(await readFile(join(FERRETDB_MODULE_DIR, 'patches.json'), 'utf8')) as SourcePatches;
  const download = await run(go, ['mod', 'download', '-json', spec.module], {
    cwd: FERRETDB_MODULE_DIR,
    env,
  });
  const moduleDir = download.code === 0 ? (JSON.parse(download.stdout) as { Dir?: string }).Dir : undefined;
  if (!moduleDir) {
    throw new Error(
      `local-infra: \`go mod download ${spec.module}\` failed (exit ${download.code}):\n${tail(download.stderr + download.stdout)}`,
    );
  }
  const moduleCopy = join(workDir, 'ferretdb');
  const launcher = join(workDir, 'launcher');
  await rm(workDir, { recursive: true, force: true });
  await cp(moduleDir, moduleCopy, { recursive: true });
  for (const patch of spec.patches) {
    const file = join(moduleCopy, patch.file);
    const text = applyPatch(await readFile(file, 'utf8'), patch);
    await rm(file, { force: true }); // the module cache's files are read-only, and so are their copies
    await writeFile(file, text);
  }
  await mkdir(launcher, { recursive: true });
  for (const name of ['go.mod', 'go.sum', 'main.go'])
    await cp(join(FERRETDB_MODULE_DIR, name), join(launcher, name));
  const edit = await run(go, ['mod', 'edit', `-replace=${spec.module}=${moduleCopy}`], {
    cwd: launcher,
    env,
  });
  if (edit.code !== 0) throw new Error(`local-infra: go mod edit failed:\n${tail(edit.stderr)}`);
  return launcher;
}

/**
 * The path to `redis-server`. When it is missing and we are root with apt-get, installs Debian's
 * redis-server (refreshing the package lists if the first attempt fails); otherwise says what to do.
 */
export async function ensureRedisServer(opts: EnsureOptions = {}): Promise<string> {
  const log = opts.log ?? defaultLog;
  const found = await findExecutable('redis-server', REDIS_FALLBACK_DIRS);
  if (found) return found;

  const aptGet = await findExecutable('apt-get', ['/usr/bin']);
  const isRoot = process.getuid?.() === 0;
  if (!aptGet || !isRoot) {
    throw new Error(
      'local-infra: `redis-server` (Redis >= 6.2) is not installed. Install it, e.g. ' +
        '`sudo apt-get install -y redis-server` on Debian/Ubuntu or `brew install redis` on macOS, ' +
        'or set REDIS_URL to a Redis you run yourself (with maxmemory-policy noeviction).',
    );
  }
  log('redis-server is missing: running `apt-get install -y redis-server`…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => run(aptGet, ['install', '-y', '--no-install-recommends', 'redis-server'], { env });
  let result = await install();
  if (result.code !== 0) {
    log('apt-get install failed; running `apt-get update` and trying again…');
    const update = await run(aptGet, ['update'], { env });
    if (update.code !== 0) log(`apt-get update failed:\n${tail(update.stderr)}`);
    result = await install();
  }
  const installed = await findExecutable('redis-server', REDIS_FALLBACK_DIRS);
  if (result.code !== 0 || !installed) {
    throw new Error(
      `local-infra: \`apt-get install -y redis-server\` failed (exit ${result.code}):\n${tail(result.stderr)}\n` +
        'Install redis-server yourself, or set REDIS_URL to a Redis you run (maxmemory-policy noeviction).',
    );
  }
  log(`installed ${installed}`);
  return installed;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
