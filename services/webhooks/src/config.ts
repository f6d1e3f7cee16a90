// The webhook sender's settings: the only place its environment is read.
import { booleanFlag, commonEnvSchema, loadConfigWith } from '@paperwire/platform/config';
import { z } from 'zod';

export const webhooksEnvSchema = commonEnvSchema.extend({
  /** Allow loopback and private-network webhook URLs (tests, receivers on the same network). Off by default. */
  PAPERWIRE_ALLOW_PRIVATE_NETWORKS: booleanFlag.default(false),
  /** A URL or mailto: that receivers can use to reach you; goes into the User-Agent. */
  PAPERWIRE_CONTACT: z.string().min(3).default('https://github.com/paperwire/paperwire'),
  /** Deliveries in flight at once per process. */
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  /** One delivery attempt, connect to answer; slower receivers count as failed (and are retried). */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
});
export type WebhooksConfig = z.infer<typeof webhooksEnvSchema>;

export function loadWebhooksConfig(env: Record<string, string | undefined>): WebhooksConfig {
  return loadConfigWith('webhooks', webhooksEnvSchema, env);
}
