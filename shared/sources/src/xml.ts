/// <reference path="./xml2js.d.ts" />
// A thin, typed view over xml2js output (explicitArray + explicitCharkey): every element is an object with
// `_` (text) and `$` (attributes), children are arrays under their qualified name (`arxiv:doi`).
// sax in strict mode rejects DTD entities it does not know, so `<!ENTITY …>` is neither expanded
// (billion laughs) nor resolved (XXE): those payloads fail to parse.
import type { FeedKind } from '@paperwire/core';
import { parseStringPromise } from 'xml2js';
import { expectMarkup, isRecord, own, parseError, type Rec, trimmed } from './util.ts';

export type XmlElement = Rec;

export interface XmlDocument {
  rootName: string;
  root: XmlElement;
}

export async function parseXml(kind: FeedKind, body: string): Promise<XmlDocument> {
  const text = expectMarkup(kind, body);
  let doc: unknown;
  try {
    doc = await parseStringPromise(text, {
      strict: true,
      explicitArray: true,
      explicitCharkey: true,
      charkey: '_',
      attrkey: '$',
      trim: false,
      normalize: false,
      emptyTag: '',
    });
  } catch (err) {
    throw parseError(kind, 'bad-xml', xmlErrorWhere(err));
  }
  if (!isRecord(doc)) throw parseError(kind, 'empty', 'the XML document has no root element');
  const [rootName] = Object.keys(doc);
  const root = rootName === undefined ? undefined : doc[rootName];
  if (rootName === undefined) throw parseError(kind, 'empty', 'the XML document has no root element');
  return { rootName, root: isRecord(root) ? root : {} };
}

/**
 * Where sax gave up, from its message (`Unexpected close tag\nLine: 3\nColumn: 10\nChar: >`): its own
 * description without anything after a colon (`Unmatched closing tag: <name>` names payload text), and
 * the line and column. The `Char:` line is the payload's and is dropped.
 */
export function xmlErrorWhere(err: unknown): string {
  const message = err instanceof Error ? err.message : '';
  const what = (message.split('\n')[0] ?? '')
    .split(':')[0]
    ?.replace(/[^A-Za-z .,'-]/g, '')
    .trim();
  const line = /\nLine: (\d+)/.exec(message)?.[1];
  const column = /\nColumn: (\d+)/.exec(message)?.[1];
  const at = line === undefined ? '' : ` at line ${Number(line) + 1}, column ${column ?? '?'}`;
  return `${what || 'not well-formed'}${at}`;
}

/** Child elements with that qualified name (text-only or empty children come back as elements too). */
export function children(node: XmlElement, name: string): XmlElement[] {
  const value = own(node, name);
  if (!Array.isArray(value)) return [];
  return value.map((v): XmlElement => (isRecord(v) ? v : typeof v === 'string' ? { _: v } : {}));
}

export function child(node: XmlElement, name: string): XmlElement | undefined {
  return children(node, name)[0];
}

/** An element's own text content, untrimmed. */
export function rawText(node: XmlElement | undefined): string | undefined {
  if (node === undefined) return undefined;
  const value = own(node, '_');
  return typeof value === 'string' ? value : undefined;
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

export function attr(node: XmlElement | undefined, name: string): string | undefined {
  if (node === undefined) return undefined;
  const attrs = own(node, '$');
  return isRecord(attrs) ? trimmed(own(attrs, name)) : undefined;
}
