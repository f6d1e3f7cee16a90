// rss.arxiv.org RSS 2.0 (since 2024) and the retired export.arxiv.org/rss RSS 1.0/RDF format.
import {
  ANNOUNCE_TYPES,
  type AnnounceType,
  type ParseResult,
  type SkippedEntry,
  type SourceEntry,
} from '@paperwire/core';
import { type AdapterContext, buildEntry } from './adapter.ts';
import { isoDate, parseError } from './util.ts';
import { attr, child, children, childText, childTexts, parseXml, type XmlElement } from './xml.ts';

const KIND = 'arxiv-rss';

/** `arXiv:2609.26811v1 Announce Type: new \nAbstract: …` (note the space before the newline). */
const DESCRIPTION_PREFIX = /^\s*arXiv:(\S+)\s+Announce Type:\s*([a-z-]+)/;

/** RDF title suffix: `… (arXiv:1808.09955v1 [astro-ph.IM])` or `… (arXiv:1301.1107v6 [cs.NA] UPDATED)`. */
const RDF_TITLE_SUFFIX = /\s*\(arXiv:(\S+?) \[([^\]\s]+)\]( UPDATED)?\)\s*$/;

export async function parseArxivRss(body: string, ctx: AdapterContext): Promise<ParseResult> {
  const { rootName, root } = await parseXml(KIND, body);
  if (rootName === 'rss') return parseRss2(root, ctx);
  if (rootName === 'rdf:RDF') return parseRdf(root, ctx);
  throw parseError(KIND, 'not-a-feed', 'the root element is neither <rss> nor <rdf:RDF>');
}

function parseRss2(root: XmlElement, ctx: AdapterContext): ParseResult {
  const channel = child(root, 'channel');
  if (channel === undefined) throw parseError(KIND, 'not-a-feed', '<rss> has no <channel>');
  const entries: SourceEntry[] = [];
  const skipped: SkippedEntry[] = [];
  // An empty channel (weekend, holiday) is a normal day with nothing announced.
  for (const item of children(channel, 'item')) {
    const guid = childText(item, 'guid');
    const link = childText(item, 'link');
    const title = childText(item, 'title');
    const entryKey = guid ?? link;
    if (entryKey === undefined) {
      skipped.push({ reason: 'no guid or link' });
      continue;
    }
    if (title === undefined) {
      skipped.push({ entryKey, reason: 'no title' });
      continue;
    }
    const description = childText(item, 'description');
    const prefix = description === undefined ? null : DESCRIPTION_PREFIX.exec(description);
    const categories = childTexts(item, 'category');
    const creator = childText(item, 'dc:creator');
    entries.push(
      buildEntry(ctx, 'arxiv', entryKey, {
        title,
        summary: description,
        authors: creator === undefined ? [] : [creator],
        url: link,
        links: [],
        ids: {
          arxiv: guid ?? (prefix?.[1] === undefined ? link : `arXiv:${prefix[1]}`),
          doi: childText(item, 'arxiv:DOI') ?? childText(item, 'arxiv:doi'),
        },
        categories,
        // arXiv lists the primary category first (a cross-list's first category is its home category).
        primaryCategory: categories[0],
        publishedAt: isoDate(childText(item, 'pubDate') ?? childText(channel, 'pubDate')),
        announceType: asAnnounceType(childText(item, 'arxiv:announce_type')) ?? asAnnounceType(prefix?.[2]),
      }),
    );
  }
  return { feedTitle: childText(channel, 'title'), entries, skipped };
}

function parseRdf(root: XmlElement, ctx: AdapterContext): ParseResult {
  const channel = child(root, 'channel');
  if (channel === undefined) throw parseError(KIND, 'not-a-feed', '<rdf:RDF> has no <channel>');
  const feedTitle = childText(channel, 'title');
  const feedCategories = feedCategoriesOf(feedTitle);
  // Items carry no date of their own: the channel's dc:date is the announcement date.
  const channelDate = isoDate(childText(channel, 'dc:date'));
  const entries: SourceEntry[] = [];
  const skipped: SkippedEntry[] = [];
  for (const item of children(root, 'item')) {
    const link = childText(item, 'link');
    const entryKey = attr(item, 'rdf:about') ?? link;
    const rawTitle = childText(item, 'title');
    if (entryKey === undefined) {
      skipped.push({ reason: 'no rdf:about or link' });
      continue;
    }
    if (rawTitle === undefined) {
      skipped.push({ entryKey, reason: 'no title' });
      continue;
    }
    const suffix = RDF_TITLE_SUFFIX.exec(rawTitle);
    const title = suffix === null ? rawTitle : rawTitle.slice(0, suffix.index).trim();
    if (title === '') {
      skipped.push({ entryKey, reason: 'no title' });
      continue;
    }
    const primaryCategory = suffix?.[2];
    const creator = childText(item, 'dc:creator');
    entries.push(
      buildEntry(ctx, 'arxiv', entryKey, {
        title,
        summary: childText(item, 'description'),
        // Escaped HTML `<a href=…>Name</a>, …` list, kept raw for the normaliser.
        authors: creator === undefined ? [] : [creator],
        url: link,
        links: [],
        ids: { arxiv: suffix?.[1] === undefined ? link : `arXiv:${suffix[1]}` },
        categories: primaryCategory === undefined ? [] : [primaryCategory],
        primaryCategory,
        publishedAt: channelDate,
        announceType:
          suffix === null
            ? undefined
            : rdfAnnounceType(suffix[3] !== undefined, primaryCategory, feedCategories),
      }),
    );
  }
  return { feedTitle, entries, skipped };
}

/** `cs updates on arXiv.org` → ['cs']; `cs.LG, stat.ML updates on arXiv.org` → ['cs.LG', 'stat.ML']. */
function feedCategoriesOf(feedTitle: string | undefined): string[] {
  const match = feedTitle === undefined ? null : /^(.+?) updates on arXiv\.org/i.exec(feedTitle);
  if (match?.[1] === undefined) return [];
  return match[1].split(/[\s,+]+/).filter((c) => c !== '');
}

/**
 * The RDF feed only marks replacements (`UPDATED`). A primary category outside the feed's categories means
 * the paper was cross-listed into this feed, as rss.arxiv.org's `cross`/`replace-cross` say explicitly.
 */
function rdfAnnounceType(
  updated: boolean,
  primary: string | undefined,
  feedCategories: readonly string[],
): AnnounceType {
  const cross =
    primary !== undefined &&
    feedCategories.length > 0 &&
    !feedCategories.some((c) => primary === c || primary.startsWith(`${c}.`));
  if (updated) return cross ? 'replace-cross' : 'replace';
  return cross ? 'cross' : 'new';
}

function asAnnounceType(value: string | undefined): AnnounceType | undefined {
  return (ANNOUNCE_TYPES as readonly string[]).includes(value ?? '') ? (value as AnnounceType) : undefined;
}
