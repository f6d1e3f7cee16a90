// A small, qualified-name view over the namespace-aware tree of xml-tree.ts, for the adapters of known
// formats (arXiv RSS/RDF/API, Reddit Atom). Names are written as the formats' conventional prefixes
// (`dc:creator`, `arxiv:doi`, `opensearch:totalResults`, `rdf:about`) and matched by namespace URI, so a
// document that binds another prefix (or redeclares namespaces per element, as the legacy arXiv API did)
// reads the same. An unprefixed name matches that local name in no namespace or in the Atom/RSS namespaces.
// Parsing is strict (saxes): DTD entities are neither expanded (billion laughs) nor fetched (XXE).
import type { FeedKind } from '@paperwire/core';
import { expectMarkup, trimmed } from './util.ts';
import { attrValue, parseXmlTree, textContent, type XmlNode } from './xml-tree.ts';

export type XmlElement = XmlNode;

export interface XmlDocument {
  /** The root's conventional qualified name: `feed`, `rss`, `rdf:RDF`; `{uri}local` for others. */
  rootName: string;
  root: XmlElement;
}

const UNPREFIXED: ReadonlySet<string> = new Set([
  '',
  'http://www.w3.org/2005/Atom',
  'http://purl.org/atom/ns#',
  'http://purl.org/rss/1.0/',
  'http://my.netscape.com/rdf/simple/0.9/',
  'http://backend.userland.com/rss2',
  // OAI-PMH responses and arXiv's metadata formats inside them (arxiv-oai.ts reads them unprefixed).
  'http://www.openarchives.org/OAI/2.0/',
  'http://arxiv.org/OAI/arXivRaw/',
  'http://arxiv.org/OAI/arXiv/',
]);

const PREFIXES: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['dc', new Set(['http://purl.org/dc/elements/1.1/', 'http://purl.org/dc/elements/1.0/'])],
  ['arxiv', new Set(['http://arxiv.org/schemas/atom'])],
  [
    'opensearch',
    new Set(['http://a9.com/-/spec/opensearch/1.1/', 'http://a9.com/-/spec/opensearchrss/1.0/']),
  ],
  ['rdf', new Set(['http://www.w3.org/1999/02/22-rdf-syntax-ns#'])],
  ['atom', new Set(['http://www.w3.org/2005/Atom'])],
  ['content', new Set(['http://purl.org/rss/1.0/modules/content/'])],
  ['media', new Set(['http://search.yahoo.com/mrss/'])],
]);

export async function parseXml(kind: FeedKind, body: string): Promise<XmlDocument> {
  const text = expectMarkup(kind, body);
  const root = parseXmlTree(kind, text, undefined);
  return { rootName: qualifiedName(root), root };
}

function qualifiedName(node: XmlNode): string {
  if (UNPREFIXED.has(node.uri)) return node.local;
  for (const [prefix, uris] of PREFIXES) if (uris.has(node.uri)) return `${prefix}:${node.local}`;
  return `{${node.uri}}${node.local}`;
}

function matches(node: XmlNode, name: string): boolean {
  const colon = name.indexOf(':');
  if (colon < 0) return node.local === name && UNPREFIXED.has(node.uri);
  return node.local === name.slice(colon + 1) && (PREFIXES.get(name.slice(0, colon))?.has(node.uri) ?? false);
}

/** Child elements with that qualified name. */
export function children(node: XmlElement, name: string): XmlElement[] {
  return node.children.filter((c): c is XmlNode => typeof c !== 'string' && matches(c, name));
}

export function child(node: XmlElement, name: string): XmlElement | undefined {
  return node.children.find((c): c is XmlNode => typeof c !== 'string' && matches(c, name));
}

/** An element's text content (markup inside it dropped, its text kept), untrimmed. */
export function rawText(node: XmlElement | undefined): string | undefined {
  return node === undefined ? undefined : textContent(node);
}

/** The trimmed text of the first child with that name, or undefined when absent/empty. */
export function childText(node: XmlElement, name: string): string | undefined {
  return trimmed(rawText(child(node, name)));
}

export function childTexts(node: XmlElement, name: string): string[] {
  const out: string[] = [];
  for (const c of children(node, name)) {
    const t = trimmed(rawText(c));
    if (t !== undefined) out.push(t);
  }
  return out;
}

/** A trimmed attribute by qualified name (`href`, `rdf:about`), or undefined. */
export function attr(node: XmlElement | undefined, name: string): string | undefined {
  if (node === undefined) return undefined;
  const colon = name.indexOf(':');
  if (colon < 0) return trimmed(attrValue(node, '', name));
  const uris = PREFIXES.get(name.slice(0, colon));
  const local = name.slice(colon + 1);
  return trimmed(node.attrs.find((a) => a.local === local && (uris?.has(a.uri) ?? false))?.value);
}
