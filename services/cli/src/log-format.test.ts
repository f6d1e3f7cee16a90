import { Writable } from 'node:stream';
import { createLogger } from '@paperwire/platform';
import pretty from 'pino-pretty';
import { describe, expect, it } from 'vitest';
import { chooseLogFormat, type LogFormatInput, PRETTY_OPTIONS } from './log-format.ts';

const oneShotAtTerminal: LogFormatInput = {
  logPretty: undefined,
  keepAlive: false,
  json: false,
  stderrIsTTY: true,
};

describe('chooseLogFormat', () => {
  it.each([
    ['a one-shot command at a terminal', {}, 'pretty'],
    ['--json', { json: true }, 'json'],
    ['stderr piped or redirected', { stderrIsTTY: false }, 'json'],
    ['`start` (a service)', { keepAlive: true }, 'json'],
    ['LOG_PRETTY=false at a terminal', { logPretty: false }, 'json'],
    ['LOG_PRETTY=true when piped', { logPretty: true, stderrIsTTY: false }, 'pretty'],
    ['LOG_PRETTY=true with --json', { logPretty: true, json: true }, 'pretty'],
  ] as const)('%s → %s', (_, change, expected) => {
    expect(chooseLogFormat({ ...oneShotAtTerminal, ...change })).toBe(expected);
  });
});

describe('the pretty destination', () => {
  it('turns a warning into one human line, not JSON', () => {
    let out = '';
    const sink = new Writable({
      write(chunk, _enc, done) {
        out += chunk;
        done();
      },
    });
    const log = createLogger({
      service: 'paperwire',
      level: 'warn',
      destination: pretty({ ...PRETTY_OPTIONS, destination: sink, sync: true, colorize: false }),
    });
    log.warn({ queue: 'fetch', jobId: 'fetch.arxiv-cs-ai', errorClass: 'dns' }, 'feed fetch failed');
    log.warn({ queue: 'fetch', jobId: 'fetch.hn', errorClass: 'dns' }, 'feed fetch failed');
    log.info('not shown at warn');
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/WARN: feed fetch failed .*fetch\.arxiv-cs-ai.*dns/);
    expect(() => JSON.parse(lines[0]!)).toThrow();
    expect(out).not.toContain('"queue"');
    expect(out).not.toContain('not shown');
  });
});
