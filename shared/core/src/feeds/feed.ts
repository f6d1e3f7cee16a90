// A registered feed, its fetch state and its health. Pure data and pure helpers: the fetcher decides,
// the feeds repository stores.
import { createHash } from 'node:crypto';
import type { FeedErrorClass } from '../errors.ts';
import type { FeedKind, Source } from '../types.ts';
import type { HfDayRecord } from './hf-days.ts';

export interface FeedState {
  etag?: string;
  lastModified?: string;
  /** sha256 of the last body stored: an unchanged body (no validators) costs no parsing. */
  lastPayloadHash?: string;
  lastFetchAt?: string;
  lastSuccessAt?: string;
  nextCheckAt?: string;
  /** The feed's own RSS `<ttl>` (minutes), remembered for polls that are answered 304. */
  ttlMinutes?: number;
  /** hf-daily without `?date=`: the previous days being re-polled until their lists settle (hf-days.ts). */
  hfDays?: HfDayRecord[];
}

export type FeedHealthStatus = 'new' | 'ok' | 'empty' | 'failing';

export interface FeedHealth {
  status: FeedHealthStatus;
  consecutiveFailures: number;
  lastError?: { errorClass: FeedErrorClass; message: string; at: string };
  /** Entries in the last successful payload. */
  lastEntryCount?: number;
  /** Entries skipped (malformed) in the last successful payload. */
  lastSkippedCount?: number;
  /** When a fetch last stored new observations (cadence.ts). */
  lastNewEntriesAt?: string;
  /** EWMA of the gaps between fetches that stored new observations, ms; absent until there were two. */
  typicalGapMs?: number;
  /** No new entries for longer than the feed's usual cadence (a new feed, or one without history, is not). */
  quiet?: boolean;
}

export interface Feed {
  _id: string;
  url: string;
  kind: FeedKind;
  source: Source;
  title?: string;
  intervalMinutes: number;
  enabled: boolean;
  createdAt: string;
  state: FeedState;
  health: FeedHealth;
}

/** A stable, readable feed id from its URL: `rss-arxiv-org-rss-cs-lg-3f9a1c`. */
export function feedIdFor(kind: FeedKind, url: string): string {
  const slug = url
    .replace(/^[a-z]+:\/\//i, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/g, '');
  const digest = createHash('sha256').update(`${kind} ${url}`).digest('hex');
  return `${kind}-${slug}-${digest.slice(0, 6)}`;
}

/** Parses `15m`, `2h`, `1d`, `90` (minutes) into minutes; undefined when malformed. */
export function parseInterval(text: string): number | undefined {
  const m = /^(\d+)\s*(m|min|h|d)?$/i.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = (m[2] ?? 'm').toLowerCase();
  const minutes = unit === 'h' ? n * 60 : unit === 'd' ? n * 1440 : n;
  return minutes >= 1 && minutes <= 7 * 1440 ? minutes : undefined;
}
