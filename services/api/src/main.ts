// API process: wiring only.
import { createLogger, runMain } from '@paperwire/platform';
import { createRuntime } from '@paperwire/runtime';
import { loadApiConfig } from './config.ts';
import { startApi } from './service.ts';

await runMain('api', async () => {
  const config = loadApiConfig(process.env);
  const log = createLogger({ service: 'api', level: config.LOG_LEVEL, pretty: config.LOG_PRETTY });
  const rt = await createRuntime(config, log);
  rt.shutdown.installSignalHandlers();
  const { url } = await startApi(rt, config);
  log.info({ url }, 'api: listening');
});
