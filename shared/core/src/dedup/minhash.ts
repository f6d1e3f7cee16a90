// MinHash signatures and LSH band keys over title shingles.
// Hash family: h_i(s) = fmix32(fnv1a32(s) XOR seed_i), with seed_i drawn from a splitmix32 sequence
// started at `seed`; fmix32 (MurmurHash3's finaliser) is a bijection with full avalanche, so each seed
// gives an independent-looking order of the shingles. Integer-only, deterministic across platforms.
// A band is `rows` consecutive signature values; its key `lsh:<band>:<hex>` is the band index and the
// values as 8-digit hex. Two titles with Jaccard similarity J share at least one band key with
// probability 1 - (1 - J^rows)^bands (16 × 4: J 0.6 → 0.88, J 0.7 → 0.988, J 0.8 → 0.9998), so
// candidates are found by point reads of band keys and then verified exactly.

export interface MinhashParams {
  bands: number;
  rows: number;
  seed: number;
}

/** Value of an empty signature slot (no shingles). */
const EMPTY = 0xffffffff;

function fnv1a32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function fmix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function hashSeeds(count: number, seed: number): Uint32Array {
  const seeds = new Uint32Array(count);
  let state = seed >>> 0;
  for (let i = 0; i < count; i++) {
    state = (state + 0x9e3779b9) >>> 0;
    seeds[i] = fmix32(state);
  }
  return seeds;
}

function checkParams({ bands, rows }: MinhashParams): void {
  if (!Number.isInteger(bands) || bands < 1 || !Number.isInteger(rows) || rows < 1) {
    throw new RangeError(`dedup: bands and rows must be positive integers, got ${bands} × ${rows}`);
  }
}

/** MinHash signature of `bands × rows` values (unsigned 32-bit). Order and repeats of shingles do not matter. */
export function minhashSignature(shingles: readonly string[], params: MinhashParams): number[] {
  checkParams(params);
  const k = params.bands * params.rows;
  const seeds = hashSeeds(k, params.seed);
  const sig = new Array<number>(k).fill(EMPTY);
  for (const shingle of new Set(shingles)) {
    const base = fnv1a32(shingle);
    for (let i = 0; i < k; i++) {
      const h = fmix32(base ^ seeds[i]!);
      if (h < sig[i]!) sig[i] = h;
    }
  }
  return sig;
}

/** One key per band: `lsh:<bandIndex>:<hex of the band's values>`. */
export function lshBandKeys(signature: readonly number[], bands: number, rows: number): string[] {
  checkParams({ bands, rows, seed: 0 });
  if (signature.length !== bands * rows) {
    throw new RangeError(`dedup: signature has ${signature.length} values, expected ${bands} × ${rows}`);
  }
  const keys: string[] = [];
  for (let b = 0; b < bands; b++) {
    const hex = signature
      .slice(b * rows, (b + 1) * rows)
      .map((v) => (v >>> 0).toString(16).padStart(8, '0'))
      .join('');
    keys.push(`lsh:${b}:${hex}`);
  }
  return keys;
}

/** Probability that two titles with Jaccard similarity `j` share at least one band key. */
export function lshCandidateProbability(j: number, bands: number, rows: number): number {
  return 1 - (1 - j ** rows) ** bands;
}
