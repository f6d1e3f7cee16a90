import { describe, expect, it } from 'vitest';
import {
  cleanText,
  decodeHtmlEntities,
  foldAccents,
  latexToText,
  parseArxivAnnounce,
  repairMojibake,
  stripArxivPrefix,
  stripHtmlTags,
  titleForMatch,
} from './index.ts';

describe('cleanText', () => {
  it.each<[string, string, string]>([
    // whitespace and hard wraps
    ['empty', '', ''],
    ['only spaces', '  \n\t ', ''],
    [
      'arXiv title wrap',
      'Dirty bosons in the presence\n  of quenched disorder',
      'Dirty bosons in the presence of quenched disorder',
    ],
    [
      'HF title wrap',
      'Near Infinite Batch Size Scaling for\n  Contrastive Loss',
      'Near Infinite Batch Size Scaling for Contrastive Loss',
    ],
    [
      'legacy API summary: leading spaces and 80-column wrap',
      '  As helium-4 is cooled below 2.17 K it undergoes\na phase transition',
      'As helium-4 is cooled below 2.17 K it undergoes a phase transition',
    ],
    [
      'paragraph break collapses',
      'the learning curves.\n  In this work we',
      'the learning curves. In this work we',
    ],
    ['CRLF', 'a\r\nb', 'a b'],
    ['tabs and NBSP', 'a\t\u00a0b', 'a b'],
    ['NEL and line separator', 'a\u0085b\u2028c', 'a b c'],
    // HTML
    ['RDF description <p>', '<p>We study X.\n    More text.</p>', 'We study X. More text.'],
    ['paragraphs become a space', '<p>one</p><p>two</p>', 'one two'],
    ['br', 'one<br/>two<br>three', 'one two three'],
    ['inline tags vanish', 'H<sub>2</sub>O and <em>this</em>', 'H2O and this'],
    [
      'anchor keeps text',
      'see <a href="https://x.y/?a=1&amp;b=2" rel="nofollow">the site</a>.',
      'see the site.',
    ],
    ['quoted > in attribute', '<a title="a>b" href="x">t</a>', 't'],
    ['comment and script dropped', 'a<!-- SC_OFF --><script>alert(1)</script>b', 'a b'],
    ['CDATA kept', '<![CDATA[ inner text ]]>', 'inner text'],
    ['math comparison is not a tag', 'for $a<b$ and $c>d$', 'for $a<b$ and $c>d$'],
    ['unknown tag-like text kept', 'x <y> z', 'x <y> z'],
    [
      'HN story_text',
      'I&#x27;m building a tool<p>See https:&#x2F;&#x2F;tokenspend.dev&#x2F; <a href="https:&#x2F;&#x2F;x.dev" rel="nofollow">x</a>',
      "I'm building a tool See https://tokenspend.dev/ x",
    ],
    [
      'Reddit content (double-escaped space)',
      '&#32; submitted by &#32; <a href="https://www.reddit.com/user/u1"> /u/u1 </a> <br/> <span><a href="https://t.co/">[link]</a></span> &#32; <span><a href="https://r/">[comments]</a></span>',
      'submitted by /u/u1 [link] [comments]',
    ],
    ['still-escaped &amp;#32;', 'a&amp;#32;b', 'a b'],
    ['escaped markup stays literal', 'the &lt;div&gt; tag', 'the <div> tag'],
    ['double-escaped ampersand', 'R&amp;amp;D', 'R&D'],
    [
      'HF feedgen description',
      '<p><b>Authors:</b> A, B</p><p><b>Upvotes:</b> 1</p>',
      'Authors: A, B Upvotes: 1',
    ],
    // entities
    ['named', 'caf&eacute; &ndash; na&iuml;ve &hellip;', 'café – naïve ...'],
    ['decimal and hex', '&#233;&#xE9;&#X00E9;', 'ééé'],
    ['cp1252 numeric', '&#150; &#147;q&#148;', '– “q”'],
    ['unknown entity kept', '&foo; &amp', '&foo; &amp'],
    ['nul reference dropped', 'a&#0;b', 'ab'],
    // mojibake
    ['mojibake í', 'Aurora RamÃ­rez', 'Aurora Ramírez'],
    ['mojibake é ú', 'JosÃ© RaÃºl', 'José Raúl'],
    ['mojibake smart quote', 'donâ€™t', 'don’t'],
    ['correct Latin-1 kept', 'Müller', 'Müller'],
    ['correct accents kept', 'Ramírez and José', 'Ramírez and José'],
    ['mixed: no whole-string round trip, not repaired', 'Müller and RamÃ­rez', 'Müller and RamÃrez'],
    // LaTeX
    ['legacy accent', "We consider the R\\'{e}nyi entanglement", 'We consider the Rényi entanglement'],
    ['textbf', 'enables \\textbf{adaptability} in', 'enables adaptability in'],
    ['emph', 'is \\emph{not} enough', 'is not enough'],
    [
      'math kept with escaped percent outside',
      'of $99.51\\pm0.03$\\% accuracy',
      'of $99.51\\pm0.03$% accuracy',
    ],
    ['math kept', 'rate $\\ln\\ln T$ and $1/\\sqrt{n}$', 'rate $\\ln\\ln T$ and $1/\\sqrt{n}$'],
    ['double dash kept', 'pages 1--2 --- really', 'pages 1--2 --- really'],
    ['ampersand escape', 'Q\\&A', 'Q&A'],
    // Unicode
    ['NFKC ligature', 'eﬃcient', 'efficient'],
    ['NFKC full-width', 'ＡＢＣ１', 'ABC1'],
    ['zero-width and BOM removed', '\ufeffa\u200bb\u00adc', 'abc'],
    ['control chars removed', 'a\u0000b\u0007c\u001bd\u009fe', 'abcde'],
    ['bidi override removed', 'a\u202eb', 'ab'],
    ['lone surrogate removed', 'a\ud800b', 'ab'],
    ['emoji kept', 'rocket 🚀 launch', 'rocket 🚀 launch'],
    ['Greek kept', 'Σ-Mem: β-OPSD', 'Σ-Mem: β-OPSD'],
  ])('%s', (_name, input, expected) => {
    expect(cleanText(input)).toBe(expected);
  });

  it('returns "" for non-strings', () => {
    expect(cleanText(undefined as unknown as string)).toBe('');
  });

  it('is idempotent on its own output', () => {
    const once = cleanText("<p>R\\'{e}nyi &amp;amp; JosÃ© $x\\pm y$\n  wrapped</p>");
    expect(cleanText(once)).toBe(once);
  });
});

describe('decodeHtmlEntities', () => {
  it.each<[string, string]>([
    ['&amp;', '&'],
    ['&amp;#32;', '&#32;'],
    ['&lt;p&gt;', '<p>'],
    ['&quot;&apos;&#39;', `"''`],
    ['&alpha;&Omega;&sigmaf;', 'αΩς'],
    ['&nbsp;', '\u00a0'],
    ['&constructor; &__proto__; &toString;', '&constructor; &__proto__; &toString;'],
    ['&#x110000; &#xD800;', ' '],
    ['&#0;&#129;', ''],
    ['&#150;&#x80;', '–€'],
    ['&hookrightarrow;&AMP;', '↪&'],
    ['&amp no semicolon &unknownname;', '&amp no semicolon &unknownname;'],
    ['no entities', 'no entities'],
  ])('%j', (input, expected) => {
    expect(decodeHtmlEntities(input)).toBe(expected);
  });
});

describe('stripHtmlTags', () => {
  it.each<[string, string]>([
    ['<P>x</P>', ' x '],
    ['<img src="a.png" alt="Paper thumbnail" style="max-width: 300px;" />', ''],
    ['<div class="md"><p>x</p></div>', '  x  '],
    ['a < b', 'a < b'],
    ['<b$ and $c>', '<b$ and $c>'],
  ])('%j', (input, expected) => {
    expect(stripHtmlTags(input)).toBe(expected);
  });
});

describe('repairMojibake', () => {
  it.each<[string, string]>([
    ['Aurora RamÃ­rez', 'Aurora Ramírez'],
    ['JosÃ© RaÃºl', 'José Raúl'],
    ['FranÃ§ois', 'François'],
    ['Ã…ngstrÃ¶m', 'Ångström'],
    ['â€œquotedâ€\u009d', '“quoted”'],
    ['â€“ dash', '– dash'],
    ['ZÃ¼rich (double: ZÃƒÂ¼rich)', 'Zürich (double: ZÃ¼rich)'],
    ['ZÃƒÂ¼rich', 'Zürich'],
    ['Müller', 'Müller'],
    ['Ã alone', 'Ã alone'],
    ['plain ascii', 'plain ascii'],
    ['Σ with Ã©', 'Σ with Ã©'],
  ])('%j', (input, expected) => {
    expect(repairMojibake(input)).toBe(expected);
  });
});

describe('latexToText', () => {
  it.each<[string, string]>([
    ["R\\'{e}nyi", 'Rényi'],
    ["R\\'enyi", 'Rényi'],
    ['\\"o and \\"{u}', 'ö and ü'],
    ['Schr{\\"o}dinger', 'Schrödinger'],
    ['G\\"odel', 'Gödel'],
    ['\\`{a} \\^{o} \\~{n} \\={a} \\.{z}', 'à ô ñ ā ż'],
    ["Erd\\H{o}s and \\v{S}koda and \\c{C}elik and Gr\\'{\\i}n", 'Erdős and Škoda and Çelik and Grín'],
    ['\\v Skoda', 'Škoda'],
    [
      `Stra{\\ss}e and {\\o}re and \\AA ngstr\\"om and \\l{}\\'od\\'z`,
      'Straße and øre and Å ngström and łódź',
    ],
    ['\\textbf{bold} \\textit{it} \\emph{em} \\texttt{tt} \\textsc{sc}', 'bold it em tt sc'],
    ['\\textbf{\\emph{nested}}', 'nested'],
    ['{\\em declared} and {\\bf bold}', 'declared and bold'],
    ['\\href{https://x.y}{the link} and \\url{https://x.y}', 'the link and https://x.y'],
    ['{BERT} and {GPT}-4', 'BERT and GPT-4'],
    ['\\& \\% \\$ \\# \\_', '& % $ # _'],
    ['costs \\$5 and \\$10', 'costs $5 and $10'],
    ['\\LaTeX{} and \\TeX', 'LaTeX and TeX'],
    ['a, b, \\ldots', 'a, b, …'],
    ['$x \\pm y$ and \\textbf{z}', '$x \\pm y$ and z'],
    ["$\\'{e}$ stays in math", "$\\'{e}$ stays in math"],
    ['$$\\textbf{x}$$ display', '$$\\textbf{x}$$ display'],
    ['\\(\\emph{x}\\) and \\[\\emph{y}\\]', '\\(\\emph{x}\\) and \\[\\emph{y}\\]'],
    ['\\mathcal{O}(n) outside math kept', '\\mathcal{O}(n) outside math kept'],
    ['\\cite{smith2020} kept', '\\cite{smith2020} kept'],
    ["it\\'t no precomposed form", "it\\'t no precomposed form"],
    ['unbalanced $5 dollar', 'unbalanced $5 dollar'],
    ['pages 1--2', 'pages 1--2'],
  ])('%j', (input, expected) => {
    expect(latexToText(input)).toBe(expected);
  });
});

describe('stripArxivPrefix / parseArxivAnnounce', () => {
  it.each<[string, string, ReturnType<typeof parseArxivAnnounce>]>([
    [
      'arXiv:2609.26811v1 Announce Type: new \nAbstract: Local learning trains each layer',
      'Local learning trains each layer',
      { id: '2609.26811', version: 1, announceType: 'new' },
    ],
    [
      'arXiv:2205.06398v2 Announce Type: cross \nAbstract: Old paper.',
      'Old paper.',
      { id: '2205.06398', version: 2, announceType: 'cross' },
    ],
    [
      'arXiv:2009.13987v3 Announce Type: replace \nAbstract: Replaced.',
      'Replaced.',
      { id: '2009.13987', version: 3, announceType: 'replace' },
    ],
    [
      'arXiv:2401.01234v4 Announce Type: replace-cross \nAbstract: Both.',
      'Both.',
      { id: '2401.01234', version: 4, announceType: 'replace-cross' },
    ],
    [
      'arXiv:2401.01234v1 Announce Type: new\r\nAbstract: CRLF.',
      'CRLF.',
      { id: '2401.01234', version: 1, announceType: 'new' },
    ],
    [
      '  arXiv:2401.01234v1  Announce Type:  new  \n  Abstract:   Spaces.',
      'Spaces.',
      { id: '2401.01234', version: 1, announceType: 'new' },
    ],
    [
      'arXiv:2401.01234 Announce Type: new \nAbstract: No version.',
      'No version.',
      { id: '2401.01234', announceType: 'new' },
    ],
    [
      'arXiv:2401.01234v1 Announce Type: withdrawn \nAbstract: Odd type.',
      'Odd type.',
      { id: '2401.01234', version: 1 },
    ],
    [
      'arXiv:hep-th/9901001v2 Announce Type: replace \nAbstract: Old id.',
      'Old id.',
      { id: 'hep-th/9901001', version: 2, announceType: 'replace' },
    ],
    [
      'An abstract that mentions arXiv:2401.01234v1 Announce Type: new',
      'An abstract that mentions arXiv:2401.01234v1 Announce Type: new',
      undefined,
    ],
    ['Plain abstract.', 'Plain abstract.', undefined],
    ['', '', undefined],
  ])('%j', (input, stripped, parsed) => {
    expect(stripArxivPrefix(input)).toBe(stripped);
    expect(parseArxivAnnounce(input)).toEqual(parsed);
  });
});

describe('titleForMatch', () => {
  it.each<[string, string]>([
    [
      'The Drift Contract: Spectral Updates for Depth-Robust Local Learning',
      'the drift contract spectral updates for depth robust local learning',
    ],
    [
      'Dirty bosons in the presence\n  of quenched disorder',
      'dirty bosons in the presence of quenched disorder',
    ],
    ["R\\'{e}nyi entropy", 'renyi entropy'],
    ['Rényi   Entropy!', 'renyi entropy'],
    ['$\\beta$-OPSD: On-Policy', 'β opsd on policy'],
    ['β-OPSD: On-Policy', 'β opsd on policy'],
    ['$\\Sigma$-Mem', 'σ mem'],
    ['Σ-Mem', 'σ mem'],
    ['Learning in $O(\\log n)$ time', 'learning in o log n time'],
    ['\\textbf{Bold} Claims', 'bold claims'],
    ['Straße, Łódź & Ærø', 'strasse lodz aero'],
    ['GPT-4: A “Technical” Report…', 'gpt 4 a technical report'],
    ['  ', ''],
  ])('%j', (input, expected) => {
    expect(titleForMatch(input)).toBe(expected);
  });
});

describe('foldAccents', () => {
  it.each<[string, string]>([
    ['Rényi', 'Renyi'],
    ['Müller', 'Muller'],
    ['Łukasz', 'Lukasz'],
    ['Ørsted', 'Orsted'],
    ['Çelik', 'Celik'],
    ['Nguyễn', 'Nguyen'],
  ])('%s', (input, expected) => {
    expect(foldAccents(input)).toBe(expected);
  });
});
