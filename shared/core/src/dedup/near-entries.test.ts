import { describe, expect, it } from 'vitest';
import { dedupAuthorKey } from './cluster.ts';
import {
  candidateOfNearEntry,
  MAX_NEAR_VARIANTS,
  type NearEntry,
  nearEntryOfPaper,
  withNearVariant,
} from './near-entries.ts';

const entry = (title: string, paperId = 'p1'): NearEntry => ({
  paperId,
  title,
  authorKeys: ['lovelace a'],
  ids: { arxiv: '2612.00001' },
});

describe('near-duplicate index entries', () => {
  it('a paper is indexed under its title, with the author keys the resolver computes', () => {
    const authors = [
      { name: 'Ada Lovelace', key: 'a lovelace' },
      { name: 'Grace Hopper et al.', key: 'g al' },
    ];
    const e = nearEntryOfPaper({
      _id: 'arxiv:2612.00001',
      title: 'T',
      authors,
      ids: { arxiv: '2612.00001' },
    });
    expect(e).toEqual({
      paperId: 'arxiv:2612.00001',
      title: 'T',
      authorKeys: ['a lovelace', dedupAuthorKey(authors[1]!)],
      ids: { arxiv: '2612.00001' },
    });
    expect(candidateOfNearEntry(e)).toEqual({
      title: 'T',
      authors: authors.map((a) => ({ key: dedupAuthorKey(a) })),
      ids: { arxiv: '2612.00001' },
    });
  });

  it('adds a new title, ignores a known one, keeps the newest variants', () => {
    expect(withNearVariant([], entry('A'))).toEqual([entry('A')]);
    expect(withNearVariant([entry('A')], entry('A'))).toBeUndefined();
    expect(withNearVariant([entry('A')], entry('a'))).toEqual([entry('A'), entry('a')]);
    const many = Array.from({ length: MAX_NEAR_VARIANTS }, (_, i) => entry(`T${i}`));
    const next = withNearVariant(many, entry('new'))!;
    expect(next).toHaveLength(MAX_NEAR_VARIANTS);
    expect(next.at(-1)?.title).toBe('new');
    expect(next[0]?.title).toBe('T1');
  });
});
