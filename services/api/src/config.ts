// The API's settings: the only place its environment is read.
import { commonEnvSchema, loadConfigWith } from '@paperwire/platform';
import { z } from 'zod';

export const apiEnvSchema = commonEnvSchema.extend({
  PORT: z.coerce.number().int().min(0).max(65_535).default(8080),
  /** 127.0.0.1 by default: expose it deliberately (0.0.0.0) behind your own proxy. */
  HOST: z.string().min(1).default('127.0.0.1'),
});
export type ApiConfig = z.infer<typeof apiEnvSchema>;

export function loadApiConfig(env: Record<string, string | undefined>): ApiConfig {
  return loadConfigWith('api', apiEnvSchema, env);
}
