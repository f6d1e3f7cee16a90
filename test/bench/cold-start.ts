// Cold start of the compiled `paperwire` CLI: wall time from spawn to exit of `paperwire --help` and of two
// read commands (`trending`, `papers get`) against already running embedded servers (MONGODB_URI and
// REDIS_URL set, so the CLI starts none), median of N runs each after one unmeasured run, beside reference
// CLIs (`npm --version`, `redis-cli ping`, and `node -e ''` for Node's own start). The database is empty:
// `trending` finds no ranking and `papers get` no paper (both exit 1 after the same reads a hit does).
// Targets (issue 20): --help <= 0.3 s, a read command <= 0.8 s.
//
//   node --conditions=@paperwire/source --import tsx test/bench/cold-start.ts [--runs N]   (needs `npm run build`)
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startEmbeddedServices } from '@paperwire/local-infra';

const REPO_ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(REPO_ROOT, 'services/cli/bin/paperwire.mjs');
export const COLD_START_TARGETS = { helpSeconds: 0.3, readSeconds: 0.8 } as const;

export interface CommandTiming {
  command: string;
  medianSeconds: number;
  minSeconds: number;
  maxSeconds: number;
  /** Median user + system CPU seconds of the process (with GNU time). */
  medianCpuSeconds?: number;
  runs: number;
}

export interface ColdStartFigures {
  runs: number;
  paperwire: { help: CommandTiming; trending: CommandTiming; papersGet: CommandTiming };
  reference: { nodeEmpty: CommandTiming; npmVersion: CommandTiming; redisCliPing?: CommandTiming };
  targets: typeof COLD_START_TARGETS;
  meetsTargets: { help: boolean; read: boolean };
}

interface Spec {
  command: string;
  file: string;
  args: string[];
  env?: Record<string, string>;
  /** Exit codes that count as the command having done its work. */
  okCodes?: number[];
}

/** GNU time, when installed, adds each run's CPU seconds: on a loaded machine wall time mostly measures the wait. */
const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const CPU_LINE = /__cpu ([\d.]+) ([\d.]+)\s*$/;

function runOnce(spec: Spec): Promise<{ seconds: number; cpuSeconds?: number }> {
  return new Promise((done, fail) => {
    const t0 = performance.now();
    const [file, args] = GNU_TIME
      ? [GNU_TIME, ['-f', '__cpu %U %S', spec.file, ...spec.args]]
      : [spec.file, spec.args];
    const child = spawn(file, args, {
      cwd: REPO_ROOT,
      env: { ...process.env, ...spec.env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', fail);
    child.on('close', (code) => {
      const seconds = (performance.now() - t0) / 1000;
      const cpu = CPU_LINE.exec(stderr);
      if ((spec.okCodes ?? [0]).includes(code ?? -1))
        done(cpu ? { seconds, cpuSeconds: Number(cpu[1]) + Number(cpu[2]) } : { seconds });
      else fail(new Error(`cold-start: \`${spec.command}\` exited with ${code}\n${stderr.slice(-2000)}`));
    });
  });
}

const medianOf = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

async function time(spec: Spec, runs: number): Promise<CommandTiming> {
  await runOnce(spec); // unmeasured: page cache, first connection to the servers
  const results: { seconds: number; cpuSeconds?: number }[] = [];
  for (let i = 0; i < runs; i++) results.push(await runOnce(spec));
  const seconds = results.map((r) => r.seconds);
  const cpu = results.flatMap((r) => (r.cpuSeconds === undefined ? [] : [r.cpuSeconds]));
  return {
    command: spec.command,
    medianSeconds: medianOf(seconds),
    minSeconds: Math.min(...seconds),
    maxSeconds: Math.max(...seconds),
    ...(cpu.length === runs ? { medianCpuSeconds: medianOf(cpu) } : {}),
    runs,
  };
}

function which(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const path = join(dir, name);
    if (dir && existsSync(path)) return path;
  }
  return undefined;
}

export async function measureColdStart(options: { runs: number }): Promise<ColdStartFigures> {
  if (!existsSync(join(REPO_ROOT, 'services/cli/dist/main.js')))
    throw new Error('cold-start: the CLI is not built; run `npm run build` first');
  const dataDir = await mkdtemp(join(tmpdir(), 'paperwire-cold-start-'));
  const servers = await startEmbeddedServices({ dataDir, log: () => {} });
  try {
    const env = {
      MONGODB_URI: servers.mongoUri,
      REDIS_URL: servers.redisUrl,
      PAPERWIRE_DATA_DIR: dataDir,
      PAPERWIRE_QUEUE_PREFIX: 'coldstart',
      LOG_LEVEL: 'warn',
    };
    const cli = (command: string, args: string[], okCodes?: number[]): Spec => ({
      command: `paperwire ${command}`,
      file: process.execPath,
      args: [BIN, ...args],
      env,
      ...(okCodes ? { okCodes } : {}),
    });
    const { runs } = options;
    const help = await time(cli('--help', ['--help']), runs);
    const trending = await time(cli('trending', ['trending'], [0, 1]), runs);
    const papersGet = await time(cli('papers get 2401.00001', ['papers', 'get', '2401.00001'], [0, 1]), runs);
    const nodeEmpty = await time({ command: "node -e ''", file: process.execPath, args: ['-e', ''] }, runs);
    const npm = which('npm');
    const npmVersion = await time(
      { command: 'npm --version', file: npm ?? 'npm', args: ['--version'] },
      runs,
    );
    const redisCli = which('redis-cli');
    const { port, hostname } = new URL(servers.redisUrl);
    const redisCliPing = redisCli
      ? await time(
          { command: 'redis-cli ping', file: redisCli, args: ['-h', hostname, '-p', port, 'ping'] },
          runs,
        )
      : undefined;
    return {
      runs,
      paperwire: { help, trending, papersGet },
      reference: { nodeEmpty, npmVersion, ...(redisCliPing ? { redisCliPing } : {}) },
      targets: COLD_START_TARGETS,
      meetsTargets: {
        help: help.medianSeconds <= COLD_START_TARGETS.helpSeconds,
        read: Math.max(trending.medianSeconds, papersGet.medianSeconds) <= COLD_START_TARGETS.readSeconds,
      },
    };
  } finally {
    await servers.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** One line per command for the bench's console output. */
export function formatColdStart(f: ColdStartFigures): string {
  const all = [
    f.paperwire.help,
    f.paperwire.trending,
    f.paperwire.papersGet,
    f.reference.nodeEmpty,
    f.reference.npmVersion,
    ...(f.reference.redisCliPing ? [f.reference.redisCliPing] : []),
  ];
  const rows = all.map(
    (t) =>
      `  ${t.command.padEnd(28)} median ${t.medianSeconds.toFixed(3)} s (min ${t.minSeconds.toFixed(3)}, max ${t.maxSeconds.toFixed(3)})` +
      (t.medianCpuSeconds === undefined ? '' : `, CPU ${t.medianCpuSeconds.toFixed(2)} s`),
  );
  return (
    `cold start, median of ${f.runs} (targets: --help <= ${f.targets.helpSeconds} s ` +
    `${f.meetsTargets.help ? 'met' : 'MISSED'}, read <= ${f.targets.readSeconds} s ${f.meetsTargets.read ? 'met' : 'MISSED'}):\n` +
    `${rows.join('\n')}\n`
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' } } });
  const figures = await measureColdStart({ runs: Number(values.runs) });
  process.stdout.write(formatColdStart(figures));
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}
