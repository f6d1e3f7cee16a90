import type { FeedKind, ParseResult, Source } from '@paperwire/core';
import type { Adapter, AdapterContext } from './adapter.ts';
import { parseArxivApi } from './arxiv-api.ts';
import { parseArxivOai } from './arxiv-oai.ts';
import { parseArxivRss } from './arxiv-rss.ts';
import { parseAtomFeed, parseRssFeed } from './generic-feed.ts';
import { parseHfDaily } from './hf-daily.ts';
import { parseHnAlgolia } from './hn-algolia.ts';
import { parseReddit } from './reddit.ts';

export type { Adapter, AdapterContext } from './adapter.ts';
export {
  type ArxivApiPage,
  type ArxivApiQuery,
  arxivApiUrl,
  parseArxivApi,
  parseArxivApiPage,
} from './arxiv-api.ts';
export {
  OAI_ERROR_CODES,
  type OaiListRecordsRequest,
  type OaiMetadataPrefix,
  type OaiPage,
  oaiListRecordsUrl,
  parseArxivOai,
  parseOaiPage,
} from './arxiv-oai.ts';
export { parseArxivRss } from './arxiv-rss.ts';
export { type BackfillCursor, backfillPageUrl } from './backfill.ts';
export { ARXIV_API_ENDPOINT, ARXIV_OAI_ENDPOINT } from './endpoints.ts';
export { genericFeedAdapter, parseAtomFeed, parseRssFeed } from './generic-feed.ts';
export { hfDailyUrl, parseHfDaily } from './hf-daily.ts';
export { HN_PAPER_HOSTS, type HnSearchOptions, hnSearchUrl, parseHnAlgolia } from './hn-algolia.ts';
export { parseReddit, type RedditListingOptions, type RedditSort, redditListingUrl } from './reddit.ts';

/** One adapter per feed kind; adding a FeedKind without an adapter is a compile error. */
export const ADAPTERS: { readonly [K in FeedKind]: Adapter } = {
  rss: parseRssFeed,
  atom: parseAtomFeed,
  'arxiv-rss': parseArxivRss,
  'arxiv-api': parseArxivApi,
  'arxiv-oai': parseArxivOai,
  'hf-daily': parseHfDaily,
  hn: parseHnAlgolia,
  reddit: parseReddit,
};

const SOURCE_OF_KIND: { readonly [K in FeedKind]: Source } = {
  rss: 'web',
  atom: 'web',
  'arxiv-rss': 'arxiv',
  'arxiv-api': 'arxiv',
  'arxiv-oai': 'arxiv',
  'hf-daily': 'huggingface',
  hn: 'hackernews',
  reddit: 'reddit',
};

/** The service a feed kind belongs to. A generic rss feed of arXiv papers is still `web`. */
export function sourceOfKind(kind: FeedKind): Source {
  return SOURCE_OF_KIND[kind];
}

/** Parses one payload with the adapter for its kind. Throws FeedParseError for a payload of another kind. */
export function parsePayload(kind: FeedKind, body: string, ctx: AdapterContext): Promise<ParseResult> {
  return ADAPTERS[kind](body, ctx);
}
