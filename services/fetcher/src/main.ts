// Fetcher process: wiring only.
import { createLogger, runMain } from '@paperwire/platform';
import { createRuntime } from '@paperwire/runtime';
import { loadFetcherConfig } from './config.ts';
import { startFetcher } from './service.ts';

await runMain('fetcher', async () => {
  const config = loadFetcherConfig(process.env);
  const log = createLogger({ service: 'fetcher', level: config.LOG_LEVEL, pretty: config.LOG_PRETTY });
  const rt = await createRuntime(config, log);
  rt.shutdown.installSignalHandlers();
  startFetcher(rt, config);
  log.info('fetcher: started');
});
