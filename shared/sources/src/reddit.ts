// Reddit listings, as `.json` (Listing of t3 children, with score and comment counts) or `.rss` (Atom,
// no counts). The body's first non-whitespace character picks the format.
import { decodeHtmlEntities, type ParseResult, type SkippedEntry, type SourceEntry } from '@paperwire/core';
import { type AdapterContext, buildEntry } from './adapter.ts';
import {
  isoDate,
  isoFromEpochSeconds,
  isRecord,
  looksBinary,
  num,
  own,
  parseError,
  parseJson,
  type Rec,
  str,
  stripBom,
  uniq,
} from './util.ts';
import { attr, child, children, childText, parseXml, rawText } from './xml.ts';

const KIND = 'reddit';
const REDDIT_ORIGIN = 'https://www.reddit.com';

export async function parseReddit(body: string, ctx: AdapterContext): Promise<ParseResult> {
  const first = stripBom(body).trimStart()[0];
  if (first === '{') return parseListing(body, ctx);
  if (first === '<') return parseAtom(body, ctx);
  if (first === undefined) throw parseError(KIND, 'empty', 'the body is empty');
  if (looksBinary(body))
    throw parseError(KIND, 'bad-encoding', 'NUL or undecodable bytes in the first KiB of the body');
  throw parseError(KIND, 'not-a-feed', 'the body begins with neither "{" (a JSON Listing) nor "<" (Atom)');
}

function parseListing(body: string, ctx: AdapterContext): ParseResult {
  const data = parseJson(KIND, body);
  const listing = isRecord(data) && own(data, 'kind') === 'Listing' ? own(data, 'data') : undefined;
  const children = isRecord(listing) ? own(listing, 'children') : undefined;
  if (!Array.isArray(children)) throw parseError(KIND, 'not-a-feed', 'expected a Listing with data.children');
  const entries: SourceEntry[] = [];
  const skipped: SkippedEntry[] = [];
  children.forEach((thing: unknown, index) => {
    const kind = isRecord(thing) ? own(thing, 'kind') : undefined;
    const postValue = isRecord(thing) ? own(thing, 'data') : undefined;
    const post: Rec = isRecord(postValue) ? postValue : {};
    const shortId = str(post, 'id');
    const entryKey = str(post, 'name') ?? (shortId === undefined ? undefined : `t3_${shortId}`);
    if (kind !== 't3') {
      skipped.push({ entryKey, reason: `child ${index}: not a post (kind ${String(kind)})` });
      return;
    }
    if (entryKey === undefined) {
      skipped.push({ reason: `child ${index}: no name or id` });
      return;
    }
    const title = str(post, 'title');
    if (title === undefined) {
      skipped.push({ entryKey, reason: 'no title' });
      return;
    }
    // Without raw_json=1 Reddit HTML-escapes URLs in JSON (`&amp;`).
    const rawUrl = str(post, 'url');
    const url = rawUrl === undefined ? undefined : absolute(decodeHtmlEntities(rawUrl));
    const rawPermalink = str(post, 'permalink');
    const permalink = rawPermalink === undefined ? undefined : absolute(decodeHtmlEntities(rawPermalink));
    entries.push(
      buildEntry(ctx, 'reddit', entryKey, {
        title,
        summary: str(post, 'selftext'),
        // The Reddit poster is not an author of the linked paper, so `authors` stays empty.
        url: url ?? permalink,
        links: uniq([url, permalink]),
        categories: uniq([str(post, 'subreddit')]),
        publishedAt: isoFromEpochSeconds(num(post, 'created_utc')),
        signals: { score: num(post, 'score'), comments: num(post, 'num_comments') },
      }),
    );
  });
  return { entries, skipped };
}

async function parseAtom(body: string, ctx: AdapterContext): Promise<ParseResult> {
  const { rootName, root } = await parseXml(KIND, body);
  if (rootName !== 'feed') throw parseError(KIND, 'not-a-feed', 'the root element is not an Atom <feed>');
  const entries: SourceEntry[] = [];
  const skipped: SkippedEntry[] = [];
  for (const entry of children(root, 'entry')) {
    const id = childText(entry, 'id');
    const title = childText(entry, 'title');
    if (id === undefined) {
      skipped.push({ reason: 'no id' });
      continue;
    }
    if (title === undefined) {
      skipped.push({ entryKey: id, reason: 'no title' });
      continue;
    }
    const content = rawText(child(entry, 'content'))?.trim();
    const permalink = attr(child(entry, 'link'), 'href');
    // The external link is only inside the escaped HTML content: `<a href="…">[link]</a>`.
    const external = content === undefined ? undefined : hrefOfAnchor(content, '[link]');
    entries.push(
      buildEntry(ctx, 'reddit', id, {
        title,
        summary: content === '' ? undefined : content,
        url: external ?? permalink,
        links: uniq([
          external,
          permalink,
          content === undefined ? undefined : hrefOfAnchor(content, '[comments]'),
        ]),
        categories: uniq(children(entry, 'category').map((c) => attr(c, 'term'))),
        publishedAt: isoDate(childText(entry, 'published')),
        updatedAt: isoDate(childText(entry, 'updated')),
      }),
    );
  }
  return { feedTitle: childText(root, 'title'), entries, skipped };
}

function hrefOfAnchor(html: string, label: string): string | undefined {
  for (const match of html.matchAll(/<a\s[^>]*?href\s*=\s*("([^"]*)"|'([^']*)')[^>]*>([^<]*)<\/a>/gi)) {
    if (match[4]?.trim() === label) {
      const href = (match[2] ?? match[3] ?? '').trim();
      return href === '' ? undefined : decodeHtmlEntities(href);
    }
  }
  return undefined;
}

function absolute(urlOrPath: string): string {
  return urlOrPath.startsWith('/') ? `${REDDIT_ORIGIN}${urlOrPath}` : urlOrPath;
}

export type RedditSort = 'hot' | 'new' | 'top' | 'rising';

export interface RedditListingOptions {
  /** Time window for `top`. */
  t?: 'hour' | 'day' | 'week' | 'month' | 'year' | 'all';
  /** At most 100. */
  limit?: number;
}

/** `.json` listing URL with `raw_json=1`, so URLs and text come back unescaped. */
export function redditListingUrl(
  subreddit: string,
  sort: RedditSort,
  options: RedditListingOptions = {},
): string {
  if (!/^[A-Za-z0-9_]{2,21}$/.test(subreddit)) {
    throw new RangeError(`redditListingUrl: invalid subreddit name ${JSON.stringify(subreddit)}`);
  }
  const params = new URLSearchParams({ raw_json: '1' });
  if (options.t !== undefined) params.set('t', options.t);
  if (options.limit !== undefined) {
    if (!Number.isInteger(options.limit) || options.limit < 1 || options.limit > 100) {
      throw new RangeError(`redditListingUrl: limit must be an integer in 1..100, got ${options.limit}`);
    }
    params.set('limit', String(options.limit));
  }
  return `${REDDIT_ORIGIN}/r/${subreddit}/${sort}.json?${params.toString()}`;
}
