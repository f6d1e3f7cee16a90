// The CLI's settings: every service's schema together (the all-in-one process runs them all).
import { apiEnvSchema } from '@paperwire/api/config';
import { digestEnvSchema } from '@paperwire/digest/config';
import { fetcherEnvSchema } from '@paperwire/fetcher/config';
import { loadConfigWith } from '@paperwire/platform/config';
import { relayEnvSchema } from '@paperwire/relay/config';
import { resolverEnvSchema } from '@paperwire/resolver/config';
import { schedulerEnvSchema } from '@paperwire/scheduler/config';
import { scorerEnvSchema } from '@paperwire/scorer/config';
import { webhooksEnvSchema } from '@paperwire/webhooks/config';
import type { z } from 'zod';

export const cliEnvSchema = fetcherEnvSchema
  .extend(resolverEnvSchema.shape)
  .extend(scorerEnvSchema.shape)
  .extend(relayEnvSchema.shape)
  .extend(schedulerEnvSchema.shape)
  .extend(apiEnvSchema.shape)
  .extend(webhooksEnvSchema.shape)
  .extend(digestEnvSchema.shape);
export type CliConfig = z.infer<typeof cliEnvSchema>;

export function loadCliConfig(env: Record<string, string | undefined>): CliConfig {
  return loadConfigWith('paperwire', cliEnvSchema, env);
}
