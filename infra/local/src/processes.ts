import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { isAlive } from './lock.ts';

const HAS_PROC = existsSync('/proc/self/cmdline');
const execFileP = promisify(execFile);

/**
 * Alive and not a zombie. A dead process nobody has reaped yet still answers kill(pid, 0); in a container,
 * pid 1 may never reap the orphans it inherits.
 */
export async function isRunning(pid: number): Promise<boolean> {
  if (!isAlive(pid)) return false;
  if (!HAS_PROC) return true;
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false; // exited while we looked
  }
}

/** A process's arguments (`/proc/<pid>/cmdline`, or `ps` where there is no /proc); [] when it is gone. */
export async function commandLine(pid: number): Promise<string[]> {
  if (HAS_PROC) {
    try {
      return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').filter(Boolean);
    } catch {
      return [];
    }
  }
  try {
    // ps joins the arguments with spaces; good enough for the substring checks callers make.
    const { stdout } = await execFileP('ps', ['-o', 'args=', '-p', String(pid)]);
    return stdout.trim() ? [stdout.trim()] : [];
  } catch {
    return [];
  }
}

/** SIGTERM, wait up to `graceMs` for the exit, then SIGKILL and wait again. For processes not our children. */
export async function terminate(pid: number, graceMs: number): Promise<void> {
  signal(pid, 'SIGTERM');
  if (await waitForExit(pid, graceMs)) return;
  signal(pid, 'SIGKILL');
  await waitForExit(pid, 5_000);
}

export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (await isRunning(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/** True when something accepts a TCP connection on 127.0.0.1:`port` within 1 s. */
export function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => done(true));
  });
}
