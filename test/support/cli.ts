// Runs the real `paperwire` CLI as a child process (the same bin `npx paperwire` runs), with its own
// environment, and collects its output.
import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
const BIN = resolve(REPO_ROOT, 'services/cli/bin/paperwire.mjs');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], env: Record<string, string>, timeoutMs = 120_000): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`paperwire ${args.join(' ')} timed out\n${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

/** Starts a long-running CLI command; resolves once `ready` matches its stderr. */
export function startCli(
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
  timeoutMs = 120_000,
): Promise<{ child: ChildProcess; match: RegExpMatchArray; stop: () => Promise<number | null> }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    const stop = () =>
      new Promise<number | null>((done) => {
        if (child.exitCode !== null) return done(child.exitCode);
        child.once('close', (code, signal) => done(code ?? (signal ? -1 : null)));
        child.kill('SIGTERM');
      });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`paperwire ${args.join(' ')} did not get ready\n${stderr}`));
    }, timeoutMs);
    child.stderr.on('data', (d) => {
      stderr += d;
      const match = ready.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolvePromise({ child, match, stop });
      }
    });
    child.stdout.resume();
    child.on('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`paperwire ${args.join(' ')} exited with ${code}\n${stderr}`));
    });
  });
}
