// What every command needs: validated config, a logger on stderr (stdout is for the command's output),
// and the runtime (embedded servers when no URLs are configured: the CLI is the local entry point).
import { serversForConfig } from '@paperwire/local-infra';
import { createLogger, type Logger } from '@paperwire/platform';
import { createRuntime, type Runtime } from '@paperwire/runtime';
import pino from 'pino';
import { type CliConfig, loadCliConfig } from './config.ts';
import { chooseLogFormat, PRETTY_OPTIONS } from './log-format.ts';

export interface CommandContext {
  config: CliConfig;
  log: Logger;
  rt: Runtime;
}

/** Runs `fn` with a runtime and always shuts it down; long-running commands pass `keepAlive`. */
export async function withRuntime<T>(
  fn: (ctx: CommandContext) => Promise<T>,
  options: { keepAlive?: boolean } = {},
): Promise<T> {
  const env = { ...process.env };
  // One-shot commands keep stderr quiet unless asked; `start` logs at info.
  if (!env.LOG_LEVEL && !options.keepAlive) env.LOG_LEVEL = 'warn';
  const config = loadCliConfig(env);
  const format = chooseLogFormat({
    logPretty: env.LOG_PRETTY === undefined ? undefined : config.LOG_PRETTY,
    keepAlive: options.keepAlive ?? false,
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
        : pino.destination(2),
  });
  const rt = await createRuntime(config, log, { servers: await serversForConfig(config, log) });
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
