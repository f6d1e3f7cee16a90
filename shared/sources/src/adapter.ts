import type { ParseResult, Provenance, Source, SourceEntry } from '@paperwire/core';

/** What an adapter knows about the payload besides its bytes. Pure data: no clock, no I/O. */
export interface AdapterContext {
  feedId: string;
  /** ISO-8601 instant the payload was fetched; copied into every entry's provenance. */
  fetchedAt: string;
  url?: string;
  contentType?: string;
}

/** A pure function over one payload. Throws FeedParseError when the payload is not a feed of its kind. */
export type Adapter = (body: string, ctx: AdapterContext) => Promise<ParseResult>;

type EntryFields = Omit<SourceEntry, 'provenance' | 'authors' | 'links' | 'ids' | 'categories' | 'signals'> &
  Partial<Pick<SourceEntry, 'authors' | 'links' | 'ids' | 'categories' | 'signals'>>;

/**
 * Assembles a SourceEntry, dropping optional fields that are undefined (a stored document should not carry
 * `summary: null` because a payload lacked one).
 */
export function buildEntry(
  ctx: AdapterContext,
  source: Source,
  entryKey: string,
  fields: EntryFields,
): SourceEntry {
  const provenance: Provenance = { feedId: ctx.feedId, source, entryKey, fetchedAt: ctx.fetchedAt };
  const entry: SourceEntry = {
    provenance,
    title: fields.title,
    authors: fields.authors ?? [],
    links: fields.links ?? [],
    ids: dropUndefined(fields.ids ?? {}),
    categories: fields.categories ?? [],
    signals: dropUndefined(fields.signals ?? {}),
  };
  const optional = [
    'titleHtml',
    'summary',
    'url',
    'primaryCategory',
    'publishedAt',
    'updatedAt',
    'announceType',
    'organization',
    'codeUrl',
    'projectUrl',
    'comment',
    'journalRef',
    'versions',
  ] as const;
  for (const key of optional) {
    const value = fields[key];
    if (value !== undefined) Object.assign(entry, { [key]: value });
  }
  return entry;
}

function dropUndefined<T extends object>(obj: T): T {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) out[k as keyof T] = v as T[keyof T];
  return out as T;
}
