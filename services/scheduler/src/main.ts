// Scheduler process: wiring only.
import { createLogger, runMain } from '@paperwire/platform';
import { createRuntime } from '@paperwire/runtime';
import { loadSchedulerConfig } from './config.ts';
import { startScheduler } from './service.ts';

await runMain('scheduler', async () => {
  const config = loadSchedulerConfig(process.env);
  const log = createLogger({ service: 'scheduler', level: config.LOG_LEVEL, pretty: config.LOG_PRETTY });
  const rt = await createRuntime(config, log);
  rt.shutdown.installSignalHandlers();
  await startScheduler(rt, config);
  log.info('scheduler: started');
});
