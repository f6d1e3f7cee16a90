// The `paperwire` command.
import { runMain } from '@paperwire/platform';
import { Command } from 'commander';
import { registerApiKeyCommands } from './commands/apikeys.ts';
import { registerBackfillCommand } from './commands/backfill.ts';
import { registerDigestCommands } from './commands/digests.ts';
import { registerDlqCommand } from './commands/dlq.ts';
import { registerDoctorCommand } from './commands/doctor.ts';
import { registerFeedCommands } from './commands/feeds.ts';
import { registerPaperCommands } from './commands/papers.ts';
import { registerQueuesCommand } from './commands/queues.ts';
import { registerReplayCommand } from './commands/replay.ts';
import { registerRescoreCommand } from './commands/rescore.ts';
import { registerRunCommand } from './commands/run.ts';
import { registerStartCommand } from './commands/start.ts';
import { registerTrendingCommand } from './commands/trending.ts';
import { registerWebhookCommands } from './commands/webhooks.ts';

await runMain('paperwire', async () => {
  const program = new Command('paperwire')
    .description('Research-paper feed ingestion: fetch, normalise, deduplicate, score, store.')
    .showHelpAfterError();
  registerStartCommand(program);
  registerRunCommand(program);
  registerFeedCommands(program);
  registerApiKeyCommands(program);
  registerTrendingCommand(program);
  registerRescoreCommand(program);
  registerPaperCommands(program);
  registerQueuesCommand(program);
  registerDlqCommand(program);
  registerDoctorCommand(program);
  registerReplayCommand(program);
  registerBackfillCommand(program);
  registerWebhookCommands(program);
  registerDigestCommands(program);
  await program.parseAsync(process.argv);
});
