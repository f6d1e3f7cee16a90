// Digest sender process: wiring only.
import { createLogger, runMain } from '@paperwire/platform';
import { createRuntime } from '@paperwire/runtime';
import { loadDigestConfig } from './config.ts';
import { startDigest } from './service.ts';

await runMain('digest', async () => {
  const config = loadDigestConfig(process.env);
  const log = createLogger({ service: 'digest', level: config.LOG_LEVEL, pretty: config.LOG_PRETTY });
  const rt = await createRuntime(config, log);
  rt.shutdown.installSignalHandlers();
  await startDigest(rt, config);
  log.info('digest: started');
});
