// The `paperwire` command. Only the module of the command being run is loaded (commands/index.ts).
import { Command } from 'commander';
import { commandOf, registerCommands } from './commands/index.ts';

const args = process.argv.slice(2);
const program = new Command('paperwire')
  .description('Research-paper feed ingestion: fetch, normalise, deduplicate, score, store.')
  .showHelpAfterError();

if (commandOf(args) === undefined) {
  // `--help`, no command or an unknown one: commander answers from the summaries alone, so nothing
  // else (not even pino or ioredis through @paperwire/platform) is loaded.
  await registerCommands(program, args);
  await program.parseAsync(process.argv);
} else {
  const { runMain } = await import('@paperwire/platform/main');
  await runMain('paperwire', async () => {
    await registerCommands(program, args);
    await program.parseAsync(process.argv);
  });
}
