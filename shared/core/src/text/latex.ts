// Makes the LaTeX that arXiv titles and abstracts carry readable, without touching mathematics.
// Outside math: text-style commands lose their wrapper (`\textbf{x}`, `\emph{x}`, `{\em x}` → `x`), accents
// compose (`R\'{e}nyi` → `Rényi`, `Schr{\"o}dinger` → `Schrödinger`), special letters map (`\ss` → `ß`,
// `{\o}` → `ø`), escapes unescape (`\&` `\%` `\$` `\#` `\_`), and braces around plain letters go
// (`{BERT}` → `BERT`). Dashes (`--`, `---`) and `~` are left as written. Math (`$…$`, `$$…$$`, `\(…\)`,
// `\[…\]`) is kept verbatim: `$99.51\pm0.03$` stays. Unknown commands are kept.

const SYMBOL_ACCENTS: Readonly<Record<string, string>> = {
  "'": '\u0301',
  '`': '\u0300',
  '^': '\u0302',
  '"': '\u0308',
  '~': '\u0303',
  '=': '\u0304',
  '.': '\u0307',
};

const LETTER_ACCENTS: Readonly<Record<string, string>> = {
  c: '\u0327',
  v: '\u030c',
  u: '\u0306',
  H: '\u030b',
  k: '\u0328',
  r: '\u030a',
  d: '\u0323',
  b: '\u0331',
};

const SPECIAL_LETTERS: Readonly<Record<string, string>> = {
  ss: 'ß',
  o: 'ø',
  O: 'Ø',
  ae: 'æ',
  AE: 'Æ',
  oe: 'œ',
  OE: 'Œ',
  aa: 'å',
  AA: 'Å',
  l: 'ł',
  L: 'Ł',
  i: 'ı',
  j: 'ȷ',
};

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&',
  '%': '%',
  $: '$',
  '#': '#',
  _: '_',
  '{': '{',
  '}': '}',
};

// `\'{e}`, `\'e`, `\'{\i}`, `\"o`, `\' e`.
const SYMBOL_ACCENT_RE = /\\(['`^"~=.])\s*(?:\{\s*(\\[ij]|[A-Za-z])\s*\}|(\\[ij](?![A-Za-z])|[A-Za-z]))/g;
// `\c{c}`, `\v{s}`, `\v Skoda` (the command must end where the brace or space starts: `\url`, `\bf` are not).
const LETTER_ACCENT_RE = /\\([cvuHkrdb])(?:\{\s*(\\[ij]|[A-Za-z])\s*\}|\s+([A-Za-z]))/g;
const SPECIAL_LETTER_RE = /\\(ss|ae|AE|oe|OE|aa|AA|[oOlLij])(?![A-Za-z])(?:\{\})?/g;
const TEXT_WRAPPER_RE =
  /\\(?:textbf|textit|textsl|textsc|textrm|textsf|texttt|textup|textmd|textnormal|emph|underline|mbox|hbox|text|url)\s*\{([^{}]*)\}/g;
const HREF_RE = /\\href\s*\{[^{}]*\}\s*\{([^{}]*)\}/g;
const DECLARATION_RE = /\{\\(?:bf|em|it|sl|sc|rm|sf|tt|bfseries|itshape|scshape|ttfamily)\s+([^{}]*)\}/g;
const ESCAPE_RE = /\\([&%$#_{}])/g;
// A brace group of letters only, unless it is a command's argument (`\mathcal{O}` stays).
const LETTER_GROUP_RE = /(\\[A-Za-z]+\s*)?\{(\p{L}+)\}/gu;

function composeAccent(base: string, mark: string, whole: string): string {
  const letter = base === '\\i' ? 'i' : base === '\\j' ? 'j' : base;
  const composed = (letter + mark).normalize('NFC');
  // Keep the source when Unicode has no precomposed letter (`\'t` in a stray escaped apostrophe).
  return [...composed].length === 1 ? composed : whole;
}

function convertText(s: string): string {
  if (!s.includes('\\') && !s.includes('{')) return s;
  let t = s;
  t = t.replace(SYMBOL_ACCENT_RE, (whole, acc: string, braced?: string, bare?: string) =>
    composeAccent((braced ?? bare)!, SYMBOL_ACCENTS[acc]!, whole),
  );
  t = t.replace(LETTER_ACCENT_RE, (whole, acc: string, braced?: string, bare?: string) =>
    composeAccent((braced ?? bare)!, LETTER_ACCENTS[acc]!, whole),
  );
  t = t.replace(SPECIAL_LETTER_RE, (_whole, name: string) => SPECIAL_LETTERS[name]!);
  for (let i = 0; i < 3; i++) {
    const before = t;
    t = t.replace(TEXT_WRAPPER_RE, '$1').replace(HREF_RE, '$1').replace(DECLARATION_RE, '$1');
    if (t === before) break;
  }
  t = t.replace(/\\(La)?TeX(?![A-Za-z])(?:\{\})?/g, (_w, la?: string) => (la ? 'LaTeX' : 'TeX'));
  t = t.replace(/\\(?:ldots|dots)(?![A-Za-z])(?:\{\})?/g, '…');
  t = t.replace(LETTER_GROUP_RE, (whole, command?: string, letters?: string) => (command ? whole : letters!));
  t = t.replace(ESCAPE_RE, (_w, ch: string) => ESCAPES[ch]!);
  return t;
}

/** Index of the next `$` at or after `from` that is not escaped as `\$`, or -1. */
function nextDollar(s: string, from: number): number {
  for (let i = s.indexOf('$', from); i >= 0; i = s.indexOf('$', i + 1)) {
    let slashes = 0;
    for (let j = i - 1; j >= 0 && s[j] === '\\'; j--) slashes++;
    if (slashes % 2 === 0) return i;
  }
  return -1;
}

/**
 * Splits into text and math spans (`$…$`, `$$…$$`, `\(…\)`, `\[…\]`; `\$` is an escaped dollar). A scan with
 * indexOf rather than a lazy regex: an unclosed opener would make a regex rescan to the end from every
 * later opener (quadratic on hostile input); once a closer is missing, that kind is not looked for again.
 */
function splitMath(s: string): { text: string; math: boolean }[] {
  const parts: { text: string; math: boolean }[] = [];
  const unclosed = new Set<string>();
  let textStart = 0;
  let i = 0;
  const take = (start: number, end: number) => {
    if (start > textStart) parts.push({ text: s.slice(textStart, start), math: false });
    parts.push({ text: s.slice(start, end), math: true });
    textStart = end;
    i = end;
  };
  while (i < s.length) {
    const ch = s[i];
    if (ch === '\\') {
      const next = s[i + 1];
      const closer = next === '(' ? '\\)' : next === '[' ? '\\]' : undefined;
      if (closer && !unclosed.has(closer)) {
        const end = s.indexOf(closer, i + 2);
        if (end >= 0) {
          take(i, end + 2);
          continue;
        }
        unclosed.add(closer);
      }
      i += 2;
    } else if (ch === '$' && s[i + 1] === '$') {
      if (!unclosed.has('$$')) {
        const end = s.indexOf('$$', i + 2);
        if (end >= 0) {
          take(i, end + 2);
          continue;
        }
        unclosed.add('$$');
      }
      i += 2;
    } else if (ch === '$') {
      if (!unclosed.has('$')) {
        const end = nextDollar(s, i + 1);
        if (end > i + 1) {
          take(i, end + 1);
          continue;
        }
        if (end < 0) unclosed.add('$');
      }
      i++;
    } else i++;
  }
  if (textStart < s.length) parts.push({ text: s.slice(textStart), math: false });
  return parts;
}

/** Converts text-mode LaTeX to plain Unicode; math spans are returned exactly as given. */
export function latexToText(s: string): string {
  if (!s.includes('\\') && !s.includes('{')) return s;
  return splitMath(s)
    .map((part) => (part.math ? part.text : convertText(part.text)))
    .join('');
}
