// The API's settings: the only place its environment is read.
import {
  booleanFlag,
  commonEnvSchema,
  loadConfigWith,
  publicLinksEnvSchema,
} from '@paperwire/platform/config';
import { z } from 'zod';

/** How long `GET /trending` keeps a board's current-ranking pointer in memory, by default. */
export const DEFAULT_TRENDING_POINTER_CACHE_MS = 1_000;

export const apiEnvSchema = commonEnvSchema
  .extend({
    PORT: z.coerce.number().int().min(0).max(65_535).default(8080),
    /** 127.0.0.1 by default: expose it deliberately (0.0.0.0) behind your own proxy. */
    HOST: z.string().min(1).default('127.0.0.1'),
    /** true: the read routes want a key too (`read` or `admin` scope); write routes always want `admin`. */
    API_READ_REQUIRES_KEY: booleanFlag.default(false),
    /** Requests per minute per API key, and per client IP for requests without a key. */
    API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
    /**
     * `GET /trending` reads which snapshot is current at most once per this many milliseconds per board and
     * process (a new ranking shows within it); 0 reads it on every request.
     */
    TRENDING_POINTER_CACHE_MS: z.coerce
      .number()
      .int()
      .min(0)
      .max(60_000)
      .default(DEFAULT_TRENDING_POINTER_CACHE_MS),
  })
  // Feed links (PUBLIC_BASE_URL) and digest unsubscribe links (DIGEST_SECRET).
  .extend(publicLinksEnvSchema.shape);
export type ApiConfig = z.infer<typeof apiEnvSchema>;

export function loadApiConfig(env: Record<string, string | undefined>): ApiConfig {
  return loadConfigWith('api', apiEnvSchema, env);
}
