// What every command needs: validated config, a logger on stderr (stdout is for the command's output),
// and the runtime (embedded servers when no URLs are configured: the CLI is the local entry point).
// Read-only commands take `withDatabase` instead: the database alone, without Redis, BullMQ or metrics,
// so they start in a fraction of the time. Heavy modules are imported when a command runs, not before.
import type { Database } from '@paperwire/db';
import { createLogger, type Logger } from '@paperwire/platform/logger';
import type { Runtime } from '@paperwire/runtime';
import { type CliConfig, loadCliConfig } from './config.ts';
import { chooseLogFormat, PRETTY_OPTIONS } from './log-format.ts';

export interface CommandContext {
  config: CliConfig;
  log: Logger;
  rt: Runtime;
}

export interface DatabaseContext {
  config: CliConfig;
  log: Logger;
  db: Database;
}

/** The command's config and its logger on stderr (pretty on a terminal, JSON otherwise or with --json). */
async function commandSetup(
  keepAlive: boolean,
  progress = false,
): Promise<{ config: CliConfig; log: Logger }> {
  const env = { ...process.env };
  // One-shot commands keep stderr quiet unless asked; `start` and commands that report progress log at info.
  if (!env.LOG_LEVEL && !keepAlive && !progress) env.LOG_LEVEL = 'warn';
  const config = loadCliConfig(env);
  const format = chooseLogFormat({
    logPretty: env.LOG_PRETTY === undefined ? undefined : config.LOG_PRETTY,
    keepAlive,
    json: process.argv.includes('--json'),
    stderrIsTTY: process.stderr.isTTY === true,
  });
  const log = createLogger({
    service: 'paperwire',
    level: config.LOG_LEVEL,
    // pino-pretty in this thread, synchronously (no worker transport), loaded only when used.
    destination:
      format === 'pretty'
        ? (await import('pino-pretty')).default({ ...PRETTY_OPTIONS, destination: 2, sync: true })
        : (await import('pino')).default.destination(2),
  });
  return { config, log };
}

/** The configured servers, or embedded ones for those not configured (the launcher loads only then). */
async function serversFor(config: CliConfig, log: Logger) {
  const { serversForConfig } = await import('@paperwire/local-infra');
  return serversForConfig(config, log);
}

/** Runs `fn` with a runtime and always shuts it down; long-running commands pass `keepAlive`. */
export async function withRuntime<T>(
  fn: (ctx: CommandContext) => Promise<T>,
  options: { keepAlive?: boolean } = {},
): Promise<T> {
  const { config, log } = await commandSetup(options.keepAlive ?? false);
  const { createRuntime } = await import('@paperwire/runtime');
  const rt = await createRuntime(config, log, { servers: await serversFor(config, log) });
  if (options.keepAlive) {
    rt.shutdown.installSignalHandlers();
    return fn({ config, log, rt });
  }
  try {
    return await fn({ config, log, rt });
  } finally {
    await rt.shutdown.run('command finished');
  }
}

/**
 * Runs `fn` with the database alone, then closes it (and any embedded servers). Readers connect read-only
 * (no index upkeep at start); a command that writes (`gc`, `migrate`) passes `writes` and keeps the indexes
 * in step. `progress`: log at info on stderr unless LOG_LEVEL says otherwise.
 */
export async function withDatabase<T>(
  fn: (ctx: DatabaseContext) => Promise<T>,
  options: { writes?: boolean; progress?: boolean } = {},
): Promise<T> {
  const { config, log } = await commandSetup(false, options.progress ?? false);
  const servers = await serversFor(config, log);
  try {
    const { connectDatabase } = await import('@paperwire/db');
    const db = await connectDatabase(servers.mongoUri, log, {
      dbName: config.MONGODB_DB,
      readOnly: options.writes !== true,
    });
    try {
      return await fn({ config, log, db });
    } finally {
      await db.close();
    }
  } finally {
    await servers.stop();
  }
}
