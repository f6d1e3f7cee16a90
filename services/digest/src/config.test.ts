import { Writable } from 'node:stream';
import { ConfigError } from '@paperwire/core';
import { createLogger } from '@paperwire/platform';
import { describe, expect, it } from 'vitest';
import { digestEnvSchema, digestSettings, loadDigestConfig, parseFromAddress } from './config.ts';
import { classifySendError } from './mailer.ts';

const PASS = 'p@ss/w0rd:secret';
const full = {
  SMTP_URL: `smtp://mailer:${encodeURIComponent(PASS)}@smtp.example.org:587`,
  DIGEST_FROM: 'Paperwire <digests@example.org>',
  PUBLIC_BASE_URL: 'https://paperwire.example.org/',
  DIGEST_SECRET: 's'.repeat(32),
};

describe('digest config', () => {
  it('is optional as a whole (the all-in-one process runs without digests)', () => {
    const config = digestEnvSchema.parse({});
    expect(config.SMTP_URL).toBeUndefined();
    expect(() => digestSettings(config)).toThrow(ConfigError);
  });

  it('a digest sender needs every setting, and the error names each missing one', () => {
    const error = (() => {
      try {
        loadDigestConfig({ SMTP_URL: full.SMTP_URL });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    for (const name of ['DIGEST_FROM', 'PUBLIC_BASE_URL', 'DIGEST_SECRET'])
      expect(error?.message).toContain(name);
    expect(error?.message).not.toContain('SMTP_URL:');
    expect(error?.message).not.toContain(PASS);
  });

  it('all set: the settings, with the base URL without its trailing slash and the From parsed', () => {
    const settings = digestSettings(loadDigestConfig(full));
    expect(settings).toMatchObject({
      smtpUrl: full.SMTP_URL,
      from: { name: 'Paperwire', address: 'digests@example.org' },
      messageIdDomain: 'example.org',
      publicBaseUrl: 'https://paperwire.example.org',
      hourUtc: 6,
      maxPapers: 10,
    });
  });

  it.each([
    ['SMTP_URL', 'http://mailer:hunter2@smtp.example.org'],
    ['SMTP_URL', 'mailer:hunter2@smtp'],
    ['DIGEST_FROM', 'not an address'],
    ['DIGEST_FROM', 'a@example.org\r\nBcc: x@example.org'],
    ['PUBLIC_BASE_URL', 'ftp://example.org'],
    ['DIGEST_SECRET', 'short'],
    ['DIGEST_HOUR_UTC', '24'],
  ])('refuses %s=%j, naming the setting and never echoing a secret', (name, value) => {
    const run = () => loadDigestConfig({ ...full, [name]: value });
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(name);
    try {
      run();
    } catch (e) {
      expect((e as Error).message).not.toContain('hunter2');
      if (name === 'DIGEST_SECRET') expect((e as Error).message).not.toContain('"short"');
    }
  });

  it.each([
    ['digests@example.org', { address: 'digests@example.org' }],
    ['Paperwire <Digests@Example.org>', { name: 'Paperwire', address: 'digests@example.org' }],
    ['"Paper, wire" <d@example.org>', { name: 'Paper, wire', address: 'd@example.org' }],
    ['<d@example.org>', { address: 'd@example.org' }],
    ['two <a@example.org> <b@example.org>', undefined],
    ['nobody', undefined],
  ])('parseFromAddress(%j)', (value, expected) => {
    expect(parseFromAddress(value)).toEqual(expected);
  });

  it('the logger redacts the SMTP URL and digest secret wherever they are logged', () => {
    const lines: string[] = [];
    const log = createLogger({
      service: 'test',
      level: 'info',
      destination: new Writable({
        write(chunk, _e, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    });
    const config = loadDigestConfig(full);
    log.info({ config }, 'config');
    log.info({ smtpUrl: config.SMTP_URL, transport: { auth: { user: 'mailer', pass: PASS } } }, 'transport');
    log.flush();
    const out = lines.join('');
    expect(out).toContain('[redacted]');
    for (const secret of [PASS, encodeURIComponent(PASS), full.DIGEST_SECRET])
      expect(out).not.toContain(secret);
  });
});

describe('classifySendError', () => {
  it.each([
    [
      'a connection failure',
      { code: 'ECONNECTION', message: 'Connection closed unexpectedly' },
      true,
      'digest-smtp-connection',
    ],
    ['a timeout', { code: 'ETIMEDOUT', message: 'Timeout' }, true, 'digest-smtp-connection'],
    [
      'a 4xx reply',
      { code: 'EENVELOPE', responseCode: 451, response: '451 try later' },
      true,
      'digest-smtp-4xx',
    ],
    [
      'a 5xx reply',
      { code: 'EENVELOPE', responseCode: 550, response: '550 no such user' },
      false,
      'digest-smtp-5xx',
    ],
    [
      'a refused login',
      { code: 'EAUTH', responseCode: 535, response: '535 Invalid login' },
      false,
      'digest-smtp-auth',
    ],
    [
      'a temporary auth failure',
      { code: 'EAUTH', responseCode: 454, response: '454 try later' },
      true,
      'digest-smtp-auth',
    ],
  ])('%s', (_name, err, retryable, code) => {
    const e = classifySendError(err, '<m@example.org>');
    expect([e.retryable, e.code]).toEqual([retryable, code]);
    expect(e.message.startsWith('digest: sending <m@example.org> failed')).toBe(true);
  });
});
