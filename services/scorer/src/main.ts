// Scorer process: wiring only.
import { createLogger, runMain } from '@paperwire/platform';
import { createRuntime } from '@paperwire/runtime';
import { loadScorerConfig } from './config.ts';
import { startScorer } from './service.ts';

await runMain('scorer', async () => {
  const config = loadScorerConfig(process.env);
  const log = createLogger({ service: 'scorer', level: config.LOG_LEVEL, pretty: config.LOG_PRETTY });
  const rt = await createRuntime(config, log);
  rt.shutdown.installSignalHandlers();
  startScorer(rt, config);
  log.info('scorer: started');
});
