// The fetcher's settings: the only place its environment is read.
import { booleanFlag, commonEnvSchema, loadConfigWith } from '@paperwire/platform';
import { ARXIV_API_ENDPOINT, ARXIV_OAI_ENDPOINT } from '@paperwire/sources';
import { z } from 'zod';

const ms = (def: number) => z.coerce.number().int().min(0).max(3_600_000).default(def);

export const fetcherEnvSchema = commonEnvSchema.extend({
  /** Allow loopback and private-network feed URLs (tests, self-hosted feeds). Off by default. */
  PAPERWIRE_ALLOW_PRIVATE_NETWORKS: booleanFlag.default(false),
  /** A URL or mailto: that source operators can use to reach you; goes into the User-Agent. */
  PAPERWIRE_CONTACT: z.string().min(3).default('https://github.com/paperwire/paperwire'),
  FETCH_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  FETCH_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(100 * 1024 * 1024)
    .default(20 * 1024 * 1024),
  FETCH_TOTAL_TIMEOUT_MS: ms(60_000),
  /** Minimum gap between two requests to one service, shared by every fetcher process. */
  BUDGET_ARXIV_MS: ms(3_000),
  BUDGET_HUGGINGFACE_MS: ms(1_000),
  BUDGET_HACKERNEWS_MS: ms(1_000),
  BUDGET_REDDIT_MS: ms(2_000),
  /** Other feeds: per host. */
  BUDGET_WEB_HOST_MS: ms(1_000),
  /**
   * hf-daily feeds without `?date=` (today's list) also re-poll `?date=` for this many previous days, until
   * each day's list was unchanged for HF_REPOLL_STABLE_POLLS polls in a row. 0 turns re-polling off.
   */
  HF_REPOLL_DAYS: z.coerce.number().int().min(0).max(14).default(2),
  HF_REPOLL_STABLE_POLLS: z.coerce.number().int().min(1).max(50).default(2),
  /** The arXiv API query endpoint `paperwire backfill` pages (tests point it at a loopback server). */
  ARXIV_API_BASE: z
    .string()
    .regex(/^https?:\/\/[^?#]+$/, 'an http(s) URL without query, e.g. https://export.arxiv.org/api/query')
    .default(ARXIV_API_ENDPOINT),
  /** The OAI-PMH base URL `paperwire backfill arxiv-oai` harvests (tests point it at a loopback server). */
  ARXIV_OAI_BASE: z
    .string()
    .regex(/^https?:\/\/[^?#]+$/, 'an http(s) URL without query, e.g. https://export.arxiv.org/oai2')
    .default(ARXIV_OAI_ENDPOINT),
});
export type FetcherConfig = z.infer<typeof fetcherEnvSchema>;

export function loadFetcherConfig(env: Record<string, string | undefined>): FetcherConfig {
  return loadConfigWith('fetcher', fetcherEnvSchema, env);
}
