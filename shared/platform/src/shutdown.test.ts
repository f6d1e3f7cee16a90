// Shutdown is bounded: steps that never settle are given up at their phase's deadline, the later phases
// still run, and the result (and the last log line) names what could not be closed.
import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createShutdown } from './shutdown.ts';

function collectingLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { log: pino({ level: 'debug' }, stream), lines };
}

const never = () => new Promise<void>(() => {});

describe('createShutdown', () => {
  it('runs the phases in order and reports nothing unclosed when every step closes', async () => {
    const { log } = collectingLogger();
    const shutdown = createShutdown(log, 5_000);
    const ran: string[] = [];
    const step = (name: string) => async () => {
      ran.push(name);
    };
    shutdown.add({ name: 'db', phase: 'connections', run: step('db') });
    shutdown.add({ name: 'worker', phase: 'workers', run: step('worker') });
    shutdown.add({ name: 'embedded', phase: 'embedded', run: step('embedded') });
    shutdown.add({ name: 'scheduler', phase: 'schedulers', run: step('scheduler') });
    expect(await shutdown.run('test')).toEqual({ unclosed: [] });
    expect(ran).toEqual(['scheduler', 'worker', 'db', 'embedded']);
  });

  it('gives up on steps that hang or fail within the timeout, still runs the later phases, and names them', async () => {
    const { log, lines } = collectingLogger();
    const timeoutMs = 1_500;
    const shutdown = createShutdown(log, timeoutMs);
    const ran: string[] = [];
    shutdown.add({ name: 'fetch worker', phase: 'workers', run: never });
    shutdown.add({
      name: 'queues',
      phase: 'queues',
      run: async () => {
        throw new Error('Connection is closed.');
      },
    });
    shutdown.add({ name: 'redis', phase: 'connections', run: never });
    shutdown.add({
      name: 'database',
      phase: 'connections',
      run: async () => {
        ran.push('database');
      },
    });
    shutdown.add({
      name: 'embedded servers',
      phase: 'embedded',
      run: async () => {
        ran.push('embedded servers');
      },
    });

    const t0 = Date.now();
    const result = await shutdown.run('SIGTERM');
    // The steps never end, so finishing proves the timeout; the slack is for a loaded machine.
    expect(Date.now() - t0).toBeLessThanOrEqual(timeoutMs + 10_000);
    expect(result.unclosed).toEqual(['fetch worker', 'queues', 'redis']);
    // A hanging Redis does not keep the database or the embedded servers from closing.
    expect(ran).toEqual(['database', 'embedded servers']);
    expect(lines.at(-1)).toMatchObject({
      level: 50,
      unclosed: ['fetch worker', 'queues', 'redis'],
      msg: 'shutdown: could not close fetch worker, queues, redis; exiting anyway',
    });
    // Runs once: a second call returns the same result without running anything again.
    expect(await shutdown.run('again')).toBe(result);
  });
});
