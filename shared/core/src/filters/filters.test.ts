import { describe, expect, it } from 'vitest';
import { bareRow } from '../scoring/row.ts';
import {
  eventFilterPaper,
  type FilterablePaper,
  matchesFilters,
  normaliseWords,
  type ReaderFilters,
  readerFiltersSchema,
} from './filters.ts';

const paper = (over: Partial<FilterablePaper> = {}): FilterablePaper => ({
  ...bareRow(
    'arxiv:2612.00001',
    'Retrieval-Augmented Generation for Long Contexts',
    '2026-12-01T00:00:00Z',
    'cs.LG',
  ),
  categories: ['cs.LG', 'cs.CL'],
  abstract: 'We study large language models that read Wikipédia.',
  authors: [
    { name: 'Ada Lovelace', key: 'a lovelace' },
    { name: 'Grace Hopper', key: 'g hopper' },
  ],
  organization: 'Google DeepMind',
  ...over,
});

describe('matchesFilters', () => {
  it.each<[string, ReaderFilters | undefined, boolean]>([
    ['no filters: every paper', undefined, true],
    ['empty lists: every paper', { categories: [], keywords: [] }, true],
    ['a cross-listed category', { categories: ['cs.CL'] }, true],
    ['another category', { categories: ['math.OC'] }, false],
    ['author by name, other spelling', { authors: ['A. Lovelace'] }, true],
    ['author by key', { authors: ['g hopper'] }, true],
    ['author with accents and case', { authors: ['GRACE HÖPPER'] }, true],
    ['another author', { authors: ['Alan Turing'] }, false],
    ['organisation, a whole word, any case', { organizations: ['deepmind'] }, true],
    ['organisation, the whole name', { organizations: ['Google DeepMind'] }, true],
    ['organisation, part of a word', { organizations: ['mind'] }, false],
    ['keyword in the title, hyphenated there', { keywords: ['retrieval'] }, true],
    ['keyword phrase in the abstract', { keywords: ['large language model'] }, false],
    ['keyword phrase, exact words', { keywords: ['large language models'] }, true],
    ['keyword with accents folded', { keywords: ['wikipedia'] }, true],
    ['keyword: no substring of a word', { keywords: ['retriev'] }, false],
    ['keyword: case-insensitive', { keywords: ['LONG CONTEXTS'] }, true],
    ['any filter matching is enough', { categories: ['math.OC'], keywords: ['generation'] }, true],
    ['none matching', { categories: ['math.OC'], authors: ['Alan Turing'], keywords: ['robots'] }, false],
  ])('%s', (_, filters, expected) => {
    expect(matchesFilters(paper(), filters)).toBe(expected);
  });

  it('a paper without organisation or abstract matches on what it has', () => {
    const bare = paper({ organization: undefined, abstract: undefined });
    expect(matchesFilters(bare, { organizations: ['deepmind'] })).toBe(false);
    expect(matchesFilters(bare, { keywords: ['wikipedia'] })).toBe(false);
    expect(matchesFilters(bare, { keywords: ['generation'] })).toBe(true);
  });
});

describe('readerFiltersSchema', () => {
  it.each([
    [{ categories: ['cs.CL'], keywords: ['retrieval'] }, true],
    [{ authors: ['Ada Lovelace'], organizations: ['DeepMind'] }, true],
    [{ categories: ['cs CL'] }, false],
    [{ keywords: [''] }, false],
    [{ keywords: ['x'.repeat(101)] }, false],
    [{ tags: ['x'] }, false],
    [{ keywords: Array.from({ length: 51 }, (_, i) => `k${i}`) }, false],
  ])('%j valid: %s', (input, ok) => {
    expect(readerFiltersSchema.safeParse(input).success).toBe(ok);
  });
});

it('normaliseWords', () => {
  expect(normaliseWords('Retrieval-Augmented  Génération!')).toBe(' retrieval augmented generation ');
  expect(normaliseWords('—')).toBe(' ');
});

describe('eventFilterPaper', () => {
  const row = paper();
  it.each([
    ['trending.entered carries its row', { type: 'trending.entered', data: { row } }, true],
    ['trending.entered without a row', { type: 'trending.entered', data: {} }, false],
    ['trending.updated names no single paper', { type: 'trending.updated', data: { top: [row] } }, false],
    ['paper.merged names no details', { type: 'paper.merged', data: { title: 'x' } }, false],
  ])('%s', (_, event, found) => {
    expect(eventFilterPaper(event) !== undefined).toBe(found);
  });

  it('paper.created and paper.revised: authors by key, the revised abstract', () => {
    const data = {
      paper: { title: 'Robots', categories: ['cs.RO'], authors: ['Grace Hopper'] },
      abstract: 'About retrieval.',
    };
    const created = eventFilterPaper({ type: 'paper.created', data: { paper: data.paper } })!;
    expect(matchesFilters(created, { authors: ['G. Hopper'] })).toBe(true);
    expect(matchesFilters(created, { keywords: ['retrieval'] })).toBe(false);
    const revised = eventFilterPaper({ type: 'paper.revised', data })!;
    expect(matchesFilters(revised, { keywords: ['retrieval'] })).toBe(true);
  });
});
