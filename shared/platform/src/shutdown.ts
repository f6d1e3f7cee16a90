// Shutdown in one place: runs once, phases in order (schedulers → workers → servers → queues → connections →
// embedded servers), each step caught and logged, each phase bounded by its share of the timeout
// (SHUTDOWN_TIMEOUT_MS), so the process ends within it whatever state Redis and the database are in; what could
// not be closed is named in the last log line. A second signal forces exit.
import type { Logger } from './logger.ts';

/** Steps run phase by phase in this order; the steps of one phase run together. */
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

export interface ShutdownResult {
  /** Steps that failed or had not finished when their phase's share of the timeout ran out. */
  unclosed: string[];
}

export interface Shutdown {
  /** Adds a step to its phase. */
  add(step: ShutdownStep): void;
  /** Runs every step once, within the timeout whatever the steps do; later calls return the same promise. */
  run(reason: string): Promise<ShutdownResult>;
  /**
   * Installs SIGINT/SIGTERM handlers that run the steps and exit with 128 + signal number, within the timeout
   * of the first signal. A second signal forces the exit at once.
   */
  installSignalHandlers(): void;
}

const SIGNAL_NUMBERS: Record<string, number> = { SIGINT: 2, SIGTERM: 15 };

/**
 * How far into the timeout each phase may run (a fraction of it): a worker that cannot close (its Redis is
 * gone, a fetch hangs) must not use up the time the connections and the embedded servers need to close.
 */
const PHASE_DEADLINE: Record<ShutdownPhase, number> = {
  schedulers: 0.15,
  workers: 0.6,
  servers: 0.7,
  queues: 0.75,
  connections: 0.85,
  embedded: 1,
};

type Outcome = { step: string; ok: true } | { step: string; ok: false; err?: unknown };

export function createShutdown(log: Logger, timeoutMs: number): Shutdown {
  const steps: ShutdownStep[] = [];
  let running: Promise<ShutdownResult> | undefined;

  const runStep = (step: ShutdownStep, deadline: number): Promise<Outcome> =>
    new Promise((resolve) => {
      const timer = setTimeout(
        () => resolve({ step: step.name, ok: false }),
        Math.max(0, deadline - Date.now()),
      );
      Promise.resolve()
        .then(step.run)
        .then(
          () => resolve({ step: step.name, ok: true }),
          (err: unknown) => resolve({ step: step.name, ok: false, err }),
        )
        .finally(() => clearTimeout(timer));
    });

  const runSteps = async (reason: string): Promise<ShutdownResult> => {
    const started = Date.now();
    log.info({ reason, timeoutMs }, 'shutdown: starting');
    const unclosed: string[] = [];
    // The steps of one phase run together: one that hangs does not hold its siblings back.
    for (const phase of SHUTDOWN_PHASES) {
      const inPhase = steps.filter((s) => s.phase === phase);
      if (inPhase.length === 0) continue;
      const deadline = started + timeoutMs * PHASE_DEADLINE[phase];
      for (const outcome of await Promise.all(inPhase.map((s) => runStep(s, deadline)))) {
        if (outcome.ok) {
          log.debug({ step: outcome.step }, 'shutdown: step done');
          continue;
        }
        unclosed.push(outcome.step);
        if (outcome.err === undefined) log.warn({ step: outcome.step, phase }, 'shutdown: step timed out');
        else log.warn({ err: outcome.err, step: outcome.step, phase }, 'shutdown: step failed');
      }
    }
    const tookMs = Date.now() - started;
    if (unclosed.length === 0) log.info({ reason, tookMs }, 'shutdown: complete');
    else
      log.error(
        { reason, tookMs, unclosed },
        `shutdown: could not close ${unclosed.join(', ')}; exiting anyway`,
      );
    return { unclosed };
  };

  const run = (reason: string): Promise<ShutdownResult> => {
    running ??= runSteps(reason);
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
          // Steps are bounded by their phase deadlines; this also ends the process if something keeps the
          // promise chain itself from settling.
          setTimeout(() => {
            log.error({ signal, exitCode: code, timeoutMs }, 'shutdown: timed out; exiting');
            process.exit(code);
          }, timeoutMs + 1_000);
          void run(signal).then(({ unclosed }) => {
            log.info({ signal, exitCode: code, unclosed }, 'shutdown: exiting');
            process.exit(code);
          });
        });
      }
    },
  };
}
