import { describe, expect, it } from 'vitest';
import {
  jaccard,
  mainTitle,
  shinglesOfCompact,
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

describe('titleShingles outside the BMP', () => {
  it('counts a surrogate pair as one character, as the array of code points does', () => {
    // 𝔸 (U+1D538) survives titleForMatch as a letter; each shingle holds three code points.
    const compact = 'a𝔸bc𝔸';
    expect(shinglesOfCompact(compact)).toEqual(['a𝔸b', 'bc𝔸', '𝔸bc']);
    expect(shinglesOfCompact('𝔸𝔸')).toEqual(['𝔸𝔸']);
  });
});

/** Jaccard similarity by sets: what the merge walk must equal. */
function jaccardBySets(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 && b.length === 0) return 1;
  const setA = new Set(a);
  const inter = [...new Set(b)].filter((x) => setA.has(x)).length;
  return inter / (setA.size + new Set(b).size - inter);
}

describe('jaccard by merge walk', () => {
  it('equals Jaccard by sets on the shingles of many title pairs', () => {
    const titles = [
      '',
      'ab',
      'Attention Is All You Need',
      'Attention is all you need!',
      'Attention Is Not All You Need',
      'Mixture of Experts for Long-Context Retrieval',
      'Dense Mixtures of Huge Experts for Short-Context Retrieval',
      'Ünïcödé Tïtlé wîth 𝔸ccents',
    ];
    for (const a of titles) {
      for (const b of titles) {
        const [sa, sb] = [titleShingles(a), titleShingles(b)];
        expect(jaccard(sa, sb)).toBeCloseTo(jaccardBySets(sa, sb), 12);
      }
    }
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
    expect(jaccardBySets(a, b)).toBeCloseTo(expected, 10);
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
