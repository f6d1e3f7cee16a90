import { describe, expect, it } from 'vitest';
import {
  jaccard,
  mainTitle,
  stripTitleDecorations,
  titleForDedup,
  titleMarkers,
  titleNumbers,
  titleShingles,
} from './title.ts';

describe('stripTitleDecorations / titleForDedup', () => {
  it.each([
    ['[R] Sparse Experts for Retrieval', 'sparse experts for retrieval'],
    ['[D][P] Sparse Experts for Retrieval', 'sparse experts for retrieval'],
    ['Sparse Experts for Retrieval [pdf]', 'sparse experts for retrieval'],
    ['Sparse Experts for Retrieval (2023) [pdf]', 'sparse experts for retrieval'],
    ['Sparse Experts for Retrieval (NeurIPS 2023)', 'sparse experts for retrieval'],
    ["Sparse Experts for Retrieval [ICML'24]", 'sparse experts for retrieval'],
    ['$\\beta$-VAE: Learning Basic Visual Concepts', 'β vae learning basic visual concepts'],
    ['β-VAE — Learning Basic Visual Concepts.', 'β vae learning basic visual concepts'],
    ["R\\'{e}nyi Divergence Variational Inference", 'renyi divergence variational inference'],
    ['Rényi Divergence Variational Inference', 'renyi divergence variational inference'],
    ['Attention &amp; Memory', 'attention memory'],
    ['GPT-4 Technical Report', 'gpt 4 technical report'],
    // A title that is only a decoration keeps it.
    ['(2023)', '2023'],
  ])('%j → %j', (raw, expected) => {
    expect(titleForDedup(raw)).toBe(expected);
  });

  it('keeps a year that is part of the title', () => {
    expect(stripTitleDecorations('The 2023 Census of Language Models')).toBe(
      'The 2023 Census of Language Models',
    );
  });
});

describe('titleShingles', () => {
  it.each([
    ['Self-Supervised Learning', 'self supervised learning'],
    ['Self Supervised Learning', 'selfsupervised learning'],
    ['SELF-SUPERVISED LEARNING.', 'Self-supervised learning'],
  ])('%j and %j shingle alike', (a, b) => {
    expect(titleShingles(a)).toEqual(titleShingles(b));
  });

  it.each([
    ['', []],
    ['ab', ['ab']],
    ['abc', ['abc']],
    ['abcd', ['abc', 'bcd']],
    ['a-b-c-a-b-c', ['abc', 'bca', 'cab']],
  ])('%j → %j', (title, expected) => {
    expect(titleShingles(title)).toEqual(expected);
  });
});

describe('jaccard', () => {
  it.each([
    [[], [], 1],
    [['a'], [], 0],
    [['a', 'b'], ['a', 'b'], 1],
    [['a', 'b'], ['b', 'c'], 1 / 3],
    [['a', 'b', 'c', 'd'], ['a', 'b', 'c'], 3 / 4],
  ])('%j vs %j = %d', (a, b, expected) => {
    expect(jaccard(a, b)).toBeCloseTo(expected, 10);
  });
});

describe('titleNumbers', () => {
  it.each([
    ['GPT-3: Language Models are Few-Shot Learners', ['3']],
    ['GPT-4 Technical Report', ['4']],
    ['Deep Residual Learning with ResNet-101', ['101']],
    ['YOLOv3: An Incremental Improvement', ['3']],
    ['Llama 2: Open Foundation Models', ['2']],
    ['Quantum Gravity, Part I', ['1']],
    ['Quantum Gravity, Part II', ['2']],
    ['Quantum Gravity, Part Two', ['2']],
    ['Quantum Gravity, Part 2', ['2']],
    ['Quantum Gravity II', ['2']],
    ['Results on 007 Benchmarks', ['7']],
    // `i`, `v`, `x` mid-title are words or variables, not numerals.
    ['How I Learned to Stop Worrying', []],
    ['Learning x from Data', []],
    ['Attention Is All You Need', []],
    ['The Second Law of Learning', []],
  ])('%j → %j', (title, expected) => {
    expect(titleNumbers(title)).toEqual(expected);
  });
});

describe('titleMarkers', () => {
  it.each([
    ['Erratum: Sparse Experts', ['erratum']],
    ['Comment on "Sparse Experts"', ['comment']],
    ['Reply to Comment on "Sparse Experts"', ['comment', 'reply']],
    ['Sparse Experts: A Survey', ['survey']],
    ['Sparse Experts for Retrieval', []],
  ])('%j → %j', (title, expected) => {
    expect(titleMarkers(title)).toEqual(expected);
  });
});

describe('mainTitle', () => {
  it.each([
    ['Scaling Monosemanticity: Extracting Features', 'scaling monosemanticity'],
    ['Scaling Monosemanticity - Extracting Features', 'scaling monosemanticity'],
    ['Scaling Monosemanticity — Extracting Features', 'scaling monosemanticity'],
    ['Is Attention Enough? A Study', 'is attention enough'],
    ['Self-Supervised Learning', undefined],
    ['No Subtitle Here', undefined],
  ])('%j → %j', (title, expected) => {
    expect(mainTitle(title)).toBe(expected);
  });
});
