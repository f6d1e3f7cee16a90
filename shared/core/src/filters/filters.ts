// Reader filters: what a digest or webhook subscription may narrow its papers to. A paper matches when it
// matches ANY filter given (categories, authors, organisations, keywords); a subscription without filters
// takes every paper. One zod schema validates them wherever they come in (API, CLI). Pure.
//   categories    any of the paper's categories (cross-lists included), exact (`cs.CL`)
//   authors       by author key (`authorKey`: case, accents and initials do not matter): `Ada Lovelace`
//                 matches `A. Lovelace` and `ada lovelace`; only the row's first ROW_AUTHORS_MAX authors
//   organisations the paper's organisation, as whole words of its normalised name (`deepmind` matches
//                 `Google DeepMind`)
//   keywords      whole words or phrases of the normalised title and abstract (`retrieval` matches
//                 "Retrieval-augmented …", not "retrievals"; `large language model` is a phrase)
import { z } from 'zod';
import { authorKey } from '../authors/authors.ts';
import type { PaperRow } from '../scoring/row.ts';

const term = z.string().trim().min(1).max(100);

export const readerFiltersSchema = z.strictObject({
  categories: z
    .array(z.string().regex(/^[A-Za-z0-9.-]{1,40}$/))
    .max(50)
    .optional(),
  authors: z.array(term).max(50).optional(),
  organizations: z.array(term).max(50).optional(),
  keywords: z.array(term).max(50).optional(),
});
export type ReaderFilters = z.infer<typeof readerFiltersSchema>;

/** What filters look at: a ranked row has it all. */
export type FilterablePaper = Pick<PaperRow, 'title' | 'categories' | 'authors'> &
  Partial<Pick<PaperRow, 'abstract' | 'organization'>>;

/** Lower case, accents off, every run of non-letters/digits one space, padded: ` retrieval augmented `. */
export function normaliseWords(text: string): string {
  const words = text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  return words ? ` ${words} ` : ' ';
}

/** Whether the normalised `haystack` holds `phrase` as whole words. */
const hasPhrase = (haystack: string, phrase: string): boolean => {
  const p = normaliseWords(phrase);
  return p !== ' ' && haystack.includes(p);
};

export function hasFilters(f: ReaderFilters | undefined): boolean {
  return !!f && Object.values(f).some((list) => Array.isArray(list) && list.length > 0);
}

/** Whether `paper` matches any of the filters (true when there are none). */
export function matchesFilters(paper: FilterablePaper, filters: ReaderFilters | undefined): boolean {
  if (!filters || !hasFilters(filters)) return true;
  const { categories = [], authors = [], organizations = [], keywords = [] } = filters;
  if (categories.some((c) => paper.categories.includes(c))) return true;
  if (authors.length > 0) {
    const keys = new Set(paper.authors.map((a) => a.key));
    if (authors.some((a) => keys.has(authorKey(a)))) return true;
  }
  if (organizations.length > 0 && paper.organization) {
    const org = normaliseWords(paper.organization);
    if (organizations.some((o) => hasPhrase(org, o))) return true;
  }
  if (keywords.length > 0) {
    const text = normaliseWords(`${paper.title} ${paper.abstract ?? ''}`);
    if (keywords.some((k) => hasPhrase(text, k))) return true;
  }
  return false;
}

/** An event as filters see it (the envelope's type and its data). */
interface FilterableEvent {
  type: string;
  data: unknown;
}

/**
 * The one paper an event is about, as filters see it: `trending.entered` (its row), `paper.created` and
 * `paper.revised` (title, categories, authors; the abstract when the revision carries it). Undefined for
 * every other event: they name no single paper with its details, so a subscription with filters does not
 * receive them.
 */
export function eventFilterPaper(event: FilterableEvent): FilterablePaper | undefined {
  const data = event.data as Record<string, unknown> | undefined;
  if (!data) return undefined;
  if (event.type === 'trending.entered') return (data.row as FilterablePaper | undefined) ?? undefined;
  if (event.type !== 'paper.created' && event.type !== 'paper.revised') return undefined;
  const paper = data.paper as { title: string; categories: string[]; authors: string[] } | undefined;
  if (!paper) return undefined;
  return {
    title: paper.title,
    categories: paper.categories,
    authors: paper.authors.map((name) => ({ name, key: authorKey(name) })),
    ...(typeof data.abstract === 'string' ? { abstract: data.abstract } : {}),
  };
}
