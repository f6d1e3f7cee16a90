// The resolver's settings: the only place its environment is read.
import { commonEnvSchema, loadConfigWith } from '@paperwire/platform/config';
import { z } from 'zod';

export const resolverEnvSchema = commonEnvSchema.extend({
  RESOLVE_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
});
export type ResolverConfig = z.infer<typeof resolverEnvSchema>;

export function loadResolverConfig(env: Record<string, string | undefined>): ResolverConfig {
  return loadConfigWith('resolver', resolverEnvSchema, env);
}
