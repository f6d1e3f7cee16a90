// The second reader for generic feeds that are not well-formed XML (an unescaped `&`, an unclosed `<br>`, a
// stray tag), as feedparser falls back to its loose parser: rss-parser on a non-strict xml2js. The strict,
// namespace-aware reader (generic-feed.ts) reads every well-formed document; this one only runs when that
// one refuses a document as `bad-xml`, and reads the plain fields of RSS 2.0/1.0 and Atom entries. DTD
// entities are not expanded in non-strict mode either (sax leaves them as text).
import type { ParseResult, SkippedEntry, SourceEntry } from '@paperwire/core';
import { authorNameFromContact, normaliseDate } from '@paperwire/core';
import Parser from 'rss-parser';
import { type AdapterContext, buildEntry } from './adapter.ts';
import { isRecord, own, type Rec, trimmed, uniq } from './util.ts';

/**
 * A parser per document: rss-parser keeps one xml2js parser, and one left mid-document by a truncated body
 * would carry its state into the next. Non-strict sax upper-cases names: tags and attributes are
 * lower-cased back, as rss-parser expects.
 */
const newParser = () =>
  new Parser<Rec, Rec>({
    xml2js: {
      strict: false,
      normalizeTags: true,
      attrNameProcessors: [(name: string) => name.toLowerCase()],
    },
    customFields: { item: ['pubdate', 'published', 'updated', 'dc:date', 'author', 'id'] },
  });

/**
 * The feed read leniently, or undefined when the lenient reader finds no entry in it (the strict reader's
 * error then stands: a truncated or broken document is not taken for an empty feed).
 */
export async function parseLenientFeed(text: string, ctx: AdapterContext): Promise<ParseResult | undefined> {
  const parser = newParser();
  let feed: Awaited<ReturnType<typeof parser.parseString>> | undefined;
  try {
    // xml2js parses synchronously, but on a truncated document it never calls back: whatever has not
    // settled once the parse returned never will, and counts as no feed (no hang, nothing left pending).
    feed = await Promise.race([
      parser.parseString(text),
      new Promise<undefined>((resolve) => setImmediate(() => resolve(undefined))),
    ]);
  } catch {
    return undefined;
  }
  if (feed === undefined) return undefined;
  const entries: SourceEntry[] = [];
  const skipped: SkippedEntry[] = [];
  for (const item of feed.items as unknown as Rec[]) {
    const result = toEntry(item, ctx);
    if ('reason' in result) skipped.push(result);
    else entries.push(result);
  }
  if (entries.length === 0) return undefined;
  const feedTitle = trimmed(feed.title);
  return { ...(feedTitle === undefined ? {} : { feedTitle }), entries, skipped };
}

function toEntry(item: Rec, ctx: AdapterContext): SourceEntry | SkippedEntry {
  const link = absoluteUrl(textOf(own(item, 'link')), ctx.url);
  const guid = textOf(own(item, 'guid')) ?? textOf(own(item, 'id'));
  const entryKey = guid ?? link;
  if (entryKey === undefined) return { reason: 'no guid, id or link' };
  const title = textOf(own(item, 'title'));
  if (title === undefined) return { entryKey, reason: 'no title' };
  const creator = textOf(own(item, 'creator')) ?? textOf(own(item, 'author'));
  const author = creator === undefined ? undefined : authorNameFromContact(creator);
  const date = (key: string) => {
    const value = textOf(own(item, key));
    return value === undefined ? undefined : normaliseDate(value);
  };
  const url = link ?? (guid !== undefined && /^https?:\/\//i.test(guid) ? guid : undefined);
  return buildEntry(ctx, 'web', entryKey, {
    title,
    summary: textOf(own(item, 'content')) ?? textOf(own(item, 'contentSnippet')),
    authors: author === undefined || author === '' ? [] : [author],
    url,
    links: uniq([guid !== undefined && /^https?:\/\//i.test(guid) ? guid : undefined]).filter(
      (l) => l !== url,
    ),
    ids: {},
    categories: [],
    publishedAt:
      date('pubdate') ?? date('pubDate') ?? date('published') ?? date('dc:date') ?? date('isoDate'),
    updatedAt: date('updated'),
    signals: {},
  });
}

/** Text of an xml2js value: a string, or an element object's `_` text. */
function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return trimmed(value);
  if (isRecord(value)) return textOf(own(value, '_'));
  if (Array.isArray(value)) return textOf(value[0]);
  return undefined;
}

function absoluteUrl(href: string | undefined, base: string | undefined): string | undefined {
  if (href === undefined) return undefined;
  try {
    return new URL(href, base).href;
  } catch {
    return href;
  }
}
