// A namespace-aware element tree for feed documents, built with saxes (strict XML 1.0 + namespaces).
// Elements are matched by namespace URI and local name, never by the prefix a document happened to use, so
// `<rss:channel>`, `<r:rss>`, `<dc:creator>` and `<foo:creator xmlns:foo="…/dc/elements/1.1/">` all read alike.
// Each element carries its base URL: `xml:base` resolved against the parent's base, the root's against the
// document URL (RFC 3986 through WHATWG URL). saxes expands the five XML entities, character references and,
// because feeds use them without declaring them (`&nbsp;`, `&eacute;`, `&mdash;`), the HTML5 named
// character references, each to what it stands for. An entity declared in a DTD is never expanded (billion
// laughs) or fetched (XXE): such a document fails to parse. Errors are FeedParseErrors that name the line and column, never the payload's bytes.
import { decodeHtmlEntities, type FeedKind, FeedParseError } from '@paperwire/core';
import { SaxesParser, type SaxesTagNS } from 'saxes';
import { parseError } from './util.ts';

export interface XmlAttr {
  uri: string;
  local: string;
  value: string;
}

export interface XmlNode {
  uri: string;
  local: string;
  attrs: XmlAttr[];
  /** Child elements and text, in document order (CDATA is text). */
  children: Array<XmlNode | string>;
  /** Absolute base URL in force for this element, when one is known. */
  base: string | undefined;
}

export const XML_NS = 'http://www.w3.org/XML/1998/namespace';

/** Deeper nesting is refused: no feed needs it, and the tree is walked recursively. */
export const MAX_DEPTH = 256;

const XML_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** The XML entities plus the HTML5 named character references, looked up by name (never a DTD's). */
const FEED_ENTITIES: Record<string, string> = new Proxy(Object.create(null) as Record<string, string>, {
  get(_target, name) {
    if (typeof name !== 'string' || !/^[A-Za-z][A-Za-z0-9]{1,31}$/.test(name)) return undefined;
    const xml = Object.hasOwn(XML_ENTITIES, name) ? XML_ENTITIES[name] : undefined;
    if (xml !== undefined) return xml;
    const html = decodeHtmlEntities(`&${name};`);
    return html === `&${name};` ? undefined : html;
  },
});

/** Parses `text` into a tree; `documentUrl` is the base for the root's relative references. */
export function parseXmlTree(kind: FeedKind, text: string, documentUrl: string | undefined): XmlNode {
  const parser = new SaxesParser({ xmlns: true, position: true });
  parser.ENTITIES = FEED_ENTITIES;
  const stack: XmlNode[] = [];
  let root: XmlNode | undefined;
  parser.on('opentag', (tag) => {
    if (stack.length >= MAX_DEPTH)
      throw parseError(kind, 'bad-xml', `elements nested deeper than ${MAX_DEPTH}`);
    const parent = stack.at(-1);
    const node: XmlNode = {
      uri: tag.uri ?? '',
      local: tag.local ?? tag.name,
      attrs: attrsOf(tag),
      children: [],
      base: parent === undefined ? absolute(documentUrl, undefined) : parent.base,
    };
    const xmlBase = attrValue(node, XML_NS, 'base');
    if (xmlBase !== undefined) node.base = absolute(xmlBase, node.base) ?? node.base;
    if (parent === undefined) root ??= node;
    else parent.children.push(node);
    stack.push(node);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  const onText = (t: string) => {
    const parent = stack.at(-1);
    if (parent === undefined) return;
    const last = parent.children.at(-1);
    if (typeof last === 'string') parent.children[parent.children.length - 1] = last + t;
    else parent.children.push(t);
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  try {
    parser.write(text).close();
  } catch (err) {
    if (err instanceof FeedParseError) throw err;
    throw parseError(kind, 'bad-xml', saxesErrorWhere(err));
  }
  if (root === undefined) throw parseError(kind, 'empty', 'the XML document has no root element');
  return root;
}

/**
 * Where saxes gave up, from its message (`3:10: unexpected close tag.`): the line and column, and its own
 * description up to the first quote or colon (what follows may quote a tag or entity name, which is
 * payload text); the error itself is not kept as a cause for the same reason.
 */
export function saxesErrorWhere(err: unknown): string {
  const message = (err instanceof Error ? err.message : '').split('\n')[0] ?? '';
  const at = /^(\d+):(\d+):\s*/.exec(message);
  const what = (at ? message.slice(at[0].length) : message)
    .split(/[:"'`<&]/)[0]
    ?.replace(/[^A-Za-z .,-]/g, '')
    .replace(/[ .,]+$/, '')
    .trim();
  return `${what || 'not well-formed'}${at ? ` at line ${at[1]}, column ${at[2]}` : ''}`;
}

function attrsOf(tag: SaxesTagNS): XmlAttr[] {
  return Object.values(tag.attributes).map((a) => ({ uri: a.uri ?? '', local: a.local, value: a.value }));
}

/** `ref` resolved against `base` as an absolute URL, or undefined when that is impossible. */
export function absolute(ref: string | undefined, base: string | undefined): string | undefined {
  if (ref === undefined) return undefined;
  try {
    return new URL(ref.trim(), base).href;
  } catch {
    return undefined;
  }
}

export function attrValue(node: XmlNode, uri: string, local: string): string | undefined {
  return node.attrs.find((a) => a.uri === uri && a.local === local)?.value;
}

/** Child elements whose namespace is one of `uris` and whose local name is `local`. */
export function childrenIn(node: XmlNode, uris: ReadonlySet<string>, local: string): XmlNode[] {
  const out: XmlNode[] = [];
  for (const c of node.children)
    if (typeof c !== 'string' && c.local === local && uris.has(c.uri)) out.push(c);
  return out;
}

export function childIn(node: XmlNode, uris: ReadonlySet<string>, local: string): XmlNode | undefined {
  return childrenIn(node, uris, local)[0];
}

/** All descendant text, in document order (markup dropped, entities already decoded by the parser). */
export function textContent(node: XmlNode): string {
  let out = '';
  for (const c of node.children) out += typeof c === 'string' ? c : textContent(c);
  return out;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
export const escapeXml = (s: string): string => s.replace(/[&<>"]/g, (c) => ESCAPES[c] ?? c);

/** The element's content serialised as (X)HTML markup: local names, text escaped, no namespaces. */
export function innerMarkup(node: XmlNode): string {
  let out = '';
  for (const c of node.children) {
    if (typeof c === 'string') {
      out += escapeXml(c);
      continue;
    }
    const attrs = c.attrs
      .filter((a) => a.uri === '')
      .map((a) => ` ${a.local}="${escapeXml(a.value)}"`)
      .join('');
    out += `<${c.local}${attrs}>${innerMarkup(c)}</${c.local}>`;
  }
  return out;
}
