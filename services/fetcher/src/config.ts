// The fetcher's settings: the only place its environment is read.
import { booleanFlag, commonEnvSchema, loadConfigWith } from '@paperwire/platform/config';
import { ARXIV_API_ENDPOINT, ARXIV_OAI_ENDPOINT } from '@paperwire/sources/endpoints';
import { z } from 'zod';

const ms = (def: number) => z.coerce.number().int().min(0).max(3_600_000).default(def);
const burst = (def: number) => z.coerce.number().int().min(1).max(100).default(def);

export const fetcherEnvSchema = commonEnvSchema.extend({
  /** Allow loopback and private-network feed URLs (tests, self-hosted feeds). Off by default. */
  PAPERWIRE_ALLOW_PRIVATE_NETWORKS: booleanFlag.default(false),
  /** A URL or mailto: that source operators can use to reach you; goes into the User-Agent. */
  PAPERWIRE_CONTACT: z.string().min(3).default('https://github.com/paperwire/paperwire'),
  FETCH_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  /**
   * Largest response body read, decoded. At most 64 MiB: the archive gzips bodies into one document and
   * refuses one still over 15 MiB compressed (too-large), below MongoDB's 16 MiB document limit.
   */
  FETCH_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024)
    .default(20 * 1024 * 1024),
  FETCH_TOTAL_TIMEOUT_MS: ms(60_000),
  /**
   * Politeness per service, shared by every fetcher process through Redis (politeness.ts): a token bucket
   * that refills one request every BUDGET_<SERVICE>_MS and holds at most BURST_<SERVICE> requests. 0 ms: no
   * limit. arXiv asks for one request every 3 s and no bursts.
   */
  BUDGET_ARXIV_MS: ms(3_000),
  BUDGET_HUGGINGFACE_MS: ms(1_000),
  BUDGET_HACKERNEWS_MS: ms(1_000),
  BUDGET_REDDIT_MS: ms(2_000),
  /** Other feeds: per host. */
  BUDGET_WEB_HOST_MS: ms(1_000),
  BURST_ARXIV: burst(1),
  /** Today's list and its HF_REPOLL_DAYS re-polls (2 by default) go out together. */
  BURST_HUGGINGFACE: burst(3),
  BURST_HACKERNEWS: burst(2),
  BURST_REDDIT: burst(1),
  BURST_WEB_HOST: burst(2),
  /**
   * A 429 or 503 from any feed of a service pauses every request to that service, in every process, for its
   * Retry-After (at most 6 h); without one, for this long.
   */
  PAUSE_DEFAULT_MS: ms(60_000),
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
