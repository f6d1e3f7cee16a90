// The scorer's settings: the only place its environment is read.
import { DEFAULT_SCORE_CONSTANTS, resolveScoreConstants, type ScoreConstants } from '@paperwire/core';
import { commonEnvSchema, loadConfigWith } from '@paperwire/platform/config';
import { z } from 'zod';

export const scorerEnvSchema = commonEnvSchema.extend({
  /** Papers per ranking snapshot. */
  RANKING_SIZE: z.coerce.number().int().min(1).max(2_000).default(200),
  /**
   * Dirty papers taken per score job. At most 5,000: the take script SADDs the batch with `unpack`, which
   * Redis's Lua refuses past ~8,000 values after SPOP has already removed them (the ids would be lost).
   */
  SCORE_BATCH: z.coerce.number().int().min(1).max(5_000).default(5_000),
  /** Periodic re-score (decay moves ranks with no new signals), minutes. */
  RESCORE_EVERY_MINUTES: z.coerce.number().int().min(1).max(1_440).default(15),
  /**
   * Overrides of the score constants as JSON, e.g. `{"halfLifeHours.24h": 12}`. Defaults: see docs/scoring.md.
   */
  SCORE_CONSTANTS: z
    .string()
    .optional()
    .transform((text, ctx): ScoreConstants => {
      if (!text) return DEFAULT_SCORE_CONSTANTS;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON object of constant names to numbers' });
        return z.NEVER;
      }
      const resolved = resolveScoreConstants(parsed as Record<string, number>);
      if (!resolved.ok) {
        ctx.addIssue({ code: 'custom', message: resolved.errors.join('; ') });
        return z.NEVER;
      }
      return resolved.constants;
    }),
});
export type ScorerConfig = z.infer<typeof scorerEnvSchema>;

export function loadScorerConfig(env: Record<string, string | undefined>): ScorerConfig {
  return loadConfigWith('scorer', scorerEnvSchema, env);
}
