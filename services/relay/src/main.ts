// Relay process: wiring only.
import { fanOutToWebhooks } from '@paperwire/jobs';
import { createLogger, runMain } from '@paperwire/platform';
import { createRuntime } from '@paperwire/runtime';
import { loadRelayConfig } from './config.ts';
import { startRelay } from './service.ts';

await runMain('relay', async () => {
  const config = loadRelayConfig(process.env);
  const log = createLogger({ service: 'relay', level: config.LOG_LEVEL, pretty: config.LOG_PRETTY });
  const rt = await createRuntime(config, log);
  rt.shutdown.installSignalHandlers();
  await startRelay(rt, config, { onPublished: fanOutToWebhooks({ db: rt.db, queues: rt.queues }) });
  log.info('relay: started');
});
