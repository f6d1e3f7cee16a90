// The CLI's settings: every service's schema together (the all-in-one process runs them all).
import { apiEnvSchema } from '@paperwire/api';
import { digestEnvSchema } from '@paperwire/digest';
import { fetcherEnvSchema } from '@paperwire/fetcher';
import { loadConfigWith } from '@paperwire/platform';
import { relayEnvSchema } from '@paperwire/relay';
import { resolverEnvSchema } from '@paperwire/resolver';
import { schedulerEnvSchema } from '@paperwire/scheduler';
import { scorerEnvSchema } from '@paperwire/scorer';
import { webhooksEnvSchema } from '@paperwire/webhooks';
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
