// A liveness heartbeat for processes without an HTTP port (the workers): every interval the process checks
// its connections and, when they answer, rewrites a file with the time. The container healthcheck
// (infra/docker/healthcheck.mjs worker) reads the file and fails when it is missing or stale, so a process
// whose event loop is stuck, or that lost Redis or the database, turns unhealthy.
import { rename, writeFile } from 'node:fs/promises';
import type { Logger } from './logger.ts';

export interface HeartbeatOptions {
  file: string;
  intervalMs: number;
  /** Resolves when the process is able to work (e.g. Redis and the database answer a ping). */
  check: () => Promise<void>;
  log: Logger;
  now?: () => Date;
}

export interface Heartbeat {
  /** Runs one check-and-write now (the first one runs at start). */
  beat(): Promise<boolean>;
  stop(): void;
}

export function startHeartbeat(options: HeartbeatOptions): Heartbeat {
  const now = options.now ?? (() => new Date());
  let failing = false;
  const once = async (): Promise<boolean> => {
    try {
      await options.check();
      // Write then rename, so the healthcheck never reads a half-written file.
      const tmp = `${options.file}.tmp`;
      await writeFile(tmp, `${now().toISOString()}\n`);
      await rename(tmp, options.file);
      if (failing) options.log.info({ file: options.file }, 'heartbeat: healthy again');
      failing = false;
      return true;
    } catch (err) {
      if (!failing) options.log.warn({ err, file: options.file }, 'heartbeat: check failed; not beating');
      failing = true;
      return false;
    }
  };
  // One beat at a time: the interval and an explicit beat() never write the file at once.
  let last = Promise.resolve(true);
  const beat = (): Promise<boolean> => {
    last = last.then(once);
    return last;
  };
  void beat();
  const timer = setInterval(() => void beat(), options.intervalMs);
  timer.unref();
  return { beat, stop: () => clearInterval(timer) };
}
