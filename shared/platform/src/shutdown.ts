// Shutdown in one place: runs once, steps in order (schedulers → workers → queues → Redis → database),
// each step caught and logged, the whole bounded by a timeout. A second signal forces exit.
import type { Logger } from './logger.ts';

/** Steps run phase by phase in this order, and in the order they were added within a phase. */
export const SHUTDOWN_PHASES = [
  'schedulers',
  'workers',
  'servers',
  'queues',
  'connections',
  'embedded',
] as const;
export type ShutdownPhase = (typeof SHUTDOWN_PHASES)[number];

export interface ShutdownStep {
  name: string;
  phase: ShutdownPhase;
  run: () => Promise<unknown>;
}

export interface Shutdown {
  /** Adds a step to its phase. */
  add(step: ShutdownStep): void;
  /** Runs every step once; later calls return the same promise. */
  run(reason: string): Promise<void>;
  /** Installs SIGINT/SIGTERM handlers that run the steps and exit with 128 + signal number. */
  installSignalHandlers(): void;
}

const SIGNAL_NUMBERS: Record<string, number> = { SIGINT: 2, SIGTERM: 15 };

export function createShutdown(log: Logger, timeoutMs: number): Shutdown {
  const steps: ShutdownStep[] = [];
  let running: Promise<void> | undefined;

  const runSteps = async (reason: string) => {
    log.info({ reason }, 'shutdown: starting');
    const ordered = [...steps].sort(
      (a, b) => SHUTDOWN_PHASES.indexOf(a.phase) - SHUTDOWN_PHASES.indexOf(b.phase),
    );
    for (const step of ordered) {
      try {
        await step.run();
        log.debug({ step: step.name }, 'shutdown: step done');
      } catch (err) {
        log.error({ err, step: step.name }, 'shutdown: step failed');
      }
    }
    log.info({ reason }, 'shutdown: complete');
  };

  const run = (reason: string): Promise<void> => {
    running ??= new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        log.error({ timeoutMs }, 'shutdown: timed out; giving up on the remaining steps');
        resolve();
      }, timeoutMs);
      timer.unref();
      void runSteps(reason).finally(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    return running;
  };

  return {
    add: (step) => {
      steps.push(step);
    },
    run,
    installSignalHandlers: () => {
      for (const signal of ['SIGINT', 'SIGTERM'] as const) {
        process.on(signal, () => {
          const code = 128 + (SIGNAL_NUMBERS[signal] ?? 0);
          if (running) {
            log.warn({ signal }, 'shutdown: second signal, forcing exit');
            process.exit(code);
          }
          void run(signal).then(() => process.exit(code));
        });
      }
    },
  };
}
