// Aggressive normalisation for matching, never for display: titles (near-duplicate detection) and author
// keys. Lower case, accents folded, LaTeX commands removed (Greek letter commands become the letter, so
// `$\beta$-OPSD` matches `β-OPSD`), punctuation → space, whitespace collapsed.

import { cleanText } from './clean.ts';

const GREEK_COMMANDS: ReadonlyMap<string, string> = new Map(
  (
    'alpha α beta β gamma γ delta δ epsilon ε varepsilon ε zeta ζ eta η theta θ vartheta θ iota ι kappa κ ' +
    'lambda λ mu μ nu ν xi ξ pi π varpi π rho ρ varrho ρ sigma σ varsigma σ tau τ upsilon υ phi φ varphi φ ' +
    'chi χ psi ψ omega ω Gamma Γ Delta Δ Theta Θ Lambda Λ Xi Ξ Pi Π Sigma Σ Upsilon Υ Phi Φ Psi Ψ Omega Ω'
  )
    .split(' ')
    .reduce<[string, string][]>((pairs, word, i, all) => {
      if (i % 2 === 0) pairs.push([word, all[i + 1]!]);
      return pairs;
    }, []),
);

// Operator names that are words in a title (`O(\log n)`); every other command is dropped.
const WORD_COMMANDS = new Set([
  'log',
  'ln',
  'exp',
  'sin',
  'cos',
  'tan',
  'max',
  'min',
  'sup',
  'inf',
  'lim',
  'det',
  'arg',
]);

// Letters that NFKD does not decompose into base + mark.
const SPECIAL_FOLDS: ReadonlyMap<string, string> = new Map([
  ['ß', 'ss'],
  ['ẞ', 'SS'],
  ['ø', 'o'],
  ['Ø', 'O'],
  ['æ', 'ae'],
  ['Æ', 'AE'],
  ['œ', 'oe'],
  ['Œ', 'OE'],
  ['ł', 'l'],
  ['Ł', 'L'],
  ['đ', 'd'],
  ['Đ', 'D'],
  ['ð', 'd'],
  ['Ð', 'D'],
  ['þ', 'th'],
  ['Þ', 'TH'],
  ['ı', 'i'],
  ['ȷ', 'j'],
  ['ς', 'σ'],
]);
const SPECIAL_FOLD_RE = new RegExp(`[${[...SPECIAL_FOLDS.keys()].join('')}]`, 'g');

/** Removes diacritics (`Rényi` → `Renyi`, `Łukasz` → `Lukasz`, `Straße` → `Strasse`). Case is kept. */
export function foldAccents(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(SPECIAL_FOLD_RE, (ch) => SPECIAL_FOLDS.get(ch)!)
    .normalize('NFC');
}

/** Matching key for a title: `"$\beta$-OPSD: Fast   Rényi…"` → `"β opsd fast renyi"`. */
export function titleForMatch(s: string): string {
  let t = cleanText(s);
  t = t.replace(/\\([A-Za-z]+)/g, (_w, name: string) =>
    WORD_COMMANDS.has(name) ? ` ${name} ` : (GREEK_COMMANDS.get(name) ?? ' '),
  );
  t = foldAccents(t).toLowerCase();
  t = t.replace(SPECIAL_FOLD_RE, (ch) => SPECIAL_FOLDS.get(ch)!);
  return t.replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}
