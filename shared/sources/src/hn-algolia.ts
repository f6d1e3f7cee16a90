// hn.algolia.com/api/v1 search responses ({ hits: [...] }).
import type { ParseResult, SkippedEntry, SourceEntry } from '@paperwire/core';
import { type AdapterContext, buildEntry } from './adapter.ts';
import {
  isoDate,
  isoFromEpochSeconds,
  isRecord,
  num,
  own,
  parseError,
  parseJson,
  type Rec,
  str,
} from './util.ts';

const KIND = 'hn';

export async function parseHnAlgolia(body: string, ctx: AdapterContext): Promise<ParseResult> {
  const data = parseJson(KIND, body);
  const hits = isRecord(data) ? own(data, 'hits') : undefined;
  if (!Array.isArray(hits))
    throw parseError(KIND, 'not-a-feed', 'expected an Algolia search response with a `hits` array');
  const entries: SourceEntry[] = [];
  const skipped: SkippedEntry[] = [];
  hits.forEach((hit: unknown, index) => {
    const h: Rec = isRecord(hit) ? hit : {};
    const rawId = own(h, 'objectID');
    const objectId = typeof rawId === 'number' ? String(rawId) : str(h, 'objectID');
    if (objectId === undefined) {
      skipped.push({ reason: `hit ${index}: no objectID` });
      return;
    }
    const title = str(h, 'title');
    if (title === undefined) {
      skipped.push({ entryKey: objectId, reason: 'no title' });
      return;
    }
    const url = str(h, 'url');
    if (url === undefined) {
      skipped.push({ entryKey: objectId, reason: 'no url (Ask/Show HN text post)' });
      return;
    }
    entries.push(
      buildEntry(ctx, 'hackernews', objectId, {
        title,
        url,
        links: [url, `https://news.ycombinator.com/item?id=${encodeURIComponent(objectId)}`],
        // The HN submitter is not an author of the linked paper, so `authors` stays empty.
        publishedAt: isoDate(str(h, 'created_at')) ?? isoFromEpochSeconds(num(h, 'created_at_i')),
        signals: { points: num(h, 'points'), comments: num(h, 'num_comments') },
      }),
    );
  });
  return { entries, skipped };
}

/** Hosts whose links make an HN story worth ingesting; pass each to hnSearchUrl. */
export const HN_PAPER_HOSTS = ['arxiv.org', 'huggingface.co/papers', 'doi.org'] as const;

export interface HnSearchOptions {
  /** `search_by_date` (newest first, default) or `search` (relevance). */
  byDate?: boolean;
  hitsPerPage?: number;
  page?: number;
  /** Only stories created at or after this Unix time (seconds). */
  createdAfter?: number;
}

/**
 * Stories whose URL matches `query` (e.g. `arxiv.org`). Algolia matches prefixes fuzzily, so callers still
 * post-filter the returned urls.
 */
export function hnSearchUrl(query: string, options: HnSearchOptions = {}): string {
  if (query.trim() === '') throw new RangeError('hnSearchUrl: query is empty');
  const hitsPerPage = options.hitsPerPage ?? 100;
  if (!Number.isInteger(hitsPerPage) || hitsPerPage < 1 || hitsPerPage > 1000) {
    throw new RangeError(`hnSearchUrl: hitsPerPage must be an integer in 1..1000, got ${hitsPerPage}`);
  }
  const params = new URLSearchParams({
    query,
    tags: 'story',
    restrictSearchableAttributes: 'url',
    hitsPerPage: String(hitsPerPage),
  });
  if (options.page !== undefined) params.set('page', String(options.page));
  if (options.createdAfter !== undefined) {
    params.set('numericFilters', `created_at_i>=${Math.floor(options.createdAfter)}`);
  }
  const endpoint = options.byDate === false ? 'search' : 'search_by_date';
  return `https://hn.algolia.com/api/v1/${endpoint}?${params.toString()}`;
}
