import { describe, expect, it } from 'vitest';
import { authorKey } from '../authors/authors.ts';
import { identityKeys } from '../ids/keys.ts';
import type { Observation, PaperIds } from '../types.ts';
import {
  chooseNearDuplicateTargets,
  clusterObservations,
  dedupAuthorKey,
  dedupBandKeys,
  profileOf,
  profilesCompatible,
} from './cluster.ts';
import { DEFAULT_DEDUP_THRESHOLDS } from './decision.ts';

let seq = 0;
function obs(title: string, authors: string[] = [], ids: PaperIds = {}): Observation {
  seq++;
  return {
    _id: `feed|e${seq}|h`,
    provenance: { feedId: 'feed', source: 'web', entryKey: `e${seq}`, fetchedAt: '2026-01-01T00:00:00Z' },
    ids,
    identityKeys: identityKeys(ids),
    title,
    authors: authors.map((name) => ({ name, key: authorKey(name) })),
    categories: [],
    links: { abs: `https://example.org/${seq}` },
    signals: {},
  };
}
const groups = (r: ReturnType<typeof clusterObservations>, list: Observation[]) =>
  list.map((o) => r.clusterOf.get(o._id));

const ADA = ['Ada Lovelace', 'Alan Turing'];
const T = 'Sparse Mixtures of Tiny Experts for Long-Context Retrieval';

describe('clusterObservations', () => {
  it('joins exact keys, then near duplicates across formats', () => {
    const list = [
      obs(T, ADA, { arxiv: '2401.01234' }),
      obs(T.toLowerCase(), ['A. Lovelace et al.']),
      obs(`[R] ${T}`),
      obs('Another Paper About Protein Design Entirely', ADA),
      obs(T, [], { arxiv: '2401.01234', hf: '2401.01234' }),
    ];
    const r = clusterObservations(list);
    expect(groups(r, list)).toEqual([0, 0, 0, 1, 0]);
    expect(r.nearMerges.map((m) => m.reasons)).toEqual([['title+authors'], ['title-no-authors']]);
  });

  it('never lets an id-less entry bridge two arXiv ids', () => {
    const list = [obs(T, ADA, { arxiv: '2401.01234' }), obs(T, ADA), obs(T, ADA, { arxiv: '2401.05678' })];
    const r = clusterObservations(list);
    expect(groups(r, list)).toEqual([0, 0, 1]);
  });

  it('leaves an author-less entry that matches two different papers alone', () => {
    const title = 'A Survey of Large Language Models for Scientific Discovery';
    const list = [obs(title, ADA), obs(title, ['Edsger Dijkstra']), obs(title)];
    const r = clusterObservations(list);
    expect(groups(r, list)).toEqual([0, 1, 2]);
    expect(r.ambiguous).toEqual([list[2]!._id]);
  });

  it('does not chain through an author-less entry to a paper by other authors', () => {
    const list = [obs(T, ADA), obs(T), obs(T, ['Edsger Dijkstra'])];
    const r = clusterObservations(list);
    expect(groups(r, list)).toEqual([0, 0, 1]);
  });

  it('keeps sequels and parts apart', () => {
    const list = [
      obs('Quantum Gravity on the Lattice, Part I', ADA),
      obs('Quantum Gravity on the Lattice, Part II', ADA),
      obs('quantum gravity on the lattice, part ii', ['A. Lovelace']),
    ];
    expect(groups(clusterObservations(list), list)).toEqual([0, 1, 1]);
  });

  it('is deterministic', () => {
    const list = [obs(T, ADA), obs(T.toUpperCase(), ADA), obs(T)];
    expect(clusterObservations(list)).toEqual(clusterObservations(list));
  });
});

describe('dedupBandKeys', () => {
  it('covers the main title so `X` finds `X: subtitle`', () => {
    const full = dedupBandKeys({
      title: 'Scaling Monosemanticity: Extracting Features',
      authors: [],
      ids: {},
    });
    const plain = dedupBandKeys({ title: 'Scaling Monosemanticity', authors: [], ids: {} });
    expect(full).toHaveLength(2 * DEFAULT_DEDUP_THRESHOLDS.lsh.bands);
    expect(plain.every((k) => full.includes(k))).toBe(true);
  });

  it('has none for a title too short to match', () => {
    expect(dedupBandKeys({ title: 'Introduction', authors: [], ids: {} })).toEqual([]);
  });
});

describe('profiles', () => {
  it.each([
    [{ arxiv: '1' }, ADA, { arxiv: '2' }, ADA, false],
    [{ arxiv: '1' }, ADA, { doi: '10.1/x' }, ADA, true],
    [{}, ADA, {}, ['Edsger Dijkstra'], false],
    [{}, ADA, {}, [], true],
  ])('%j %j vs %j %j → %s', (idsA, authorsA, idsB, authorsB, expected) => {
    const p = (ids: PaperIds, authors: string[]) =>
      profileOf({ title: '', authors: authors.map((n) => ({ key: authorKey(n) })), ids });
    expect(profilesCompatible(p(idsA, authorsA), p(idsB, authorsB), DEFAULT_DEDUP_THRESHOLDS)).toBe(expected);
  });

  it('chooseNearDuplicateTargets verifies candidates and skips the own paper', () => {
    const entry = { title: T, authors: [{ key: 'a lovelace' }], ids: {} };
    const match = (paperId: string, title: string) => ({
      paperId,
      paperProfile: profileOf({ title, authors: [{ key: 'a lovelace' }], ids: {} }),
      candidate: { title, authors: [{ key: 'a lovelace' }], ids: {} },
    });
    const choice = chooseNearDuplicateTargets(entry, { paperId: 'p0', profile: profileOf(entry) }, [
      match('p2', T.toUpperCase()),
      match('p1', T),
      match('p0', T),
      match('p3', 'Protein Design with Graph Transformers'),
    ]);
    expect(choice.targets).toEqual(['p1', 'p2']);
    expect(choice.ambiguous).toBe(false);
  });
});

describe('dedupAuthorKey', () => {
  it.each([
    ['Ada Lovelace et al.', 'a lovelace'],
    ['Ada Lovelace, et al', 'a lovelace'],
    ['Ada Lovelace', 'a lovelace'],
  ])('%j → %j', (name, key) => {
    expect(dedupAuthorKey({ name, key: authorKey(name) })).toBe(key);
  });
});
