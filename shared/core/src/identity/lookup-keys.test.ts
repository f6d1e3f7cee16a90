import { describe, expect, it } from 'vitest';
import { lookupKeys } from './lookup-keys.ts';

describe('lookupKeys', () => {
  it.each([
    ['2401.01234', 'arxiv:2401.01234'],
    ['2401.01234v3', 'arxiv:2401.01234'],
    ['arXiv:2401.01234v2', 'arxiv:2401.01234'],
    ['arxiv:2401.01234', 'arxiv:2401.01234'],
    ['https://arxiv.org/abs/2401.01234v2', 'arxiv:2401.01234'],
    ['https://arxiv.org/pdf/2401.01234v2.pdf', 'arxiv:2401.01234'],
    ['https://huggingface.co/papers/2401.01234', 'arxiv:2401.01234'],
    ['hep-th/9901001v2', 'arxiv:hep-th/9901001'],
    ['10.48550/arXiv.2401.01234', 'arxiv:2401.01234'],
  ])('%s → first key %s', (query, first) => {
    expect(lookupKeys(query)[0]).toBe(first);
  });

  it.each([
    ['10.1103/PhysRevB.73.214421', 'doi:10.1103/physrevb.73.214421'],
    ['doi:10.1103/PhysRevB.73.214421', 'doi:10.1103/physrevb.73.214421'],
    ['https://doi.org/10.1103/PhysRevB.73.214421', 'doi:10.1103/physrevb.73.214421'],
  ])('DOI %s', (query, key) => {
    expect(lookupKeys(query)).toContain(key);
  });

  it('keeps other kinds as given', () => {
    expect(lookupKeys('openreview:AbC123')).toContain('openreview:AbC123');
  });

  it.each([[''], ['   '], ['hello world'], ['{"$ne": 1}'], ['x'.repeat(3000)]])('nothing for %j', (q) => {
    expect(lookupKeys(q)).toEqual([]);
  });
});
