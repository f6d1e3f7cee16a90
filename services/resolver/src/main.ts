// Resolver process: wiring only.
import { createLogger, runMain } from '@paperwire/platform';
import { createRuntime } from '@paperwire/runtime';
import { loadResolverConfig } from './config.ts';
import { startResolver } from './service.ts';

await runMain('resolver', async () => {
  const config = loadResolverConfig(process.env);
  const log = createLogger({ service: 'resolver', level: config.LOG_LEVEL, pretty: config.LOG_PRETTY });
  const rt = await createRuntime(config, log);
  rt.shutdown.installSignalHandlers();
  startResolver(rt, config);
  log.info('resolver: started');
});
