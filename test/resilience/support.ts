// What every resilience scenario shares: the row it reports, a cleanup stack that runs even when the
// scenario fails, private redis-server and FerretDB processes on fixed loopback ports (so they can be
// stopped and started again under the same URL while the workers keep running), the real `paperwire` CLI
// as child processes whose every output line is kept (the secrets scan reads them all), and polling with a
// deadline. No scenario touches the test run's shared servers or the machine's Redis on 6379.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { appendFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { ensureFerretDbBinary, ensureRedisServer } from '@paperwire/local-infra';
import { commonEnvSchema, createLogger, type Logger } from '@paperwire/platform';
import { createRuntime, type Runtime } from '@paperwire/runtime';
import { type Db, MongoClient } from 'mongodb';
import { freePort, redisArgs } from '../../infra/local/src/redis.ts';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
const BIN = resolve(REPO_ROOT, 'services/cli/bin/paperwire.mjs');

/** One line of the report. `expected`/`stored` are papers (or entries, see notes); null where n/a. */
export interface Row {
  class: string;
  tried: number;
  survived: number;
  expected: number | null;
  stored: number | null;
  duplicated: number;
  lost: number;
  notes: string;
  seconds?: number;
}

export const passed = (row: Row): boolean =>
  row.tried > 0 && row.survived === row.tried && row.duplicated === 0 && row.lost === 0;

export interface Options {
  seed: number;
  entries: number;
  fuzzCases: number;
  ci: boolean;
  /** Every scenario's own temp dirs live under here. */
  tmpRoot: string;
}

/** Secrets the scenarios configure; the final row proves none of them reached any log line. */
export interface Secrets extends Record<string, string> {
  redisPassword: string;
  apiKey: string;
  smtpPassword: string;
  webhookSecret: string;
}

export function makeSecrets(): Secrets {
  const s = (head: string) => `${head}${randomBytes(12).toString('hex')}`;
  return {
    redisPassword: s('redispw'),
    apiKey: s('pw_rsk'),
    smtpPassword: s('smtppw'),
    webhookSecret: s('whsec'),
  };
}

/** Every log line written by every process and in-process logger of the run. */
export class LogSink {
  readonly lines: string[] = [];
  /** Also appended to this file (`--logs <file>`), to read while a run goes on. */
  constructor(private readonly file?: string) {}
  push(source: string, chunk: string): void {
    for (const line of chunk.split('\n')) {
      if (line.trim() === '') continue;
      this.lines.push(`${source}\t${line}`);
      if (this.file) appendFileSync(this.file, `${source}\t${line}\n`);
    }
  }
  /** A pino logger writing into the sink (and nowhere else). */
  logger(service: string, level = 'info'): Logger {
    return createLogger({
      service,
      level,
      destination: { write: (line: string) => this.push(service, line) },
    });
  }
}

/** Cleanups run in reverse order, each caught: a failing one never skips the rest. */
export class Cleanup {
  private readonly fns: { what: string; fn: () => Promise<unknown> }[] = [];
  add(what: string, fn: () => Promise<unknown>): void {
    this.fns.push({ what, fn });
  }
  async run(): Promise<void> {
    for (const { what, fn } of this.fns.splice(0).reverse()) {
      try {
        await fn();
      } catch (err) {
        process.stderr.write(`resilience: cleanup "${what}" failed: ${(err as Error).message}\n`);
      }
    }
  }
}

export interface Scenario {
  name: string;
  /** In the CI subset. */
  ci: boolean;
  run(ctx: ScenarioContext): Promise<Row[]>;
}

export interface ScenarioContext {
  options: Options;
  secrets: Secrets;
  sink: LogSink;
  cleanup: Cleanup;
  /** A temp dir of this scenario's own. */
  dir: string;
  say(msg: string): void;
}

// ---------- children we must never leave behind ----------
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});
// Ctrl-C / SIGTERM: exit through the 'exit' hook above, so no server or CLI process is left behind.
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));
function track(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
}

export function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** SIGTERM (or `signal`), wait up to `graceMs`, then SIGKILL. Resolves with the exit code or -signal. */
export async function stopProcess(child: ChildProcess, graceMs = 30_000, signal: NodeJS.Signals = 'SIGTERM') {
  if (exited(child)) return child.exitCode ?? -1;
  const done = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  const [code] = await done;
  clearTimeout(timer);
  return code ?? -1;
}

// ---------- Redis on a fixed port, with a password ----------
export interface OwnRedis {
  url: string;
  port: number;
  pid(): number | undefined;
  /** SHUTDOWN via SIGTERM (AOF flushed), waits for the exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port and dir. */
  start(): Promise<void>;
}

export async function startOwnRedis(dir: string, password: string, cleanup: Cleanup): Promise<OwnRedis> {
  const bin = await ensureRedisServer({ log: () => {} });
  const dataDir = join(dir, 'redis');
  await mkdir(dataDir, { recursive: true });
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    const c = spawn(bin, [...redisArgs(port, dataDir), '--requirepass', password], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    track(c);
    child = c;
    const deadline = Date.now() + 15_000;
    while (!(await pingWithAuth(port, password))) {
      if (exited(c) || Date.now() > deadline)
        throw new Error(`resilience: redis-server on ${port} did not start`);
      await sleep(50);
    }
  };
  await start();
  const handle: OwnRedis = {
    url: `redis://:${password}@127.0.0.1:${port}`,
    port,
    pid: () => child?.pid,
    async stop() {
      if (child) await stopProcess(child, 20_000);
    },
    start,
  };
  cleanup.add(`redis ${port}`, () => handle.stop());
  return handle;
}

/** AUTH + PING over raw RESP: true once the server answers +PONG (not while -LOADING). */
function pingWithAuth(port: number, password: string): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let reply = '';
    const finish = (ok: boolean) => {
      socket.destroy();
      done(ok);
    };
    socket.setTimeout(1_000, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('connect', () => socket.write(`AUTH ${password}\r\nPING\r\n`));
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      const lines = reply.split('\r\n');
      if (lines.length >= 3) finish(lines[1] === '+PONG');
    });
  });
}

// ---------- FerretDB on a fixed port ----------
export interface OwnFerret {
  /** `mongodb://127.0.0.1:<port>/` without a database. */
  base: string;
  uri(db: string): string;
  pid(): number | undefined;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startOwnFerret(dir: string, cleanup: Cleanup): Promise<OwnFerret> {
  const binary = await ensureFerretDbBinary({ log: (m) => process.stderr.write(`resilience: ${m}\n`) });
  const sqliteDir = join(dir, 'ferretdb');
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    const args = ['--listen-addr', `127.0.0.1:${port}`, '--sqlite-dir', sqliteDir, '--log-level', 'error'];
    // --parent-watch: the launcher exits when our stdin pipe to it closes, i.e. when we die.
    const c = spawn(binary, [...args, '--parent-watch'], { stdio: ['pipe', 'pipe', 'pipe'] });
    track(c);
    child = c;
    c.stderr?.resume();
    const lines = createInterface({ input: c.stdout! });
    await new Promise<void>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`resilience: FerretDB on ${port} not ready`)), 60_000);
      lines.on('line', (line) => {
        if (line.startsWith('READY ')) {
          clearTimeout(timer);
          ok();
        }
      });
      c.once('exit', (code) => {
        clearTimeout(timer);
        fail(new Error(`resilience: FerretDB on ${port} exited (${code}) before it was ready`));
      });
    });
  };
  await start();
  const base = `mongodb://127.0.0.1:${port}/`;
  const handle: OwnFerret = {
    base,
    uri: (db) => `${base}${db}`,
    pid: () => child?.pid,
    async stop() {
      if (child) await stopProcess(child, 20_000);
    },
    start,
  };
  cleanup.add(`ferretdb ${port}`, () => handle.stop());
  return handle;
}

// ---------- the real CLI ----------
export interface Proc {
  name: string;
  child: ChildProcess;
  /** Everything it wrote (stdout and stderr). */
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number>;
}

/** Spawns `paperwire <args>`, every output line into the sink; resolves once `ready` matches (if given). */
export async function spawnCli(
  name: string,
  args: string[],
  env: Record<string, string>,
  sink: LogSink,
  cleanup: Cleanup,
  ready?: RegExp,
  readyMs = 120_000,
): Promise<Proc> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(child);
  let out = '';
  const onData = (d: Buffer) => {
    const s = d.toString();
    out += s;
    sink.push(name, s);
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const proc: Proc = { name, child, output: () => out, stop: (signal) => stopProcess(child, 30_000, signal) };
  cleanup.add(`process ${name}`, () => stopProcess(child, 5_000, 'SIGKILL'));
  if (ready) {
    await waitUntil(
      `${name} ready`,
      () => {
        if (exited(child))
          throw new Error(`resilience: ${name} exited (${child.exitCode}):\n${out.slice(-3000)}`);
        return ready.test(out) || 'not yet';
      },
      readyMs,
      100,
    );
  }
  return proc;
}

/** Runs `paperwire <args>` to the end. */
export async function runCliToEnd(
  name: string,
  args: string[],
  env: Record<string, string>,
  sink: LogSink,
  cleanup: Cleanup,
  timeoutMs = 300_000,
): Promise<{ code: number; output: string }> {
  const proc = await spawnCli(name, args, env, sink, cleanup);
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), timeoutMs);
  const [code] = (await once(proc.child, 'exit')) as [number | null];
  clearTimeout(timer);
  return { code: code ?? -1, output: proc.output() };
}

export const READY = /paperwire: started/;

/** The environment of a pipeline process on our own servers. */
export function pipelineEnv(
  mongoUri: string,
  redisUrl: string,
  prefix: string,
  dataDir: string,
  secrets: Secrets,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    MONGODB_URI: mongoUri,
    REDIS_URL: redisUrl,
    PAPERWIRE_QUEUE_PREFIX: prefix,
    PAPERWIRE_DATA_DIR: dataDir,
    PAPERWIRE_ALLOW_PRIVATE_NETWORKS: 'true',
    PAPERWIRE_SEED_DEFAULT_FEEDS: 'false',
    BUDGET_ARXIV_MS: '0',
    BUDGET_HUGGINGFACE_MS: '0',
    BUDGET_HACKERNEWS_MS: '0',
    BUDGET_REDDIT_MS: '0',
    BUDGET_WEB_HOST_MS: '0',
    HF_REPOLL_DAYS: '0',
    // As in test/e2e/scale-out: FerretDB serialises writes, so more resolves in flight only add lock
    // contention (docs/operations.md, Scaling out).
    RESOLVE_CONCURRENCY: '1',
    LOG_LEVEL: 'info',
    LOG_PRETTY: 'false',
    METRICS_PORT: '0',
    // Configured but unused by these components: they must never be logged all the same.
    SMTP_PASSWORD: secrets.smtpPassword,
    PAPERWIRE_API_KEYS: secrets.apiKey,
    ...extra,
  };
}

/** A runtime of the runner's own (reads, enqueues) on the scenario's servers. */
export async function runnerRuntime(
  mongoUri: string,
  redisUrl: string,
  prefix: string,
  sink: LogSink,
  cleanup: Cleanup,
): Promise<Runtime> {
  const config = commonEnvSchema.parse({
    MONGODB_URI: mongoUri,
    REDIS_URL: redisUrl,
    PAPERWIRE_QUEUE_PREFIX: prefix,
    LOG_LEVEL: 'info',
  });
  const rt = await createRuntime(config, sink.logger('runner'), { shutdownTimeoutMs: 20_000 });
  cleanup.add('runner runtime', () => rt.shutdown.run('resilience scenario done'));
  return rt;
}

/** A plain driver connection for the runner's own reads. */
export async function mongoDb(uri: string, cleanup: Cleanup): Promise<Db> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 60_000 });
  await client.connect();
  cleanup.add('mongo client', () => client.close());
  return client.db();
}

export const uniq = (name: string) => `res-${name}-${randomBytes(3).toString('hex')}`;

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `check` (true or a description of what it saw) until true; throws with the last description. */
export async function waitUntil(
  what: string,
  check: () => Promise<true | string> | true | string,
  timeoutMs: number,
  pollMs = 250,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen: true | string = 'nothing yet';
  for (;;) {
    try {
      seen = await check();
    } catch (err) {
      if ((err as Error).message.startsWith('resilience:')) throw err;
      seen = `error: ${(err as Error).message}`;
    }
    if (seen === true) return;
    if (Date.now() > deadline) throw new Error(`resilience: timed out waiting for ${what}; last: ${seen}`);
    await sleep(pollMs);
  }
}

/** A row for a scenario that threw before it could count anything. */
export function crashedRow(cls: string, err: unknown): Row {
  const msg = err instanceof Error ? err.message : String(err);
  return {
    class: cls,
    tried: 1,
    survived: 0,
    expected: null,
    stored: null,
    duplicated: 0,
    lost: 0,
    notes: `scenario failed: ${msg.split('\n')[0]!.slice(0, 300)}`,
  };
}
