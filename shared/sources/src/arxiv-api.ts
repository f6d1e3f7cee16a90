// export.arxiv.org/api/query Atom responses, legacy (per-element xmlns, pre-2025) and current.
import type { ParseResult, SkippedEntry, SourceEntry } from '@paperwire/core';
import { type AdapterContext, buildEntry } from './adapter.ts';
import { ARXIV_API_ENDPOINT } from './endpoints.ts';
import { isoDate, parseError, uniq } from './util.ts';
import { attr, child, children, childText, parseXml, type XmlElement } from './xml.ts';

const KIND = 'arxiv-api';

export async function parseArxivApi(body: string, ctx: AdapterContext): Promise<ParseResult> {
  const feed = await parseFeed(body);
  const rawEntries = children(feed, 'entry');
  // The API answers a bad query with HTTP 400 and a one-entry Atom feed describing the error.
  for (const entry of rawEntries) {
    const id = childText(entry, 'id') ?? '';
    // Its summary (e.g. `incorrect id format for …`) quotes the query: only the entry's place is named.
    if (/\/api\/errors(#|$)/.test(id))
      throw parseError(
        KIND,
        'api-error',
        'the response is an arXiv API error entry (<entry> with an /api/errors id)',
      );
  }
  const entries: SourceEntry[] = [];
  const skipped: SkippedEntry[] = [];
  for (const entry of rawEntries) {
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
    entries.push(toEntry(entry, id, title, ctx));
  }
  return { feedTitle: childText(feed, 'title'), entries, skipped };
}

function toEntry(entry: XmlElement, id: string, title: string, ctx: AdapterContext): SourceEntry {
  const links = children(entry, 'link');
  // Match on attributes, never on their order: legacy puts title="pdf" first, current output last.
  const abs =
    links.find((l) => attr(l, 'rel') === 'alternate') ?? links.find((l) => attr(l, 'rel') === undefined);
  const pdf = links.find((l) => attr(l, 'type') === 'application/pdf' || attr(l, 'title') === 'pdf');
  const doiLink = links.find((l) => attr(l, 'title') === 'doi');
  const absHref = attr(abs, 'href');
  const authors: string[] = [];
  for (const author of children(entry, 'author')) {
    // arxiv:affiliation is not kept: SourceEntry authors are display names only.
    const name = childText(author, 'name');
    if (name !== undefined) authors.push(name);
  }
  const categories = uniq(children(entry, 'category').map((c) => attr(c, 'term')));
  return buildEntry(ctx, 'arxiv', id, {
    title,
    summary: childText(entry, 'summary'),
    authors,
    url: absHref ?? id,
    links: uniq([attr(pdf, 'href'), attr(doiLink, 'href'), ...links.map((l) => attr(l, 'href'))]).filter(
      (href) => href !== absHref,
    ),
    ids: { arxiv: id, doi: childText(entry, 'arxiv:doi') },
    categories,
    primaryCategory: attr(child(entry, 'arxiv:primary_category'), 'term') ?? categories[0],
    publishedAt: isoDate(childText(entry, 'published')),
    updatedAt: isoDate(childText(entry, 'updated')),
    comment: childText(entry, 'arxiv:comment'),
    journalRef: childText(entry, 'arxiv:journal_ref'),
  });
}

async function parseFeed(body: string): Promise<XmlElement> {
  const { rootName, root } = await parseXml(KIND, body);
  if (rootName !== 'feed') throw parseError(KIND, 'not-a-feed', 'the root element is not an Atom <feed>');
  return root;
}

export interface ArxivApiPage {
  totalResults: number;
  startIndex: number;
  itemsPerPage: number;
}

/** Paging numbers from the opensearch elements; throws FeedParseError when they are missing. */
export async function parseArxivApiPage(body: string): Promise<ArxivApiPage> {
  const feed = await parseFeed(body);
  const read = (name: string): number => {
    const text = childText(feed, `opensearch:${name}`);
    const value = text === undefined ? Number.NaN : Number(text);
    if (!Number.isInteger(value) || value < 0)
      throw parseError(KIND, 'not-a-feed', `missing or invalid opensearch:${name}`);
    return value;
  };
  return {
    totalResults: read('totalResults'),
    startIndex: read('startIndex'),
    itemsPerPage: read('itemsPerPage'),
  };
}

export interface ArxivApiQuery {
  /** e.g. `cat:cs.LG OR cat:cs.AI`; spaces are encoded as `+`. */
  searchQuery: string;
  start: number;
  /** The API allows at most 2000 per request. */
  maxResults: number;
  sortBy?: 'relevance' | 'lastUpdatedDate' | 'submittedDate';
  sortOrder?: 'ascending' | 'descending';
}

export function arxivApiUrl(query: ArxivApiQuery): string {
  if (query.searchQuery.trim() === '') throw new RangeError('arxivApiUrl: searchQuery is empty');
  if (!Number.isInteger(query.start) || query.start < 0) {
    throw new RangeError(`arxivApiUrl: start must be an integer ≥ 0, got ${query.start}`);
  }
  if (!Number.isInteger(query.maxResults) || query.maxResults < 1 || query.maxResults > 2000) {
    throw new RangeError(`arxivApiUrl: maxResults must be an integer in 1..2000, got ${query.maxResults}`);
  }
  const params = new URLSearchParams({
    search_query: query.searchQuery,
    start: String(query.start),
    max_results: String(query.maxResults),
  });
  if (query.sortBy !== undefined) params.set('sortBy', query.sortBy);
  if (query.sortOrder !== undefined) params.set('sortOrder', query.sortOrder);
  return `${ARXIV_API_ENDPOINT}?${params.toString()}`;
}
