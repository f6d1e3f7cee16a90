// export.arxiv.org/oai2 OAI-PMH 2.0 `ListRecords` responses, `metadataPrefix=arXivRaw` (every version with
// its date) or `arXiv` (created/updated dates, structured authors). One record → one SourceEntry keyed by its
// OAI identifier; a `<header status="deleted">` record is skipped with a reason. The paging state
// (`<resumptionToken cursor completeListSize>`) is read by `parseOaiPage`. OAI errors: `noRecordsMatch` is an
// empty, finished list; any other `<error code>` (badResumptionToken, badArgument, …) is a FeedParseError
// naming the code.
import type { ParseResult, SkippedEntry, SourceEntry } from '@paperwire/core';
import { type AdapterContext, buildEntry } from './adapter.ts';
import { isoDate, parseError, uniq } from './util.ts';
import { attr, child, children, childText, parseXml, rawText, type XmlElement } from './xml.ts';

const KIND = 'arxiv-oai';

export type OaiMetadataPrefix = 'arXivRaw' | 'arXiv';

/** The OAI-PMH error codes (OAI-PMH 2.0 §3.6). */
export const OAI_ERROR_CODES = [
  'badArgument',
  'badResumptionToken',
  'badVerb',
  'cannotDisseminateFormat',
  'idDoesNotExist',
  'noRecordsMatch',
  'noMetadataFormats',
  'noSetHierarchy',
] as const;

/** Where a ListRecords sequence stands after one response. */
export interface OaiPage {
  /** The token for the next request; undefined when the list is complete (absent or empty token). */
  resumptionToken?: string;
  /** Records delivered before this response (the token's `cursor` attribute), when the server gives it. */
  cursor?: number;
  /** Records in the whole list (`completeListSize`), when the server gives it. */
  completeListSize?: number;
  /** Records (deleted ones included) in this response. */
  records: number;
  /** The request matched nothing: an empty, finished list. */
  noRecordsMatch: boolean;
}

interface OaiResponse {
  records: XmlElement[];
  page: OaiPage;
}

async function readResponse(body: string): Promise<OaiResponse> {
  const { rootName, root } = await parseXml(KIND, body);
  if (rootName !== 'OAI-PMH') throw parseError(KIND, 'not-a-feed', 'the root element is not <OAI-PMH>');
  const errors = children(root, 'error');
  if (errors.length > 0) {
    const codes = errors.map((e) => attr(e, 'code') ?? 'unknown');
    if (codes.every((c) => c === 'noRecordsMatch'))
      return { records: [], page: { records: 0, noRecordsMatch: true } };
    const known = codes.map((c) => ((OAI_ERROR_CODES as readonly string[]).includes(c) ? c : 'unknown'));
    // The error text is the repository's own prose: not echoed (it can quote the request's arguments).
    throw parseError(KIND, 'api-error', `OAI-PMH error ${known.join(', ')}`);
  }
  const list = child(root, 'ListRecords');
  if (list === undefined)
    throw parseError(KIND, 'not-a-feed', 'not a ListRecords response (no <ListRecords>)');
  const records = children(list, 'record');
  const tokenEl = child(list, 'resumptionToken');
  const token = rawText(tokenEl)?.trim();
  const count = (name: string): number | undefined => {
    const raw = attr(tokenEl, name);
    const n = raw === undefined ? Number.NaN : Number(raw);
    return Number.isInteger(n) && n >= 0 ? n : undefined;
  };
  const cursor = count('cursor');
  const completeListSize = count('completeListSize');
  return {
    records,
    page: {
      ...(token ? { resumptionToken: token } : {}),
      ...(cursor === undefined ? {} : { cursor }),
      ...(completeListSize === undefined ? {} : { completeListSize }),
      records: records.length,
      noRecordsMatch: false,
    },
  };
}

/** Paging state of one ListRecords response; throws FeedParseError on an OAI error other than noRecordsMatch. */
export async function parseOaiPage(body: string): Promise<OaiPage> {
  return (await readResponse(body)).page;
}

export async function parseArxivOai(body: string, ctx: AdapterContext): Promise<ParseResult> {
  const { records } = await readResponse(body);
  const entries: SourceEntry[] = [];
  const skipped: SkippedEntry[] = [];
  for (const record of records) {
    const header = child(record, 'header');
    const identifier = header === undefined ? undefined : childText(header, 'identifier');
    if (header === undefined || identifier === undefined) {
      skipped.push({ reason: 'no header identifier' });
      continue;
    }
    if (attr(header, 'status') === 'deleted') {
      skipped.push({ entryKey: identifier, reason: 'deleted record' });
      continue;
    }
    const metadata = child(record, 'metadata');
    const raw = metadata === undefined ? undefined : child(metadata, 'arXivRaw');
    const structured = metadata === undefined ? undefined : child(metadata, 'arXiv');
    const entry = raw
      ? fromArxivRaw(raw, identifier, ctx)
      : structured
        ? fromArxiv(structured, identifier, ctx)
        : 'no arXivRaw or arXiv metadata';
    if (typeof entry === 'string') skipped.push({ entryKey: identifier, reason: entry });
    else entries.push(entry);
  }
  return { entries, skipped };
}

/** `cs.LG stat.ML` → ['cs.LG', 'stat.ML']: arXiv lists the primary category first. */
function categoriesOf(meta: XmlElement): string[] {
  return uniq((childText(meta, 'categories') ?? '').split(/\s+/));
}

function common(meta: XmlElement, id: string) {
  const categories = categoriesOf(meta);
  const doi = childText(meta, 'doi')?.split(/\s+/)[0];
  return {
    url: `https://arxiv.org/abs/${id}`,
    categories,
    primaryCategory: categories[0],
    summary: childText(meta, 'abstract'),
    comment: childText(meta, 'comments'),
    journalRef: childText(meta, 'journal-ref'),
    doi,
  };
}

function fromArxivRaw(meta: XmlElement, key: string, ctx: AdapterContext): SourceEntry | string {
  const id = childText(meta, 'id');
  const title = childText(meta, 'title');
  if (id === undefined) return 'no arXiv id';
  if (title === undefined) return 'no title';
  const versions: { version: number; date: string }[] = [];
  for (const v of children(meta, 'version')) {
    const n = /^v(\d{1,3})$/.exec(attr(v, 'version') ?? '');
    const date = isoDate(childText(v, 'date'));
    if (n && date) versions.push({ version: Number(n[1]), date });
  }
  versions.sort((a, b) => a.version - b.version);
  const latest = versions[versions.length - 1];
  const c = common(meta, id);
  return buildEntry(ctx, 'arxiv', key, {
    title,
    summary: c.summary,
    // One comma/`and`-joined string, as arXiv stores it; the normaliser splits it.
    authors: uniq([childText(meta, 'authors')]),
    url: c.url,
    links: [],
    ids: { arxiv: latest ? `${id}v${latest.version}` : id, doi: c.doi },
    categories: c.categories,
    primaryCategory: c.primaryCategory,
    publishedAt: versions.find((v) => v.version === 1)?.date ?? versions[0]?.date,
    updatedAt: latest?.date,
    comment: c.comment,
    journalRef: c.journalRef,
    ...(versions.length > 0 ? { versions } : {}),
  });
}

function fromArxiv(meta: XmlElement, key: string, ctx: AdapterContext): SourceEntry | string {
  const id = childText(meta, 'id');
  const title = childText(meta, 'title');
  if (id === undefined) return 'no arXiv id';
  if (title === undefined) return 'no title';
  const authorsEl = child(meta, 'authors');
  const authors: string[] = [];
  for (const a of authorsEl === undefined ? [] : children(authorsEl, 'author')) {
    const name = [childText(a, 'forenames'), childText(a, 'keyname'), childText(a, 'suffix')]
      .filter((p) => p !== undefined)
      .join(' ');
    if (name !== '') authors.push(name);
  }
  const c = common(meta, id);
  const created = isoDate(childText(meta, 'created'));
  return buildEntry(ctx, 'arxiv', key, {
    title,
    summary: c.summary,
    authors,
    url: c.url,
    links: [],
    ids: { arxiv: id, doi: c.doi },
    categories: c.categories,
    primaryCategory: c.primaryCategory,
    publishedAt: created,
    updatedAt: isoDate(childText(meta, 'updated')) ?? created,
    comment: c.comment,
    journalRef: c.journalRef,
    // `created` is v1's date (the format has no version list).
    ...(created ? { versions: [{ version: 1, date: created }] } : {}),
  });
}

export type OaiListRecordsRequest =
  | { metadataPrefix: OaiMetadataPrefix; set?: string; from?: string; until?: string }
  | { resumptionToken: string };

/**
 * A ListRecords URL on `base` (e.g. ARXIV_OAI_ENDPOINT). A resumption request carries the token alone, as
 * OAI-PMH requires (it is exclusive of every other argument).
 */
export function oaiListRecordsUrl(base: string, request: OaiListRecordsRequest): string {
  const params = new URLSearchParams({ verb: 'ListRecords' });
  if ('resumptionToken' in request) {
    if (request.resumptionToken === '') throw new RangeError('oaiListRecordsUrl: empty resumptionToken');
    params.set('resumptionToken', request.resumptionToken);
  } else {
    params.set('metadataPrefix', request.metadataPrefix);
    for (const name of ['set', 'from', 'until'] as const) {
      const value = request[name];
      if (value === undefined) continue;
      if (name !== 'set' && !/^\d{4}-\d{2}-\d{2}$/.test(value))
        throw new RangeError(`oaiListRecordsUrl: ${name} must be YYYY-MM-DD`);
      params.set(name, value);
    }
  }
  return `${base}?${params.toString()}`;
}
