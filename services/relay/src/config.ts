// The relay's settings: the only place its environment is read.
import { commonEnvSchema, loadConfigWith } from '@paperwire/platform/config';
import { z } from 'zod';

export const relayEnvSchema = commonEnvSchema.extend({
  /** The events stream keeps about this many entries (XADD MAXLEN ~, then an exact trim per run). */
  EVENTS_STREAM_MAXLEN: z.coerce.number().int().min(1).max(100_000_000).default(100_000),
  /** How often the relay runs besides the runs recordings ask for, ms. */
  RELAY_EVERY_MS: z.coerce.number().int().min(500).max(3_600_000).default(5_000),
  /** Event ids taken from the outbox queue per round. */
  RELAY_BATCH: z.coerce.number().int().min(1).max(5_000).default(200),
});
export type RelayConfig = z.infer<typeof relayEnvSchema>;

export function loadRelayConfig(env: Record<string, string | undefined>): RelayConfig {
  return loadConfigWith('relay', relayEnvSchema, env);
}
