import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { hasExited, OutputTail, stopChild, track, unrefChild } from './children.ts';
import { defaultLog, type Log } from './log.ts';
import { ensureFerretDbBinary } from './toolchain.ts';

export interface StartFerretDbOptions {
  /** FerretDB keeps its SQLite files in `<dataDir>/ferretdb`. */
  dataDir: string;
  log?: Log;
  /** A launcher to run instead of the cached build (tests of this module). */
  binary?: string;
  readyTimeoutMs?: number;
}

export interface FerretDbHandle {
  uri: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Starts FerretDB v1 (SQLite backend) on a free loopback port. The launcher watches its stdin
 * (--parent-watch), so it exits with this process however this process ends.
 */
export async function startFerretDb(opts: StartFerretDbOptions): Promise<FerretDbHandle> {
  const log = opts.log ?? defaultLog;
  const binary = opts.binary ?? (await ensureFerretDbBinary({ log }));
  const sqliteDir = join(opts.dataDir, 'ferretdb');
  const args = ['--listen-addr', '127.0.0.1:0', '--sqlite-dir', sqliteDir, '--log-level', 'warn'];
  // detached: a terminal's Ctrl-C reaches only us, and we stop FerretDB after our own graceful shutdown.
  const child = spawn(binary, [...args, '--parent-watch'], {
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  track(child);
  const stderr = new OutputTail();
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));

  const uri = await new Promise<string>((resolve, reject) => {
    const timeoutMs = opts.readyTimeoutMs ?? 30_000;
    const fail = (why: string) => {
      cleanup();
      if (!hasExited(child)) child.kill('SIGKILL');
      reject(new Error(`local-infra: FerretDB ${why}; its stderr ended with:\n${stderr}`));
    };
    const timer = setTimeout(() => fail(`did not report READY within ${timeoutMs / 1000} s`), timeoutMs);
    const lines = createInterface({ input: child.stdout });
    const onLine = (line: string) => {
      const m = /^READY (\S+)/.exec(line);
      if (!m?.[1]) return;
      cleanup();
      resolve(m[1]);
    };
    const onExit = (code: number | null, signal: string | null) =>
      fail(`exited before it was ready (code ${code}, signal ${signal})`);
    const onError = (err: Error) => fail(`could not be started from ${binary}: ${err.message}`);
    const cleanup = () => {
      clearTimeout(timer);
      lines.off('line', onLine);
      child.off('exit', onExit);
      child.off('error', onError);
    };
    lines.on('line', onLine);
    child.once('exit', onExit);
    child.once('error', onError);
  });

  unrefChild(child);
  let stopping = false;
  child.once('exit', (code, signal) => {
    if (!stopping) log(`FerretDB (pid ${child.pid}) exited unexpectedly (code ${code}, signal ${signal})`);
  });
  log(`FerretDB ready at ${uri} (pid ${child.pid}, data in ${sqliteDir})`);
  return {
    uri,
    pid: child.pid!,
    async stop() {
      stopping = true;
      await stopChild(child);
    },
  };
}
