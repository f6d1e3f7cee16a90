// Any RSS 2.0, RSS 1.0/RDF or Atom feed (bioRxiv, HF Daily Papers mirrors, blogs), parsed with rss-parser.
// Custom fields come back as xml2js values (strings, or objects with `_` text and `$` attributes).
import type { FeedKind, ParseResult, RawIdHints, SkippedEntry, SourceEntry } from '@paperwire/core';
import Parser from 'rss-parser';
import { type Adapter, type AdapterContext, buildEntry } from './adapter.ts';
import {
  expectMarkup,
  isoDate,
  isRecord,
  own,
  parseError,
  type Rec,
  trimmed,
  unescapeHtml,
  uniq,
} from './util.ts';
import { xmlErrorWhere } from './xml.ts';

type Item = Rec;

const ITEM_FIELDS = [
  ['dc:identifier', 'dcIdentifier'],
  ['dc:title', 'dcTitle'],
  ['prism:doi', 'prismDoi'],
  ['arxiv:DOI', 'arxivDoi'],
  ['published', 'published'],
  ['updated', 'updated'],
  ['author', 'atomAuthors', { keepArray: true }],
  ['link', 'allLinks', { keepArray: true }],
  ['category', 'allCategories', { keepArray: true }],
];

/** The adapter for kinds `rss` and `atom`: rss-parser detects the flavour itself. */
export function genericFeedAdapter(kind: Extract<FeedKind, 'rss' | 'atom'>): Adapter {
  return async (body: string, ctx: AdapterContext): Promise<ParseResult> => {
    const text = expectMarkup(kind, body);
    const parser = new Parser<Rec, Item>({ customFields: { feed: ['ttl'], item: ITEM_FIELDS } });
    let feed: Awaited<ReturnType<typeof parser.parseString>>;
    try {
      // Never parseURL: adapters do no I/O.
      feed = await parser.parseString(withoutInvalidAtomDates(text));
    } catch (err) {
      // sax errors carry a Line:/Column: position; rss-parser's own refusal is a fixed sentence.
      if (err instanceof Error && /\nLine: \d+/.test(err.message))
        throw parseError(kind, 'bad-xml', xmlErrorWhere(err));
      throw parseError(kind, 'not-a-feed', 'the document is not RSS 1.0, RSS 2.0 or Atom');
    }
    const entries: SourceEntry[] = [];
    const skipped: SkippedEntry[] = [];
    for (const item of feed.items as unknown as Item[]) {
      const result = toEntry(item, ctx);
      if ('reason' in result) skipped.push(result);
      else entries.push(result);
    }
    const ttl = Number(String((feed as Rec).ttl ?? '').trim());
    return {
      feedTitle: trimmed(feed.title),
      ...(Number.isInteger(ttl) && ttl > 0 && ttl <= 7 * 1440 ? { ttlMinutes: ttl } : {}),
      entries,
      skipped,
    };
  };
}

/**
 * rss-parser turns an Atom entry's `<published>`/`<updated>` into a Date and calls toISOString() on it
 * unguarded, so one unparseable date (`yesterday`, year 99999) threw a RangeError and failed the whole feed.
 * Those dates are emptied first: isoDate() below would drop them anyway, and the other entries survive.
 */
function withoutInvalidAtomDates(text: string): string {
  return text.replace(
    /<(published|updated)(\s[^>]*)?>([^<]*)<\/\1>/g,
    (whole, name: string, attrs = '', value: string) =>
      Number.isNaN(Date.parse(value)) ? `<${name}${attrs}></${name}>` : whole,
  );
}

export const parseRssFeed = genericFeedAdapter('rss');
export const parseAtomFeed = genericFeedAdapter('atom');

function toEntry(item: Item, ctx: AdapterContext): SourceEntry | SkippedEntry {
  const link = textOf(own(item, 'link'));
  const guid = textOf(own(item, 'guid'));
  const atomId = textOf(own(item, 'id'));
  const about = textOf(own(item, 'rdf:about'));
  const entryKey = guid ?? atomId ?? link ?? about;
  if (entryKey === undefined) return { reason: 'no guid, id or link' };
  const title = textOf(own(item, 'title')) ?? textOf(own(item, 'dcTitle'));
  if (title === undefined) return { entryKey, reason: 'no title' };

  // rss-parser: `content` is the RSS description or Atom content, `summary` the Atom summary.
  const summary =
    textOf(own(item, 'summary')) ?? textOf(own(item, 'content')) ?? textOf(own(item, 'content:encoded'));
  // HF Daily Papers mirrors (python-feedgen) put authors and upvotes into the description's HTML.
  const described = summary === undefined ? {} : fromDescriptionHtml(summary);
  const atomLinks = arrayOf(own(item, 'allLinks'))
    .map((l) => (isRecord(l) ? attrOf(l, 'href') : undefined))
    .filter((h) => h !== undefined);
  const url = link ?? (guid !== undefined && /^https?:\/\//.test(guid) ? guid : undefined) ?? about;
  return buildEntry(ctx, 'web', entryKey, {
    title,
    summary,
    authors: authorsOf(item, described.authors),
    url,
    links: uniq([
      about,
      ...atomLinks,
      guid !== undefined && /^https?:\/\//.test(guid) ? guid : undefined,
    ]).filter((l) => l !== url),
    ids: idsOf(item, [url, guid, atomId, about]),
    categories: categoriesOf(item),
    publishedAt:
      isoDate(textOf(own(item, 'published'))) ??
      isoDate(textOf(own(item, 'pubDate'))) ??
      isoDate(textOf(own(item, 'date'))) ??
      isoDate(textOf(own(item, 'isoDate'))),
    updatedAt: isoDate(textOf(own(item, 'updated'))),
    signals: { upvotes: described.upvotes },
  });
}

/** Text of an xml2js value: a string, or an element object with `_`. Whitespace-trimmed. */
function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return trimmed(value);
  if (isRecord(value)) return trimmed(own(value, '_'));
  return undefined;
}

function attrOf(node: Rec, name: string): string | undefined {
  const attrs = own(node, '$');
  return isRecord(attrs) ? trimmed(own(attrs, name)) : undefined;
}

function arrayOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function authorsOf(item: Item, fromDescription: string | undefined): string[] {
  const atomNames = arrayOf(own(item, 'atomAuthors'))
    .map((a) => (isRecord(a) ? textOf(arrayOf(own(a, 'name'))[0]) : undefined))
    .filter((n) => n !== undefined);
  if (atomNames.length > 0) return atomNames;
  // dc:creator / <author>: one raw string, possibly comma-joined; the normaliser splits it.
  const creator = textOf(own(item, 'creator'));
  if (creator !== undefined) return [creator];
  return fromDescription === undefined ? [] : [fromDescription];
}

function categoriesOf(item: Item): string[] {
  return uniq(
    arrayOf(own(item, 'allCategories')).map((c) =>
      isRecord(c) ? (attrOf(c, 'term') ?? textOf(c)) : typeof c === 'string' ? trimmed(c) : undefined,
    ),
  );
}

const DOI_IN_IDENTIFIER = /^(?:doi:\s*|https?:\/\/(?:dx\.)?doi\.org\/)?(10\.\d{4,9}\/\S+)$/i;
const ARXIV_URL = /^https?:\/\/(?:www\.|export\.)?arxiv\.org\/(?:abs|pdf)\//i;
/** Third-party HF mirrors whose links carry the arXiv id: tldr.takara.ai/p/<id>, huggingface.co/papers/<id>. */
const MIRROR_URL =
  /^https?:\/\/(?:tldr\.takara\.ai\/p|huggingface\.co\/papers)\/(\d{4}\.\d{4,5})(?:v\d+)?\/?$/i;

function idsOf(item: Item, candidates: ReadonlyArray<string | undefined>): RawIdHints {
  const ids: RawIdHints = {};
  const identifier = textOf(own(item, 'dcIdentifier'));
  ids.doi =
    textOf(own(item, 'prismDoi')) ??
    textOf(own(item, 'arxivDoi')) ??
    (identifier !== undefined && DOI_IN_IDENTIFIER.test(identifier) ? identifier : undefined);
  for (const candidate of candidates) {
    if (candidate === undefined) continue;
    if (ids.arxiv === undefined && ARXIV_URL.test(candidate)) ids.arxiv = candidate;
    const mirror = MIRROR_URL.exec(candidate);
    if (mirror?.[1] !== undefined) {
      ids.arxiv ??= mirror[1];
      if (/huggingface\.co\/papers\//i.test(candidate)) ids.hf ??= mirror[1];
    }
  }
  return ids;
}

/** `<b>Authors:</b> A, B</p>` and `<b>Upvotes:</b> 12` inside an (already XML-decoded) HTML description. */
function fromDescriptionHtml(html: string): { authors?: string; upvotes?: number } {
  const authors = /<b>\s*Authors:\s*<\/b>([^<]*)/i.exec(html)?.[1];
  const upvotes = /<b>\s*Upvotes:\s*<\/b>\s*(\d+)\s*</i.exec(html)?.[1];
  return {
    authors: authors === undefined ? undefined : trimmed(unescapeHtml(authors)),
    upvotes: upvotes === undefined ? undefined : Number(upvotes),
  };
}
