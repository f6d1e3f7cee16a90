import { describe, expect, it } from 'vitest';
import { authorKey } from '../authors/authors.ts';
import type { PaperIds } from '../types.ts';
import {
  authorOverlap,
  DEFAULT_DEDUP_THRESHOLDS,
  type DedupCandidate,
  nearDuplicateDecision,
  nearDuplicateMatcher,
} from './decision.ts';
import { titleFeatures } from './features.ts';

const c = (title: string, authors: string[] = [], ids: PaperIds = {}): DedupCandidate => ({
  title,
  authors: authors.map((n) => ({ key: authorKey(n) })),
  ids,
});
const ADA = ['Ada Lovelace', 'Alan Turing', 'Grace Hopper'];
const OTHERS = ['Edsger Dijkstra', 'Barbara Liskov'];
const T = 'Sparse Mixtures of Tiny Experts for Long-Context Retrieval';

describe('nearDuplicateDecision: the same paper', () => {
  it.each<[string, DedupCandidate, DedupCandidate, string]>([
    [
      'same arXiv id, different titles',
      c('Old title', [], { arxiv: '2401.01234' }),
      c('New title', [], { arxiv: '2401.01234' }),
      'shared-id:arxiv',
    ],
    ['same DOI', c(T, [], { doi: '10.1000/x' }), c('x', OTHERS, { doi: '10.1000/x' }), 'shared-id:doi'],
    ['case and punctuation', c(T, ADA), c(T.toUpperCase().replace(/-/g, ' '), ADA), 'title+authors'],
    [
      'accents and LaTeX',
      c("R\\'{e}nyi Divergences for Variational Inference", ADA),
      c('Rényi divergences for variational inference', ADA),
      'title+authors',
    ],
    [
      'HTML entity',
      c('Attention &amp; Memory in Long-Context Transformers', ADA),
      c('Attention & Memory in Long-Context Transformers', ADA),
      'title+authors',
    ],
    ['a typo', c(T, ADA), c(T.replace('Experts', 'Exeprts'), ADA), 'title+authors'],
    ['`Towards`', c(T, ADA), c(`Towards ${T}`, ADA), 'title+authors'],
    ['initials and et al.', c(T, ADA), c(T, ['A. Lovelace']), 'title+authors'],
    [
      'accented and plain author names',
      c(T, ['José Gómez', 'Ana Núñez']),
      c(T, ['Jose Gomez']),
      'title+authors',
    ],
    ['one side has an id', c(T, ADA, { arxiv: '2401.01234' }), c(T, ADA), 'title+authors'],
    [
      'ids of different kinds',
      c(T, ADA, { arxiv: '2401.01234' }),
      c(T, ADA, { doi: '10.1145/1' }),
      'title+authors',
    ],
    ['decorated HN title, no authors', c(T, ADA), c(`${T} [pdf]`), 'title-no-authors'],
    ['Reddit flair, no authors', c(`[R] ${T} (2026)`), c(T, ADA), 'title-no-authors'],
    [
      'subtitle dropped',
      c('Scaling Monosemanticity: Extracting Interpretable Features', ADA),
      c('Scaling Monosemanticity', ADA),
      'subtitle+authors',
    ],
    [
      'versions differ',
      { ...c(T, ADA), arxivVersion: 1 },
      { ...c(T, ADA), arxivVersion: 3 },
      'title+authors',
    ],
  ])('%s', (_name, a, b, reason) => {
    const d = nearDuplicateDecision(a, b);
    expect(d).toMatchObject({ same: true, reason });
    expect(nearDuplicateDecision(b, a)).toEqual(d);
  });
});

describe('nearDuplicateDecision: different papers', () => {
  it.each<[string, DedupCandidate, DedupCandidate, string]>([
    [
      'two arXiv ids, same title and authors',
      c(T, ADA, { arxiv: '2401.01234' }),
      c(T, ADA, { arxiv: '2401.05678' }),
      'conflicting-ids:arxiv',
    ],
    ['two DOIs', c(T, ADA, { doi: '10.1000/a' }), c(T, ADA, { doi: '10.1000/b' }), 'conflicting-ids:doi'],
    [
      'same arXiv id but two DOIs',
      c(T, ADA, { arxiv: '2401.01234', doi: '10.1/a' }),
      c(T, ADA, { arxiv: '2401.01234', doi: '10.1/b' }),
      'conflicting-ids:doi',
    ],
    [
      'Part I / Part II',
      c('Quantum Gravity on the Lattice, Part I', ADA),
      c('Quantum Gravity on the Lattice, Part II', ADA),
      'numbers-differ',
    ],
    [
      'Part 1 / Part 2, no authors',
      c('Quantum Gravity on the Lattice, Part 1'),
      c('Quantum Gravity on the Lattice, Part 2', ADA),
      'numbers-differ',
    ],
    [
      'GPT-3 / GPT-4',
      c('GPT-3: Language Models are Few-Shot Learners', ADA),
      c('GPT-4: Language Models are Few-Shot Learners', ADA),
      'numbers-differ',
    ],
    [
      'ResNet-50 / ResNet-101',
      c('Scaling ResNet-50 Training to Thousands of GPUs', ADA),
      c('Scaling ResNet-101 Training to Thousands of GPUs', ADA),
      'numbers-differ',
    ],
    [
      'sequel `… 2`',
      c('Vexflow: Faster Attention with Better Parallelism', ADA),
      c('Vexflow 2: Faster Attention with Better Parallelism', ADA),
      'numbers-differ',
    ],
    [
      'YOLOv2 / YOLOv3',
      c('YOLOv2: Real-Time Detection of Small Objects', ADA),
      c('YOLOv3: Real-Time Detection of Small Objects', ADA),
      'numbers-differ',
    ],
    ['same title, different authors', c(T, ADA), c(T, OTHERS), 'authors-below-threshold'],
    [
      'one shared author of three',
      c(T, ADA),
      c(T, ['Ada Lovelace', 'Edsger Dijkstra', 'Barbara Liskov']),
      'authors-below-threshold',
    ],
    ['short generic title', c('Introduction', ADA), c('Introduction', ADA), 'title-too-short'],
    ['short title, no authors', c('Attention Is All', ADA), c('Attention Is All'), 'title-too-short'],
    ['no authors: any difference', c(T), c(T.replace('Experts', 'Exeprts'), ADA), 'title-below-threshold'],
    ['erratum', c(`Erratum: ${T}`, ADA), c(T, ADA), 'derivative-marker'],
    ['comment by others', c(`Comment on "${T}"`, OTHERS), c(T, ADA), 'derivative-marker'],
    [
      'survey of a system',
      c('Sparse Mixtures of Tiny Experts: A Survey', ADA),
      c('Sparse Mixtures of Tiny Experts', ADA),
      'derivative-marker',
    ],
    [
      'follow-up: one task word',
      c('Robust Graph Transformers for Protein Design', ADA),
      c('Robust Graph Transformers for Chip Placement', ADA),
      'title-below-threshold',
    ],
    [
      'two subtitles under one system name',
      c('Gemini Models: A Family of Multimodal Models', ADA),
      c('Gemini Models: Unlocking Long-Context Understanding', ADA),
      'title-below-threshold',
    ],
    [
      'one-word main title',
      c('ThooriForge: Towards Robust Math Word Problems', ADA),
      c('ThooriForge', ADA),
      'title-too-short',
    ],
    [
      'subtitle dropped, other authors',
      c('Scaling Monosemanticity: Extracting Features', ADA),
      c('Scaling Monosemanticity', OTHERS),
      'authors-below-threshold',
    ],
  ])('%s', (_name, a, b, reason) => {
    const d = nearDuplicateDecision(a, b);
    expect(d).toMatchObject({ same: false, reason });
    expect(nearDuplicateDecision(b, a)).toEqual(d);
  });
});

describe('nearDuplicateDecision: numbers', () => {
  it('reports similarity and overlap', () => {
    const d = nearDuplicateDecision(c(T, ADA), c(T, ['A. Lovelace', 'Edsger Dijkstra']));
    expect(d.titleSimilarity).toBe(1);
    expect(d.authorOverlap).toBe(0.5);
    expect(d.same).toBe(true);
  });

  it('follows configured thresholds', () => {
    const a = c(T, ADA);
    const b = c(T, ['A. Lovelace', 'Edsger Dijkstra']);
    expect(nearDuplicateDecision(a, b, { ...DEFAULT_DEDUP_THRESHOLDS, authorThreshold: 0.6 }).same).toBe(
      false,
    );
    const typo = c(T.replace('Experts', 'Exeprts'));
    expect(
      nearDuplicateDecision(c(T), typo, { ...DEFAULT_DEDUP_THRESHOLDS, titleThresholdNoAuthors: 0.8 }).same,
    ).toBe(true);
  });
});

describe('nearDuplicateMatcher', () => {
  it('decides as nearDuplicateDecision for every other candidate, however often it is asked', () => {
    const a = c(T, ADA);
    const others = [
      c(T.toUpperCase(), ADA),
      c(`${T}, Part II`, ADA),
      c(T, OTHERS),
      c(T, []),
      c('Dense Mixtures of Huge Experts for Short-Context Retrieval', ADA),
      c(T, ADA, { arxiv: '2401.01234' }),
    ];
    const match = nearDuplicateMatcher(a);
    const first = others.map((b) => match(b));
    expect(first).toEqual(others.map((b) => nearDuplicateDecision(a, b)));
    expect(first.map((d) => d.same)).toEqual([true, false, false, true, false, true]);
    expect(others.map((b) => match(b))).toEqual(first);
  });

  it('decides the same with the features it is given (a memo of titleFeatures)', () => {
    const asked: string[] = [];
    const featuresOf = (title: string) => {
      asked.push(title);
      return titleFeatures(title);
    };
    const a = c(T, ADA);
    const b = c(T.toUpperCase(), ADA);
    expect(nearDuplicateMatcher(a, DEFAULT_DEDUP_THRESHOLDS, featuresOf)(b)).toEqual(
      nearDuplicateDecision(a, b),
    );
    expect(asked).toEqual([T, T.toUpperCase()]);
  });

  it('follows the thresholds it was made with', () => {
    const strict = { ...DEFAULT_DEDUP_THRESHOLDS, titleThreshold: 1 };
    const b = c(T.replace('Long-Context', 'Long Context Document'), ADA);
    expect(nearDuplicateMatcher(c(T, ADA))(b).same).toBe(nearDuplicateDecision(c(T, ADA), b).same);
    expect(nearDuplicateMatcher(c(T, ADA), strict)(b)).toEqual(nearDuplicateDecision(c(T, ADA), b, strict));
    expect(nearDuplicateMatcher(c(T, ADA), strict)(b).same).toBe(false);
  });
});

describe('authorOverlap', () => {
  it.each([
    [[], ['a'], 0],
    [['a'], ['a', 'b', 'c'], 1],
    [['a', 'b'], ['b', 'c'], 0.5],
    [['a', 'b', 'c'], ['d'], 0],
  ])('%j vs %j = %d', (a, b, expected) => {
    expect(authorOverlap(new Set(a), new Set(b))).toBe(expected);
  });
});
