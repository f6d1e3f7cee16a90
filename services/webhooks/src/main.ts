// Webhook sender process: wiring only.
import { createLogger, runMain } from '@paperwire/platform';
import { createRuntime } from '@paperwire/runtime';
import { loadWebhooksConfig } from './config.ts';
import { startWebhooks } from './service.ts';

await runMain('webhooks', async () => {
  const config = loadWebhooksConfig(process.env);
  const log = createLogger({ service: 'webhooks', level: config.LOG_LEVEL, pretty: config.LOG_PRETTY });
  const rt = await createRuntime(config, log);
  rt.shutdown.installSignalHandlers();
  startWebhooks(rt, config);
  log.info('webhooks: started');
});
