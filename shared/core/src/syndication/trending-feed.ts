// Atom 1.0 (RFC 4287) and JSON Feed 1.1 documents of one trending board: the current ranking snapshot
// with each ranked paper's title, abstract, authors, links and categories, all from the snapshot's rows.
// Pure: the caller reads the snapshot and says where the documents live.
import type { RankedPaper } from '../scoring/row.ts';
import type { DatedSnapshot, RankingSnapshot } from '../scoring/snapshot.ts';
import type { Window } from '../types.ts';
import { escapeHtml, escapeXml, httpUrl, stripInvalidXmlChars } from './escape.ts';

export const ATOM_CONTENT_TYPE = 'application/atom+xml; charset=utf-8';
export const JSON_FEED_CONTENT_TYPE = 'application/feed+json; charset=utf-8';
export const JSON_FEED_VERSION = 'https://jsonfeed.org/version/1.1';

/** One ranked paper as a feed entry. */
export interface FeedEntry {
  paperId: string;
  rank: number;
  score: number;
  title: string;
  abstract?: string;
  authors: string[];
  categories: string[];
  /** Where a reader goes: the paper's abstract page, else its page on this API. */
  url: string;
  links: RankedPaper['links'];
  /** RFC 3339: the paper's publication date, else when Paperwire first saw it. */
  published: string;
}

export interface TrendingFeed {
  /** A window (`24h`) or a dated board's kind (`daily`). */
  window: string;
  category: string;
  /** The snapshot's instant: the feed's and every entry's `updated`. */
  asOf: string;
  snapshotId: string;
  title: string;
  /** This document's own URL. */
  selfUrl: string;
  /** The same board as JSON (`/trending?…`). */
  boardUrl: string;
  entries: FeedEntry[];
}

export interface TrendingFeedUrls {
  selfUrl: string;
  boardUrl: string;
  /** A paper's page on this API, for papers without an http(s) abstract link. */
  paperUrl: (paperId: string) => string;
}

/** `urn:paperwire:paper:<paper id>`: stable for a paper whatever board or snapshot it appears on. */
export function paperEntryId(paperId: string): string {
  return `urn:paperwire:paper:${encodeURIComponent(paperId).replace(/%3A/gi, ':').replace(/%2F/gi, '/')}`;
}

/** `urn:paperwire:trending:<window>:<category>`: the feed's own id. */
export function trendingFeedId(window: string, category: string): string {
  return `urn:paperwire:trending:${window}:${encodeURIComponent(category)}`;
}

/** An instant as RFC 3339 (UTC, milliseconds), or undefined when `s` is not a date. */
export function rfc3339(s: string | undefined): string | undefined {
  if (s === undefined) return undefined;
  const ms = Date.parse(s);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

export function trendingFeedTitle(window: Window, category: string): string {
  return `Paperwire: trending papers, ${window}, ${category === 'all' ? 'all categories' : category}`;
}

/**
 * The feed of `snapshot`, in rank order, from its rows alone (each entry of a snapshot carries what the
 * feed shows: no paper is read). `title` and `feedId` name a board that is not a window's (a dated board).
 */
/** What a feed is made of: a trending snapshot, or a dated board (window = kind, category = period). */
export type FeedBoard = Pick<RankingSnapshot, '_id' | 'asOf' | 'entries'> & {
  window: string;
  category: string;
};

export function trendingFeed(
  snapshot: FeedBoard,
  urls: TrendingFeedUrls,
  names: { title?: string } = {},
): TrendingFeed {
  const asOf = rfc3339(snapshot.asOf) ?? snapshot.asOf;
  // Both formats carry the same text: without the characters XML 1.0 forbids (NUL, form feed, …).
  const clean = stripInvalidXmlChars;
  const entries = [...snapshot.entries]
    .sort((a, b) => a.rank - b.rank)
    .map((row): FeedEntry => {
      const links = row.links ?? {};
      const abstract = row.abstract ? clean(row.abstract) : '';
      const categories = row.categories?.length
        ? row.categories
        : row.primaryCategory
          ? [row.primaryCategory]
          : [];
      return {
        paperId: row.paperId,
        rank: row.rank,
        score: row.score,
        title: clean(row.title),
        ...(abstract ? { abstract } : {}),
        authors: (row.authors ?? []).map((a) => clean(a.name)).filter(Boolean),
        categories: categories.map(clean),
        url: httpUrl(links.abs) ?? httpUrl(links.html) ?? urls.paperUrl(row.paperId),
        links,
        published: rfc3339(row.publishedAt) ?? rfc3339(row.firstSeenAt) ?? asOf,
      };
    });
  return {
    window: snapshot.window,
    category: snapshot.category,
    asOf,
    snapshotId: snapshot._id,
    title: names.title ?? trendingFeedTitle(snapshot.window as Window, snapshot.category),
    selfUrl: urls.selfUrl,
    boardUrl: urls.boardUrl,
    entries,
  };
}

/** The feed of a dated board: `daily` / `2026-12-03` take the window's and category's places. */
export function datedFeed(board: DatedSnapshot, urls: TrendingFeedUrls): TrendingFeed {
  return trendingFeed({ ...board, window: board.kind, category: board.period }, urls, {
    title: `Paperwire: papers of ${board.kind === 'weekly' ? 'the week' : board.kind === 'monthly' ? 'the month' : 'the day'} ${board.period}`,
  });
}

/** Scores as people read them: up to 4 significant decimals, no exponent for ordinary values. */
export function formatScore(score: number): string {
  return Number.isFinite(score) ? String(Number(score.toFixed(4))) : String(score);
}

/** `#3 on 24h · all · score 12.5` */
function rankLine(feed: Pick<TrendingFeed, 'window' | 'category'>, e: FeedEntry): string {
  return `#${e.rank} on ${feed.window} · ${feed.category} · score ${formatScore(e.score)}`;
}

/** The entry's body as HTML: rank and score, the abstract, authors, links. Every value escaped. */
export function entryHtml(feed: Pick<TrendingFeed, 'window' | 'category'>, e: FeedEntry): string {
  const parts = [`<p><strong>${escapeHtml(rankLine(feed, e))}</strong></p>`];
  if (e.abstract) parts.push(`<p>${escapeHtml(e.abstract)}</p>`);
  if (e.authors.length > 0) parts.push(`<p>${escapeHtml(e.authors.join(', '))}</p>`);
  const links = (['abs', 'pdf', 'html', 'code', 'project'] as const)
    .map((k) => [k, httpUrl(e.links[k])] as const)
    .filter((l): l is readonly [(typeof l)[0], string] => l[1] !== undefined)
    .map(([k, href]) => `<a href="${escapeHtml(href)}">${k}</a>`);
  if (links.length > 0) parts.push(`<p>${links.join(' · ')}</p>`);
  return parts.join('\n');
}

/** The entry's body as plain text. */
export function entryText(feed: Pick<TrendingFeed, 'window' | 'category'>, e: FeedEntry): string {
  return [rankLine(feed, e), e.abstract, e.authors.length > 0 ? e.authors.join(', ') : undefined]
    .filter((s): s is string => s !== undefined)
    .join('\n\n');
}

/** The Atom 1.0 document, UTF-8. */
export function renderAtom(feed: TrendingFeed): string {
  const x = escapeXml;
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${x(trendingFeedId(feed.window, feed.category))}</id>`,
    `  <title type="text">${x(feed.title)}</title>`,
    `  <subtitle type="text">${x(`Ranking snapshot ${feed.snapshotId}, ${feed.entries.length} papers, by trending score`)}</subtitle>`,
    `  <updated>${x(feed.asOf)}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${x(feed.selfUrl)}"/>`,
    `  <link rel="alternate" type="application/json" href="${x(feed.boardUrl)}"/>`,
    '  <author><name>Paperwire</name></author>',
    '  <generator>Paperwire</generator>',
  ];
  for (const e of feed.entries) {
    lines.push(
      '  <entry>',
      `    <id>${x(paperEntryId(e.paperId))}</id>`,
      `    <title type="text">${x(e.title)}</title>`,
      `    <updated>${x(feed.asOf)}</updated>`,
      `    <published>${x(e.published)}</published>`,
      ...e.authors.map((name) => `    <author><name>${x(name)}</name></author>`),
      `    <link rel="alternate" type="text/html" href="${x(e.url)}"/>`,
    );
    const pdf = httpUrl(e.links.pdf);
    if (pdf) lines.push(`    <link rel="related" type="application/pdf" href="${x(pdf)}"/>`);
    lines.push(
      ...e.categories.map((c) => `    <category term="${x(c)}"/>`),
      ...(e.abstract ? [`    <summary type="text">${x(e.abstract)}</summary>`] : []),
      `    <content type="html">${x(entryHtml(feed, e))}</content>`,
      '  </entry>',
    );
  }
  lines.push('</feed>', '');
  return lines.join('\n');
}

export interface JsonFeedItem {
  id: string;
  url: string;
  title: string;
  summary?: string;
  content_html: string;
  content_text: string;
  date_published: string;
  date_modified: string;
  authors?: { name: string }[];
  tags?: string[];
  external_url?: string;
  _paperwire: { paper_id: string; rank: number; score: number; window: string; category: string };
}

export interface JsonFeed {
  version: typeof JSON_FEED_VERSION;
  title: string;
  home_page_url: string;
  feed_url: string;
  description: string;
  authors: { name: string }[];
  language: string;
  items: JsonFeedItem[];
  _paperwire: { snapshot_id: string; window: string; category: string; as_of: string };
}

/** The JSON Feed 1.1 object (serialise with JSON.stringify). */
export function renderJsonFeed(feed: TrendingFeed): JsonFeed {
  return {
    version: JSON_FEED_VERSION,
    title: feed.title,
    home_page_url: feed.boardUrl,
    feed_url: feed.selfUrl,
    description: `Ranking snapshot ${feed.snapshotId}, ${feed.entries.length} papers, by trending score`,
    authors: [{ name: 'Paperwire' }],
    language: 'en',
    items: feed.entries.map((e) => {
      const pdf = httpUrl(e.links.pdf);
      return {
        id: paperEntryId(e.paperId),
        url: e.url,
        title: e.title,
        ...(e.abstract ? { summary: e.abstract } : {}),
        content_html: entryHtml(feed, e),
        content_text: entryText(feed, e),
        date_published: e.published,
        date_modified: feed.asOf,
        ...(e.authors.length > 0 ? { authors: e.authors.map((name) => ({ name })) } : {}),
        ...(e.categories.length > 0 ? { tags: e.categories } : {}),
        ...(pdf ? { external_url: pdf } : {}),
        _paperwire: {
          paper_id: e.paperId,
          rank: e.rank,
          score: e.score,
          window: feed.window,
          category: feed.category,
        },
      };
    }),
    _paperwire: {
      snapshot_id: feed.snapshotId,
      window: feed.window,
      category: feed.category,
      as_of: feed.asOf,
    },
  };
}
