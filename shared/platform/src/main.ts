// The top of every process: a configuration or start-up error becomes one clear line on stderr and exit
// code 78 (config) or 1, instead of a stack trace.
import { ConfigError, PipelineError } from '@paperwire/core';

export async function runMain(service: string, main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78);
    }
    const message =
      err instanceof PipelineError ? err.message : `${service}: ${(err as Error)?.stack ?? String(err)}`;
    process.stderr.write(`${message}\n`);
    process.exit(1);
  }
}
