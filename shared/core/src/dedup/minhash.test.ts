import { describe, expect, it } from 'vitest';
import { lshBandKeys, lshCandidateProbability, minhashSignature } from './minhash.ts';
import { jaccard, titleShingles } from './title.ts';

const P = { bands: 16, rows: 4, seed: 42 };

describe('minhashSignature', () => {
  it('is deterministic and ignores shingle order and repeats', () => {
    const s = titleShingles('Sparse Mixtures of Tiny Experts for Long-Context Retrieval');
    const sig = minhashSignature(s, P);
    expect(sig).toHaveLength(64);
    expect(minhashSignature([...s].reverse().concat(s), P)).toEqual(sig);
    expect(sig.every((v) => Number.isInteger(v) && v >= 0 && v <= 0xffffffff)).toBe(true);
  });

  it('depends on the seed', () => {
    const s = titleShingles('Sparse Mixtures of Tiny Experts');
    expect(minhashSignature(s, P)).not.toEqual(minhashSignature(s, { ...P, seed: 43 }));
  });

  it('estimates Jaccard similarity', () => {
    const a = titleShingles('Calibrated Uncertainty for Diffusion Policies in Robotic Manipulation');
    const b = titleShingles('Calibrated Uncertainty for Diffusion Policies in Robot Manipulation Tasks');
    const params = { bands: 64, rows: 8, seed: 7 };
    const sa = minhashSignature(a, params);
    const sb = minhashSignature(b, params);
    const estimate = sa.filter((v, i) => v === sb[i]).length / sa.length;
    expect(Math.abs(estimate - jaccard(a, b))).toBeLessThan(0.08);
  });

  it.each([
    [0, 4],
    [4, 0],
    [1.5, 4],
  ])('rejects bands %d × rows %d', (bands, rows) => {
    expect(() => minhashSignature(['abc'], { bands, rows, seed: 1 })).toThrow(RangeError);
  });
});

describe('lshBandKeys', () => {
  it('formats one key per band', () => {
    expect(lshBandKeys([1, 2, 0xffffffff, 0xabc], 2, 2)).toEqual([
      'lsh:0:0000000100000002',
      'lsh:1:ffffffff00000abc',
    ]);
  });

  it('gives identical titles identical keys and different titles (almost) none in common', () => {
    const keys = (t: string) => lshBandKeys(minhashSignature(titleShingles(t), P), P.bands, P.rows);
    expect(keys('Sparse Experts for Retrieval')).toEqual(keys('SPARSE EXPERTS FOR RETRIEVAL.'));
    const shared = keys('Sparse Experts for Retrieval').filter((k) =>
      keys('Protein Design with Graph Transformers').includes(k),
    );
    expect(shared).toEqual([]);
  });

  it('rejects a signature of the wrong length', () => {
    expect(() => lshBandKeys([1, 2, 3], 2, 2)).toThrow(RangeError);
  });
});

describe('lshCandidateProbability', () => {
  it.each([
    [1, 1],
    [0.8, 0.9998],
    [0.7, 0.988],
    [0.3, 0.122],
  ])('J %d → %d', (j, p) => {
    expect(lshCandidateProbability(j, 16, 4)).toBeCloseTo(p, 3);
  });
});
