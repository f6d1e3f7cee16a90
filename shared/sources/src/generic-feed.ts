// Any RSS 0.9x/2.0, RSS 1.0 (RDF) or Atom 0.3/1.0 feed (bioRxiv, journals, HF Daily Papers mirrors, blogs).
// Read from a namespace-aware tree (xml-tree.ts), element by namespace URI, never by prefix: see
// docs/feeds.md for what is taken from which element. In short: every author element, titles with markup
// rendered as text (and kept as HTML in `titleHtml`), links resolved against xml:base and the document URL,
// every common date element, empty channels as zero entries, and precise FeedParseErrors instead of crashes.
// A document that is not well-formed XML gets a second, lenient reading (lenient-feed.ts, rss-parser).
import {
  authorNameFromContact,
  decodeHtmlEntities,
  type FeedKind,
  FeedParseError,
  type ParseResult,
  type RawIdHints,
  type SkippedEntry,
  type SourceEntry,
  stripHtmlTags,
} from '@paperwire/core';
import { type Adapter, type AdapterContext, buildEntry } from './adapter.ts';
import { parseLenientFeed } from './lenient-feed.ts';
import { expectMarkup, isoDate, parseError, stripBom, trimmed, uniq } from './util.ts';
import {
  absolute,
  attrValue,
  childIn,
  childrenIn,
  innerMarkup,
  parseXmlTree,
  textContent,
  type XmlNode,
} from './xml-tree.ts';

export const NS = {
  atom10: 'http://www.w3.org/2005/Atom',
  atom03: 'http://purl.org/atom/ns#',
  rss10: 'http://purl.org/rss/1.0/',
  rss09: 'http://my.netscape.com/rdf/simple/0.9/',
  rss2userland: 'http://backend.userland.com/rss2',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  dc11: 'http://purl.org/dc/elements/1.1/',
  dc10: 'http://purl.org/dc/elements/1.0/',
  dcterms: 'http://purl.org/dc/terms/',
  content: 'http://purl.org/rss/1.0/modules/content/',
  prism: 'http://prismstandard.org/namespaces/basic/2.0/',
  prism1: 'http://prismstandard.org/namespaces/1.2/basic/',
  arxiv: 'http://arxiv.org/schemas/atom',
  xhtml: 'http://www.w3.org/1999/xhtml',
  itunes: 'http://www.itunes.com/dtds/podcast-1.0.dtd',
} as const;

const RSS: ReadonlySet<string> = new Set(['', NS.rss10, NS.rss09, NS.rss2userland]);
const ATOM: ReadonlySet<string> = new Set([NS.atom10, NS.atom03]);
const ATOM_OR_BARE: ReadonlySet<string> = new Set([NS.atom10, NS.atom03, '']);
const DC: ReadonlySet<string> = new Set([NS.dc11, NS.dc10]);
const DCTERMS: ReadonlySet<string> = new Set([NS.dcterms]);
const CONTENT: ReadonlySet<string> = new Set([NS.content]);
const PRISM: ReadonlySet<string> = new Set([NS.prism, NS.prism1]);
const ARXIV: ReadonlySet<string> = new Set([NS.arxiv]);
const RDF: ReadonlySet<string> = new Set([NS.rdf]);

type Flavour = 'rss' | 'rdf' | 'atom';

interface FeedDocument {
  flavour: Flavour;
  /** The element holding the feed-level title/ttl (`channel`, or `feed`), when there is one. */
  head: XmlNode | undefined;
  items: XmlNode[];
}

/** The adapter for kinds `rss` and `atom`: both read every flavour (the flavour is the root element's). */
export function genericFeedAdapter(kind: Extract<FeedKind, 'rss' | 'atom'>): Adapter {
  return async (body: string, ctx: AdapterContext): Promise<ParseResult> => {
    refuseUndecoded(kind, stripBom(body).trimStart());
    const text = expectMarkup(kind, body);
    let tree: XmlNode;
    try {
      tree = parseXmlTree(kind, text, ctx.url);
    } catch (err) {
      // Not well-formed: the lenient reader (rss-parser, non-strict) may still find the feed in it.
      if (err instanceof FeedParseError && err.failure === 'bad-xml') {
        const lenient = await parseLenientFeed(text, ctx);
        if (lenient !== undefined) return lenient;
      }
      throw err;
    }
    const doc = recognise(kind, tree);
    const entries: SourceEntry[] = [];
    const skipped: SkippedEntry[] = [];
    for (const item of doc.items) {
      const result = toEntry(doc.flavour, item, ctx);
      if ('reason' in result) skipped.push(result);
      else entries.push(result);
    }
    const feedTitle = doc.head === undefined ? undefined : titleOf(doc.flavour, doc.head)?.text;
    const ttl = Number(doc.head === undefined ? Number.NaN : childText(doc.head, RSS, 'ttl'));
    return {
      ...(feedTitle === undefined ? {} : { feedTitle }),
      ...(Number.isInteger(ttl) && ttl > 0 && ttl <= 7 * 1440 ? { ttlMinutes: ttl } : {}),
      entries,
      skipped,
    };
  };
}

export const parseRssFeed = genericFeedAdapter('rss');
export const parseAtomFeed = genericFeedAdapter('atom');

/**
 * A body with NUL characters was decoded with the wrong encoding (UTF-16/UTF-32 read as a single-byte or
 * UTF-8 text, or UTF-32 as UTF-16): no XML document may contain U+0000, so say what it is.
 */
function refuseUndecoded(kind: FeedKind, text: string): void {
  const nul = String.fromCharCode(0);
  if (!text.slice(0, 512).includes(nul)) return;
  const wide = text.startsWith(nul) || text.startsWith(`<${nul}`) || text.startsWith(`\ufeff${nul}`);
  throw parseError(
    kind,
    'bad-encoding',
    wide
      ? 'the body holds NUL characters in a UTF-16/UTF-32 pattern: it was decoded with the wrong character encoding'
      : 'the body holds NUL characters, which XML forbids',
  );
}

/** Which flavour the root element says, where the items are. Refuses anything that is not a feed. */
function recognise(kind: FeedKind, root: XmlNode): FeedDocument {
  if (root.local === 'rss' && (RSS.has(root.uri) || !ATOM.has(root.uri))) {
    // `<rss>` with or without `version`, in no namespace or any prefix. RSS 0.9x puts items beside the channel.
    const channel = root.children.find((c): c is XmlNode => typeof c !== 'string' && c.local === 'channel');
    if (channel === undefined) throw parseError(kind, 'not-a-feed', '<rss> has no <channel>');
    return { flavour: 'rss', head: channel, items: [...itemsIn(channel), ...itemsIn(root)] };
  }
  if (root.local === 'RDF' && (RDF.has(root.uri) || root.uri === '')) {
    const channel = root.children.find((c): c is XmlNode => typeof c !== 'string' && c.local === 'channel');
    // RSS 1.0 puts items beside the channel; a few feeds nest them inside it.
    return {
      flavour: 'rdf',
      head: channel,
      items: [...itemsIn(root), ...(channel === undefined ? [] : itemsIn(channel))],
    };
  }
  if (root.local === 'feed' && ATOM_OR_BARE.has(root.uri)) {
    return { flavour: 'atom', head: root, items: childrenIn(root, ATOM_OR_BARE, 'entry') };
  }
  throw parseError(kind, 'not-a-feed', 'the root element is not <rss>, <rdf:RDF> or an Atom <feed>');
}

function itemsIn(node: XmlNode): XmlNode[] {
  return node.children.filter(
    (c): c is XmlNode => typeof c !== 'string' && c.local === 'item' && !ATOM.has(c.uri) && c.uri !== NS.rdf,
  );
}

function toEntry(flavour: Flavour, item: XmlNode, ctx: AdapterContext): SourceEntry | SkippedEntry {
  const guidNode = childIn(item, RSS, 'guid');
  const guid = trimmed(guidNode === undefined ? undefined : textContent(guidNode));
  const atomId = childText(item, ATOM_OR_BARE, 'id');
  const about = trimmed(attrValue(item, NS.rdf, 'about'));
  const link = mainLink(flavour, item, guidNode, guid);
  const entryKey = guid ?? atomId ?? link ?? about;
  if (entryKey === undefined) return { reason: 'no guid, id or link' };
  const title = titleOf(flavour, item) ?? plainTitle(item);
  if (title === undefined) return { entryKey, reason: 'no title' };

  const summary = summaryOf(item);
  // HF Daily Papers mirrors (python-feedgen) put authors and upvotes into the description's HTML.
  const described = summary === undefined ? {} : fromDescriptionHtml(summary);
  const authors = authorsOf(item);
  const base = item.base;
  const resolvedGuid = guid === undefined ? undefined : absolute(guid, base);
  const webGuid = resolvedGuid !== undefined && /^https?:\/\//i.test(resolvedGuid) ? resolvedGuid : undefined;
  const aboutUrl = about === undefined ? undefined : (absolute(about, base) ?? about);
  const url = link ?? webGuid ?? aboutUrl;
  const published = firstDate(item, PUBLISHED);
  const updated = firstDate(item, UPDATED);
  return buildEntry(ctx, 'web', entryKey, {
    title: title.text,
    ...(title.html === undefined ? {} : { titleHtml: title.html }),
    summary,
    authors: authors.length > 0 ? authors : described.authors === undefined ? [] : [described.authors],
    url,
    links: uniq([aboutUrl, ...allLinks(item), webGuid]).filter((l) => l !== url),
    ids: idsOf(item, [
      url,
      resolvedGuid,
      atomId === undefined ? undefined : absolute(atomId, base),
      aboutUrl,
    ]),
    categories: categoriesOf(item),
    publishedAt: published,
    updatedAt: updated,
    signals: { upvotes: described.upvotes },
  });
}

function childText(node: XmlNode, uris: ReadonlySet<string>, local: string): string | undefined {
  const c = childIn(node, uris, local);
  return c === undefined ? undefined : trimmed(textContent(c));
}

// ---------------------------------------------------------------- titles (and summaries: the same rules)

interface Title {
  text: string;
  html?: string;
}

/**
 * Atom text constructs: `type="xhtml"` is markup inside a `<div>`; `type="html"` is escaped HTML; `text` (the
 * default) is literal. RSS titles are HTML in practice (journals escape `&lt;i&gt;` or even put raw `<i>`
 * elements there), so they are read as HTML, as feedparser does.
 */
function titleOf(flavour: Flavour, node: XmlNode): Title | undefined {
  const el = flavour === 'atom' ? childIn(node, ATOM_OR_BARE, 'title') : childIn(node, RSS, 'title');
  const atomTitle = el ?? (flavour === 'atom' ? undefined : childIn(node, ATOM, 'title'));
  if (atomTitle === undefined) return undefined;
  return renderTextConstruct(atomTitle, flavour !== 'atom' && el !== undefined ? 'html' : undefined);
}

function plainTitle(item: XmlNode): Title | undefined {
  const dc = childIn(item, DC, 'title') ?? childIn(item, DCTERMS, 'title');
  return dc === undefined ? undefined : renderTextConstruct(dc, 'html');
}

function constructType(node: XmlNode, fallback: 'html' | undefined): 'text' | 'html' | 'xhtml' {
  const type = (attrValue(node, '', 'type') ?? attrValue(node, '', 'mode') ?? '').trim().toLowerCase();
  if (type === 'xhtml' || type === 'application/xhtml+xml') return 'xhtml';
  if (type === 'html' || type === 'text/html' || type === 'escaped') return 'html';
  if (type === 'text' || type === 'text/plain') return hasElements(node) ? 'xhtml' : 'text';
  return hasElements(node) ? 'xhtml' : (fallback ?? 'text');
}

function hasElements(node: XmlNode): boolean {
  return node.children.some((c) => typeof c !== 'string');
}

function renderTextConstruct(node: XmlNode, fallback: 'html' | undefined): Title | undefined {
  const type = constructType(node, fallback);
  let html: string;
  if (type === 'xhtml') {
    const elements = node.children.filter((c): c is XmlNode => typeof c !== 'string');
    const div = elements.length === 1 && elements[0]?.local === 'div' ? elements[0] : undefined;
    html = innerMarkup(div ?? node);
  } else if (type === 'html') {
    html = textContent(node);
  } else {
    const text = trimmed(textContent(node).replace(/\s+/g, ' '));
    return text === undefined ? undefined : { text };
  }
  const text = trimmed(decodeHtmlEntities(stripHtmlTags(html)).replace(/\s+/g, ' '));
  if (text === undefined) return undefined;
  const trimmedHtml = html.trim();
  return /<[A-Za-z/!]/.test(trimmedHtml) || trimmedHtml !== text ? { text, html: trimmedHtml } : { text };
}

/** Atom summary, Atom content, RSS description, content:encoded, dc:description: the first with text. */
function summaryOf(item: XmlNode): string | undefined {
  const candidates = [
    childIn(item, ATOM_OR_BARE, 'summary'),
    childIn(item, ATOM_OR_BARE, 'content'),
    childIn(item, RSS, 'description'),
    childIn(item, CONTENT, 'encoded'),
    childIn(item, DC, 'description'),
  ];
  for (const node of candidates) {
    if (node === undefined) continue;
    const raw = constructType(node, 'html') === 'xhtml' ? innerMarkup(node) : textContent(node);
    const value = trimmed(raw);
    if (value !== undefined) return value;
  }
  return undefined;
}

// ---------------------------------------------------------------- links

/**
 * The entry's main link, absolute. Atom: the alternate link (`rel="alternate"` or no rel) of an HTML type (or
 * no type), the last one as feedparser does, else any alternate. RSS: `link` text, else such an `atom:link`,
 * else a `guid` that is a permalink (no `isPermaLink="false"`). Relative references resolve against the
 * element's xml:base, else the document URL.
 */
function mainLink(
  flavour: Flavour,
  item: XmlNode,
  guidNode: XmlNode | undefined,
  guid: string | undefined,
): string | undefined {
  const alternates = atomLinks(item).filter((l) => l.rel === 'alternate');
  const alternate = (alternates.filter((l) => HTML_TYPES.has(l.type)).at(-1) ?? alternates[0])?.href;
  const rssLinkNode = childrenIn(item, RSS, 'link').find((l) => trimmed(textContent(l)) !== undefined);
  const rss = rssLinkNode === undefined ? undefined : absolute(textContent(rssLinkNode), rssLinkNode.base);
  const permalink =
    guidNode !== undefined && guid !== undefined && attrValue(guidNode, '', 'isPermaLink') !== 'false'
      ? absolute(guid, guidNode.base)
      : undefined;
  const permalinkUrl = permalink !== undefined && /^https?:/i.test(permalink) ? permalink : undefined;
  return flavour === 'atom' ? (alternate ?? rss) : (rss ?? alternate ?? permalinkUrl);
}

const HTML_TYPES: ReadonlySet<string> = new Set(['', 'text/html', 'application/xhtml+xml']);

interface AtomLink {
  rel: string;
  type: string;
  href: string;
}

/**
 * Atom links with a target, resolved; the target is `href` (or `url`/`uri`, which feedparser also takes);
 * rel defaults to alternate. An attribute-less `<link/>` is ignored.
 */
function atomLinks(item: XmlNode): AtomLink[] {
  const out: AtomLink[] = [];
  for (const l of childrenIn(item, ATOM_OR_BARE, 'link')) {
    const raw = trimmed(attrValue(l, '', 'href') ?? attrValue(l, '', 'url') ?? attrValue(l, '', 'uri'));
    const href = raw === undefined ? undefined : absolute(raw, l.base);
    if (href === undefined) continue;
    out.push({
      rel: (trimmed(attrValue(l, '', 'rel')) ?? 'alternate').toLowerCase(),
      type: (trimmed(attrValue(l, '', 'type')) ?? '').toLowerCase().split(';')[0]!.trim(),
      href,
    });
  }
  return out;
}

function allLinks(item: XmlNode): string[] {
  const enclosures = childrenIn(item, RSS, 'enclosure')
    .map((e) => {
      const url = trimmed(attrValue(e, '', 'url'));
      return url === undefined ? undefined : absolute(url, e.base);
    })
    .filter((u) => u !== undefined);
  return [...atomLinks(item).map((l) => l.href), ...enclosures];
}

// ---------------------------------------------------------------- authors

/**
 * Every author element, in document order (the elements feedparser reads as authors): Atom `author/name`,
 * RSS `author` (text or its `name`), each `dc:creator` and `dc:author`, `itunes:author`. `Name (email)`,
 * `email (Name)` and `Name <email>` give the name; a bare address gives none.
 */
function authorsOf(item: XmlNode): string[] {
  const out: string[] = [];
  for (const c of item.children) {
    if (typeof c === 'string') continue;
    let raw: string | undefined;
    if (c.local === 'author' && ATOM.has(c.uri)) {
      raw = childText(c, ATOM, 'name');
    } else if (c.local === 'author' && RSS.has(c.uri)) {
      const name = childIn(c, ATOM_OR_BARE, 'name');
      raw = trimmed(name === undefined ? textContent(c) : textContent(name));
    } else if ((c.local === 'creator' || c.local === 'author') && DC.has(c.uri)) {
      raw = trimmed(textContent(c));
    } else if (c.local === 'author' && c.uri === NS.itunes) {
      raw = trimmed(textContent(c));
    }
    const name = raw === undefined ? undefined : authorNameFromContact(raw);
    if (name !== undefined) out.push(name);
  }
  return out;
}

// ---------------------------------------------------------------- dates

type DateSource = readonly [ReadonlySet<string>, string];
/** Publication: Atom published / 0.3 issued, RSS pubDate, dcterms issued / created / date, dc:date. */
const PUBLISHED: readonly DateSource[] = [
  [ATOM_OR_BARE, 'published'],
  [ATOM_OR_BARE, 'issued'],
  [RSS, 'pubDate'],
  [DCTERMS, 'issued'],
  [DCTERMS, 'created'],
  [DCTERMS, 'date'],
  [DC, 'date'],
  [ATOM_OR_BARE, 'created'],
];
/** Last change: Atom updated / 0.3 modified, dcterms modified. */
const UPDATED: readonly DateSource[] = [
  [ATOM_OR_BARE, 'updated'],
  [ATOM_OR_BARE, 'modified'],
  [DCTERMS, 'modified'],
];

/** The first element of `sources` whose text is a date normaliseDate reads (zone-less = UTC). */
function firstDate(item: XmlNode, sources: readonly DateSource[]): string | undefined {
  for (const [uris, local] of sources) {
    for (const node of childrenIn(item, uris, local)) {
      const iso = isoDateOf(textContent(node));
      if (iso !== undefined) return iso;
    }
  }
  return undefined;
}

function isoDateOf(raw: string): string | undefined {
  const s = raw.trim();
  return s === '' ? undefined : isoDate(s);
}

// ---------------------------------------------------------------- categories and ids

function categoriesOf(item: XmlNode): string[] {
  const out: Array<string | undefined> = [];
  for (const c of childrenIn(item, ATOM_OR_BARE, 'category')) {
    out.push(trimmed(attrValue(c, '', 'term')) ?? trimmed(textContent(c)));
  }
  for (const c of childrenIn(item, DC, 'subject')) out.push(trimmed(textContent(c)));
  return uniq(out);
}

const DOI_IN_IDENTIFIER = /^(?:doi:\s*|https?:\/\/(?:dx\.)?doi\.org\/)?(10\.\d{4,9}\/\S+)$/i;
const ARXIV_URL = /^https?:\/\/(?:www\.|export\.)?arxiv\.org\/(?:abs|pdf)\//i;
/** Third-party HF mirrors whose links carry the arXiv id: tldr.takara.ai/p/<id>, huggingface.co/papers/<id>. */
const MIRROR_URL =
  /^https?:\/\/(?:tldr\.takara\.ai\/p|huggingface\.co\/papers)\/(\d{4}\.\d{4,5})(?:v\d+)?\/?$/i;

function idsOf(item: XmlNode, candidates: ReadonlyArray<string | undefined>): RawIdHints {
  const ids: RawIdHints = {};
  const identifier = childText(item, DC, 'identifier');
  ids.doi =
    childText(item, PRISM, 'doi') ??
    childText(item, ARXIV, 'doi') ??
    childText(item, ARXIV, 'DOI') ??
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
    authors: authors === undefined ? undefined : trimmed(decodeHtmlEntities(authors)),
    upvotes: upvotes === undefined ? undefined : Number(upvotes),
  };
}
