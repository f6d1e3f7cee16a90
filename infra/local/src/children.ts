import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';

// Every server we start, so a process that exits without calling stop() still takes them along.
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

export function track(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // 'exit' handlers must be synchronous: send SIGTERM and let the servers shut down on their own.
    process.on('exit', () => {
      for (const c of live) c.kill('SIGTERM');
    });
  }
}

export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** SIGTERM, wait up to `graceMs` for the exit, then SIGKILL and wait again. */
export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (hasExited(child)) return;
  child.ref(); // an unref'd child's exit would not keep us alive long enough to see it
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = new Promise<'timeout'>((resolve) => setTimeout(resolve, graceMs, 'timeout').unref());
  if ((await Promise.race([exited, timer])) === 'timeout' && !hasExited(child)) {
    child.kill('SIGKILL');
    await exited;
  }
}

/** Lets our process exit while the child runs: the child and its pipes no longer hold the event loop. */
export function unrefChild(child: ChildProcess): void {
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) {
    (stream as unknown as { unref?: () => void } | null)?.unref?.();
  }
}

/** Keeps the last `max` characters of a child's output for error messages. */
export class OutputTail {
  private text = '';
  constructor(private readonly max = 8_000) {}
  push(chunk: Buffer | string): void {
    this.text = (this.text + chunk.toString()).slice(-this.max);
  }
  toString(): string {
    return this.text.trimEnd() || '(no output)';
  }
}
