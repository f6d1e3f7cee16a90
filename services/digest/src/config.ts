// The digest sender's settings: the only place its environment is read. Every digest setting is optional
// in the schema, so the all-in-one `paperwire start` runs without them (and leaves digests off);
// `digestSettings()` is the check at start: a digest sender needs all of them, and says which are missing.
import { ConfigError, normaliseEmail } from '@paperwire/core';
import { commonEnvSchema, loadConfigWith, publicLinksEnvSchema } from '@paperwire/platform/config';
import { z } from 'zod';

/** smtp://user:pass@host:587 (STARTTLS when offered) or smtps://user:pass@host:465 (TLS). Never echoed. */
const smtpUrl = z.string().refine((v) => {
  try {
    const u = new URL(v);
    return (u.protocol === 'smtp:' || u.protocol === 'smtps:') && u.hostname !== '';
  } catch {
    return false;
  }
}, 'must be smtp://user:password@host:port or smtps://… (percent-encode special characters)');

/** `Name <address>` or a bare address. */
export function parseFromAddress(value: string): { name?: string; address: string } | undefined {
  const m = /^\s*(?:([^<>\r\n]*?)\s*<([^<>\s]+)>|([^<>\s]+))\s*$/.exec(value);
  const address = normaliseEmail(m?.[2] ?? m?.[3] ?? '');
  if (!m || !address) return undefined;
  const name = m[1]?.replace(/^"|"$/g, '').trim();
  return name ? { name, address } : { address };
}

export const digestEnvSchema = commonEnvSchema.extend(publicLinksEnvSchema.shape).extend({
  /** Where digests are sent through; its password is redacted everywhere. */
  SMTP_URL: smtpUrl.optional(),
  /** The From of every digest, e.g. `Paperwire <digests@example.org>`; its domain names the Message-IDs. */
  DIGEST_FROM: z
    .string()
    .refine((v) => parseFromAddress(v) !== undefined, 'must be an address or Name <address>')
    .optional(),
  /** Daily periods start at this hour (UTC), weekly ones on Mondays at this hour. */
  DIGEST_HOUR_UTC: z.coerce.number().int().min(0).max(23).default(6),
  /** How often the planner looks for subscriptions whose digest is due, minutes. */
  DIGEST_PLAN_EVERY_MINUTES: z.coerce.number().int().min(1).max(1_440).default(15),
  /** Papers per board (window × category) in one digest at most. */
  DIGEST_MAX_PAPERS: z.coerce.number().int().min(1).max(50).default(10),
  /** Digests sent at once per process. */
  DIGEST_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(2),
  /** Connect, greeting and idle timeout of one SMTP conversation, ms. */
  SMTP_TIMEOUT_MS: z.coerce.number().int().min(500).max(300_000).default(30_000),
});
export type DigestConfig = z.infer<typeof digestEnvSchema>;

/** What a digest sender needs, all present. */
export interface DigestSettings {
  smtpUrl: string;
  from: { name?: string; address: string };
  /** The From address's domain: Message-IDs are `<digest.…@domain>`. */
  messageIdDomain: string;
  publicBaseUrl: string;
  secret: string;
  hourUtc: number;
  planEveryMinutes: number;
  maxPapers: number;
  concurrency: number;
  smtpTimeoutMs: number;
}

const REQUIRED = {
  SMTP_URL: 'smtp://user:password@host:587',
  DIGEST_FROM: 'Paperwire <digests@example.org>',
  PUBLIC_BASE_URL: 'https://paperwire.example.org (links in the e-mails)',
  DIGEST_SECRET: 'at least 32 characters, e.g. `openssl rand -hex 32` (signs unsubscribe links)',
} as const;

/** True when any digest setting is given: then all of them must be (see `digestSettings`). */
export const digestsWanted = (config: Partial<DigestConfig>): boolean =>
  config.SMTP_URL !== undefined || config.DIGEST_FROM !== undefined;

/** The settings, or a ConfigError naming every missing one and what to set it to. */
export function digestSettings(config: DigestConfig): DigestSettings {
  const missing = (Object.keys(REQUIRED) as (keyof typeof REQUIRED)[]).filter((k) => !config[k]);
  if (missing.length > 0)
    throw new ConfigError(
      `digest: invalid configuration:\n${missing.map((k) => `  ${k}: required to send digests, e.g. ${REQUIRED[k]} (unset)`).join('\n')}`,
    );
  const from = parseFromAddress(config.DIGEST_FROM!)!;
  return {
    smtpUrl: config.SMTP_URL!,
    from,
    messageIdDomain: from.address.slice(from.address.indexOf('@') + 1),
    publicBaseUrl: config.PUBLIC_BASE_URL!,
    secret: config.DIGEST_SECRET!,
    hourUtc: config.DIGEST_HOUR_UTC,
    planEveryMinutes: config.DIGEST_PLAN_EVERY_MINUTES,
    maxPapers: config.DIGEST_MAX_PAPERS,
    concurrency: config.DIGEST_CONCURRENCY,
    smtpTimeoutMs: config.SMTP_TIMEOUT_MS,
  };
}

export function loadDigestConfig(env: Record<string, string | undefined>): DigestConfig {
  const config = loadConfigWith('digest', digestEnvSchema, env);
  digestSettings(config);
  return config;
}
