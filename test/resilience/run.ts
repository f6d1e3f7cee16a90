// `npm run test:resilience`: breaks Paperwire on purpose, on this machine, on loopback, and prints the
// figures. One module per scenario (scenarios/*.ts), each on servers and a queue prefix of its own, each
// returning rows {class, tried, survived, expected, stored, duplicated, lost, notes}. After them all, every
// log line the run produced is searched for the secrets the scenarios configured. Prints the table (plain
// and markdown), writes a JSON report, exits 1 if any row did not survive every case with nothing lost
// and nothing duplicated.
//
//   node --import tsx test/resilience/run.ts [--ci] [--seed S] [--entries N] [--fuzz-cases N]
//                                            [--only a,b] [--out resilience-report.json] [--logs file]
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { apiSecurity } from './scenarios/api-security.ts';
import { badInput } from './scenarios/bad-input.ts';
import { failingFeeds } from './scenarios/failing-feeds.ts';
import { fileFeeds } from './scenarios/file-feeds.ts';
import { gracefulShutdown } from './scenarios/graceful-shutdown.ts';
import { kill9 } from './scenarios/kill9.ts';
import { redisMemory } from './scenarios/redis-memory.ts';
import { hugeFeed, servicePause, shutdownDeadDeps } from './scenarios/reliability.ts';
import { serverRestarts } from './scenarios/server-restarts.ts';
import { ssrf } from './scenarios/ssrf.ts';
import { stalledJob } from './scenarios/stalled-job.ts';
import { secretsRow } from './secrets.ts';
import {
  Cleanup,
  crashedRow,
  LogSink,
  makeSecrets,
  type Options,
  passed,
  type Row,
  type Scenario,
} from './support.ts';

const SCENARIOS: Scenario[] = [
  badInput,
  ssrf,
  apiSecurity,
  fileFeeds,
  kill9,
  serverRestarts,
  stalledJob,
  gracefulShutdown,
  failingFeeds,
  redisMemory,
  servicePause,
  shutdownDeadDeps,
  hugeFeed,
];

const { values: args } = parseArgs({
  options: {
    ci: { type: 'boolean', default: false },
    seed: { type: 'string', default: '20261208' },
    entries: { type: 'string' },
    'fuzz-cases': { type: 'string' },
    only: { type: 'string' },
    logs: { type: 'string' },
    out: { type: 'string', default: 'resilience-report.json' },
  },
});
const positive = (name: string, v: string | undefined, def: number): number => {
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`resilience: --${name} must be a positive integer, got "${v}"`);
  return n;
};

async function main(): Promise<number> {
  const ci = args.ci ?? false;
  const tmpRoot = await mkdtemp(join(tmpdir(), 'paperwire-resilience-'));
  const options: Options = {
    ci,
    seed: positive('seed', args.seed, 20261208),
    entries: positive('entries', args.entries, ci ? 300 : 10_000),
    fuzzCases: positive('fuzz-cases', args['fuzz-cases'], ci ? 2_000 : 10_000),
    tmpRoot,
  };
  const only = args.only?.split(',').map((s) => s.trim());
  const chosen = SCENARIOS.filter((s) => (only ? only.includes(s.name) : !ci || s.ci));
  if (only && chosen.length !== only.length)
    throw new Error(
      `resilience: unknown scenario in --only; known: ${SCENARIOS.map((s) => s.name).join(', ')}`,
    );
  const secrets = makeSecrets();
  const sink = new LogSink(args.logs);
  const rows: Row[] = [];
  const started = Date.now();
  process.stderr.write(
    `resilience: ${chosen.map((s) => s.name).join(', ')}; seed ${options.seed}, entries ${options.entries}, ` +
      `fuzz cases ${options.fuzzCases}${ci ? ' (CI subset)' : ''}\n`,
  );
  try {
    for (const scenario of chosen) {
      const t0 = Date.now();
      const dir = await mkdtemp(join(tmpRoot, `${scenario.name}-`));
      const cleanup = new Cleanup();
      const say = (msg: string) => process.stderr.write(`  [${scenario.name}] ${msg}\n`);
      say('start');
      try {
        const got = await scenario.run({ options, secrets, sink, cleanup, dir, say });
        for (const r of got) {
          r.seconds ??= (Date.now() - t0) / 1000;
          say(`${passed(r) ? 'ok' : 'FAIL'} ${r.class}: ${r.survived}/${r.tried}; ${r.notes}`);
        }
        rows.push(...got);
      } catch (err) {
        process.stderr.write(`  [${scenario.name}] FAILED: ${(err as Error).stack ?? err}\n`);
        rows.push({ ...crashedRow(scenario.name, err), seconds: (Date.now() - t0) / 1000 });
      } finally {
        await cleanup.run();
        await rm(dir, { recursive: true, force: true }).catch(() => {});
      }
      say(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
    rows.push(secretsRow(sink, secrets));
  } finally {
    await rm(tmpRoot, { recursive: true, force: true }).catch(() => {});
  }

  const seconds = (Date.now() - started) / 1000;
  process.stdout.write(`\n${plainTable(rows)}\n\n${markdownTable(rows)}\n\n`);
  const ok = rows.every(passed);
  process.stdout.write(
    `${ok ? 'ALL SURVIVED' : 'FAILED'}: ${rows.filter(passed).length}/${rows.length} rows in ${seconds.toFixed(0)} s\n`,
  );
  await writeFile(
    args.out!,
    `${JSON.stringify({ at: new Date().toISOString(), options: { ...options, tmpRoot: undefined }, seconds, ok, rows }, null, 2)}\n`,
  );
  return ok ? 0 : 1;
}

const HEAD = ['fault or input class', 'tried', 'survived', 'expected', 'stored', 'duplicated', 'lost', 's'];

function cells(r: Row): string[] {
  const n = (x: number | null) => (x === null ? '–' : String(x));
  return [
    r.class,
    String(r.tried),
    String(r.survived),
    n(r.expected),
    n(r.stored),
    String(r.duplicated),
    String(r.lost),
    (r.seconds ?? 0).toFixed(0),
  ];
}

function plainTable(rows: Row[]): string {
  const table = [HEAD, ...rows.map(cells)];
  const widths = HEAD.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const body = table.map(line);
  body.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  const notes = rows.map((r) => `${passed(r) ? 'ok  ' : 'FAIL'} ${r.class}: ${r.notes}`);
  return [...body, '', ...notes].join('\n');
}

function markdownTable(rows: Row[]): string {
  const head = [...HEAD, 'notes'];
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map((_, i) => (i === 0 || i === head.length - 1 ? '---' : '---:')).join(' | ')} |`,
    ...rows.map((r) => `| ${[...cells(r), r.notes].map(esc).join(' | ')} |`),
  ].join('\n');
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`resilience: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);
