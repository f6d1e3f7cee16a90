// The scheduler's settings: the only place its environment is read.
import { booleanFlag, commonEnvSchema, loadConfigWith, retentionEnvSchema } from '@paperwire/platform/config';
import { z } from 'zod';

export const schedulerEnvSchema = commonEnvSchema.extend(retentionEnvSchema.shape).extend({
  /** Seed the default feed list on the first start of a new database. */
  PAPERWIRE_SEED_DEFAULT_FEEDS: booleanFlag.default(true),
  /** How often the schedulers are reconciled with the feed registry, seconds. */
  RECONCILE_EVERY_SECONDS: z.coerce.number().int().min(5).max(3_600).default(60),
  /** Periodic re-score, minutes. */
  RESCORE_EVERY_MINUTES: z.coerce.number().int().min(1).max(1_440).default(15),
  /** Periodic retention (the `gc` job), minutes. */
  GC_EVERY_MINUTES: z.coerce
    .number()
    .int('GC_EVERY_MINUTES must be a whole number of minutes')
    .min(5, 'GC_EVERY_MINUTES must be at least 5 minutes')
    .max(10_080, 'GC_EVERY_MINUTES must be at most 10080 minutes (a week)')
    .default(60),
});
export type SchedulerConfig = z.infer<typeof schedulerEnvSchema>;

export function loadSchedulerConfig(env: Record<string, string | undefined>): SchedulerConfig {
  return loadConfigWith('scheduler', schedulerEnvSchema, env);
}
