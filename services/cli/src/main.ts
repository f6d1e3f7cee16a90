// The `paperwire` command.
import { runMain } from '@paperwire/platform';
import { Command } from 'commander';
import { registerFeedCommands } from './commands/feeds.ts';
import { registerPaperCommands } from './commands/papers.ts';
import { registerRunCommand } from './commands/run.ts';
import { registerStartCommand } from './commands/start.ts';
import { registerTrendingCommand } from './commands/trending.ts';

await runMain('paperwire', async () => {
  const program = new Command('paperwire')
    .description('Research-paper feed ingestion: fetch, normalise, deduplicate, score, store.')
    .showHelpAfterError();
  registerStartCommand(program);
  registerRunCommand(program);
  registerFeedCommands(program);
  registerTrendingCommand(program);
  registerPaperCommands(program);
  await program.parseAsync(process.argv);
});
