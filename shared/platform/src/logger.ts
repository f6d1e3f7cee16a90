// pino JSON logs with `service` and `version` bound and secrets redacted; pretty only when asked.
import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

export const PAPERWIRE_VERSION = '0.1.0';

/** Paths whose values are replaced by `[redacted]` in every log line. */
export const REDACT_PATHS = [
  'mongoUri',
  'redisUrl',
  'apiKey',
  'password',
  'secret',
  'authorization',
  '*.mongoUri',
  '*.redisUrl',
  '*.apiKey',
  '*.password',
  '*.secret',
  '*.authorization',
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'config.MONGODB_URI',
  'config.REDIS_URL',
  // Digests: the SMTP URL carries the password; nodemailer's options carry it as auth.pass.
  'smtpUrl',
  '*.smtpUrl',
  'pass',
  '*.pass',
  'auth.pass',
  '*.auth.pass',
  'config.SMTP_URL',
  'config.DIGEST_SECRET',
  'SMTP_URL',
  'DIGEST_SECRET',
];

export interface LoggerOptions {
  service: string;
  level: string;
  pretty?: boolean;
  /** Where to write; defaults to stdout. */
  destination?: pino.DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  const base = { service: options.service, version: PAPERWIRE_VERSION };
  const common: pino.LoggerOptions = {
    level: options.level,
    base,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (options.pretty) {
    return pino({ ...common, transport: { target: 'pino-pretty', options: { colorize: true } } });
  }
  return options.destination ? pino(common, options.destination) : pino(common);
}

/** Removes the password from a connection URL so it can be shown to a person. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '[unparseable url]';
  }
}
