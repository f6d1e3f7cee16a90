// Config helpers: every service has one zod schema and one `loadConfig(env)` that is the only place env
// is read. Errors name the setting and say what to set.
import { isAbsolute } from 'node:path';
import { ConfigError } from '@paperwire/core';
import { z } from 'zod';

/** `true`/`false`/`1`/`0`/`yes`/`no` (case-insensitive); anything else is an error, not a silent false. */
export const booleanFlag = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no', '']))
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * The database name in a MongoDB URI's path (`mongodb://h:27017/paperwire?x=1` → `paperwire`), undefined
 * when it names none. Works on multi-host and mongodb+srv URIs, which the WHATWG URL parser refuses.
 */
export function uriDatabaseName(uri: string): string | undefined {
  const m = /^mongodb(?:\+srv)?:\/\/[^/?]+\/?([^?]*)/.exec(uri);
  const name = m?.[1] ? decodeURIComponent(m[1]) : '';
  return name === '' ? undefined : name;
}

/** The database to use: the URI's, else `fallback` (MONGODB_DB). */
export function databaseNameFor(uri: string, fallback: string): string {
  return uriDatabaseName(uri) ?? fallback;
}

/** Settings every Paperwire process shares. */
export const commonEnvSchema = z.object({
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  LOG_PRETTY: booleanFlag.default(false),
  /** Unset: the embedded FerretDB is started (local runs and tests). */
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')
    .refine(
      (uri) => /^[A-Za-z0-9_-]{0,63}$/.test(uriDatabaseName(uri) ?? ''),
      'its database name (the path after the hosts) may hold letters, digits, _ and - only, at most 63',
    )
    .optional(),
  /**
   * The database Paperwire uses when MONGODB_URI names none (a path in the URI, `…/mydb`, wins). Unset:
   * `paperwire`. The embedded FerretDB's URI names none, so local runs use this too.
   */
  MONGODB_DB: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,63}$/, 'letters, digits, _ and - only, at most 63 characters (e.g. paperwire)')
    .default('paperwire'),
  /** Unset: a private redis-server is started. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .optional(),
  PAPERWIRE_DATA_DIR: z.string().min(1).default('.paperwire'),
  /** BullMQ key prefix. On Redis Cluster use a hash tag, e.g. `{paperwire}`. */
  PAPERWIRE_QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9{}_-]+$/, 'letters, digits, _ - and {} only')
    .default('paperwire'),
  /**
   * Serve this process's Prometheus metrics on GET /metrics at this port (worker-only processes have no
   * API to scrape). 0 or unset: off.
   */
  METRICS_PORT: z.coerce.number().int().min(0).max(65_535).default(0),
  /** Interface the metrics port listens on; use 0.0.0.0 (or the host's address) to be scraped from elsewhere. */
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  /**
   * The folder file:// feeds must lie in (absolute; symlinks are resolved before the check). Unset or empty:
   * file feeds are refused. Only the CLI registers them; the HTTP API never does (docs/security.md).
   */
  PAPERWIRE_FILE_FEEDS_ROOT: z
    .string()
    .refine((p) => p === '' || isAbsolute(p), 'must be an absolute path, e.g. /srv/paperwire/feeds')
    .transform((p) => (p === '' ? undefined : p))
    .optional(),
  /**
   * A process exits within this long of its first SIGTERM/SIGINT, whatever state Redis and the database are
   * in; active jobs that have not finished by then are picked up again by the next process (stalled jobs).
   */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(600_000).default(15_000),
  /**
   * Liveness file: while Redis and the database answer, the process rewrites it every
   * PAPERWIRE_HEARTBEAT_INTERVAL_MS (the image's worker healthcheck reads it). Unset: off.
   */
  PAPERWIRE_HEARTBEAT_FILE: z.string().min(1).optional(),
  PAPERWIRE_HEARTBEAT_INTERVAL_MS: z.coerce.number().int().min(1_000).default(15_000),
});
export type CommonConfig = z.infer<typeof commonEnvSchema>;

/** Names of settings whose values must never be logged. */
export const SECRET_SETTINGS = [
  'MONGODB_URI',
  'REDIS_URL',
  'PAPERWIRE_API_KEYS',
  'SMTP_PASSWORD',
  'SMTP_URL',
  'DIGEST_SECRET',
] as const;

/**
 * Links Paperwire hands out and checks: where it is reachable from outside (feed and e-mail links) and the
 * key of the unsubscribe links in digests. Shared by the API (which serves them) and the digest sender.
 */
export const publicLinksEnvSchema = z.object({
  /** e.g. https://paperwire.example.org; unset: feeds use the request's host, digests refuse to start. */
  PUBLIC_BASE_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://paperwire.example.org' })
    .transform((u) => u.replace(/\/+$/, ''))
    .optional(),
  /** Signs the unsubscribe links of digests (HMAC-SHA256); at least 32 characters, e.g. `openssl rand -hex 32`. */
  DIGEST_SECRET: z
    .string()
    .min(32, 'must be at least 32 characters (e.g. the output of `openssl rand -hex 32`)')
    .optional(),
});
export type PublicLinksConfig = z.infer<typeof publicLinksEnvSchema>;

/**
 * Parses `env` with `schema`; throws one ConfigError listing every bad setting as
 * `SETTING: problem (got "value")`, with secrets shown as `***`.
 */
export function loadConfigWith<S extends z.ZodType>(
  service: string,
  schema: S,
  env: Record<string, string | undefined>,
): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const setting = issue.path.join('.') || '(environment)';
    const raw = issue.path.length === 1 ? env[String(issue.path[0])] : undefined;
    const shown =
      raw === undefined
        ? 'unset'
        : (SECRET_SETTINGS as readonly string[]).includes(setting)
          ? 'got ***'
          : `got ${JSON.stringify(raw)}`;
    return `  ${setting}: ${issue.message} (${shown})`;
  });
  throw new ConfigError(`${service}: invalid configuration:\n${lines.join('\n')}`);
}
export * from './retention-config.ts';
