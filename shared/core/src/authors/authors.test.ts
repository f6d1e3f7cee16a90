import { describe, expect, it } from 'vitest';
import { authorKey, authorNameFromContact, MAX_AUTHOR_NAME_CHARS, splitAuthors } from './index.ts';

describe('splitAuthors', () => {
  it.each<[string, string[], string[]]>([
    ['empty list', [], []],
    ['one name per element', ['Fabien Polly', 'Jane Doe'], ['Fabien Polly', 'Jane Doe']],
    [
      'rss.arxiv.org comma-joined dc:creator',
      ['Haebin Seong, Li Yin, Haoran Zhang'],
      ['Haebin Seong', 'Li Yin', 'Haoran Zhang'],
    ],
    ['Oxford comma', ['A. Alpha, B. Beta, and C. Gamma'], ['A. Alpha', 'B. Beta', 'C. Gamma']],
    [
      'no Oxford comma',
      ['Alice Smith, Bob Jones and Carol White'],
      ['Alice Smith', 'Bob Jones', 'Carol White'],
    ],
    ['two with and', ['Alice Smith and Bob Jones'], ['Alice Smith', 'Bob Jones']],
    ['ampersand', ['Alice Smith & Bob Jones'], ['Alice Smith', 'Bob Jones']],
    [
      'comma ampersand',
      ['Alice Smith, Bob Jones, & Carol White'],
      ['Alice Smith', 'Bob Jones', 'Carol White'],
    ],
    ['semicolons', ['Alice Smith; Bob Jones'], ['Alice Smith', 'Bob Jones']],
    ['semicolons with inverted names', ['Smith, J.; Doe, A.'], ['Smith, J.', 'Doe, A.']],
    [
      '"and" inside a name is not a separator',
      ['Alexander Anderson, Sandy Andrews'],
      ['Alexander Anderson', 'Sandy Andrews'],
    ],
    [
      'legacy RDF dc:creator (HTML list with leading space)',
      [
        ' <a href="http://arxiv.org/find/astro-ph/1/au:+Busca_N/0/1/0/all/0/1">Nicolas Busca</a>, <a href="http://arxiv.org/find/astro-ph/1/au:+Balland_C/0/1/0/all/0/1">Christophe Balland</a>',
      ],
      ['Nicolas Busca', 'Christophe Balland'],
    ],
    [
      'legacy RDF dc:creator still HTML-escaped',
      [
        ' &lt;a href=&quot;http://arxiv.org/find/cs/1/au:+Ene_A/0/1/0/all/0/1&quot;&gt;Alina Ene&lt;/a&gt;, &lt;a href=&quot;http://arxiv.org/find/cs/1/au:+Nguyen_H/0/1/0/all/0/1&quot;&gt;Huy L. Nguyen&lt;/a&gt;',
      ],
      ['Alina Ene', 'Huy L. Nguyen'],
    ],
    ['anchor text with entities', ['<a href="x">Jos&eacute; Ra&uacute;l</a>'], ['José Raúl']],
    ['suffix Jr. stays', ['John Smith, Jr.', 'Jane Doe'], ['John Smith, Jr.', 'Jane Doe']],
    [
      'suffix inside a list',
      ['John Smith, Jr., Jane Doe, and Bob Roe III'],
      ['John Smith, Jr.', 'Jane Doe', 'Bob Roe III'],
    ],
    ['suffix II and PhD', ['Henry Ford, II, Ann Lee, Ph.D.'], ['Henry Ford, II', 'Ann Lee, Ph.D.']],
    ['inverted name', ['Smith, John'], ['Smith, John']],
    ['inverted with initials', ['Smith, J. R.'], ['Smith, J. R.']],
    ['inverted with particle', ['van Beethoven, Ludwig'], ['van Beethoven, Ludwig']],
    ['two full names are a list', ['Yann LeCun, Geoffrey Hinton'], ['Yann LeCun', 'Geoffrey Hinton']],
    ['collaboration', ['ATLAS Collaboration'], ['ATLAS Collaboration']],
    [
      'collaboration with members',
      ['ATLAS Collaboration: G. Aad, B. Abbott'],
      ['ATLAS Collaboration', 'G. Aad', 'B. Abbott'],
    ],
    [
      'collaboration in a list',
      ['The LIGO Scientific Collaboration and the Virgo Collaboration'],
      ['The LIGO Scientific Collaboration', 'the Virgo Collaboration'],
    ],
    [
      'affiliation in parentheses keeps its comma',
      ['John Smith (MIT, USA), Jane Doe'],
      ['John Smith (MIT, USA)', 'Jane Doe'],
    ],
    [
      'old arXiv affiliation markers',
      ['A. Author (1), B. Author (2) ((1) MIT, (2) CMU)'],
      ['A. Author', 'B. Author'],
    ],
    ['et al. dropped', ['Alice Smith, Bob Jones, et al.'], ['Alice Smith', 'Bob Jones']],
    ['others dropped', ['Alice Smith and others'], ['Alice Smith']],
    ['exact repeats removed', ['Jane Doe', 'Jane Doe', 'Jane Doe, Bob Roe'], ['Jane Doe', 'Bob Roe']],
    ['different spellings both kept', ['Jane Doe', 'J. Doe'], ['Jane Doe', 'J. Doe']],
    ['mojibake repaired', ['Aurora RamÃ­rez, JosÃ© RaÃºl'], ['Aurora Ramírez', 'José Raúl']],
    ['LaTeX accents', ["Alfr\\'{e}d R\\'enyi"], ['Alfréd Rényi']],
    ['whitespace and wraps', ['  Jane\n   Doe ,  Bob\tRoe  '], ['Jane Doe', 'Bob Roe']],
    ['empty and blank elements dropped', ['', '   ', ',', ' and '], []],
    [
      'non-ASCII names',
      ['Σωκράτης Παπαδόπουλος, 张三, Nguyễn Văn A'],
      ['Σωκράτης Παπαδόπουλος', '张三', 'Nguyễn Văn A'],
    ],
    ['Reddit handle', ['/u/Either_Collection349'], ['/u/Either_Collection349']],
    ['__proto__ and constructor are just names', ['__proto__', 'constructor'], ['__proto__', 'constructor']],
  ])('%s', (_name, input, expected) => {
    expect(splitAuthors(input)).toEqual(expected);
  });

  it('caps display names', () => {
    const [name] = splitAuthors(['A'.repeat(5_000)]);
    expect(name).toHaveLength(MAX_AUTHOR_NAME_CHARS);
  });

  it('splits an 18-name dc:creator', () => {
    const names = Array.from({ length: 18 }, (_, i) => `Author${i} Surname${i}`);
    expect(splitAuthors([names.join(', ')])).toEqual(names);
  });

  it('skips non-string elements', () => {
    expect(splitAuthors([42 as unknown as string, 'Jane Doe'])).toEqual(['Jane Doe']);
  });
});

describe('authorKey', () => {
  it.each<[string, string]>([
    ['J. Smith', 'j smith'],
    ['John Smith', 'j smith'],
    ['J Smith', 'j smith'],
    ['Smith, John', 'j smith'],
    ['Smith, J.', 'j smith'],
    ['SMITH, JOHN', 'j smith'],
    ['John Smith, Jr.', 'j smith'],
    ['John Smith Jr.', 'j smith'],
    ['John R. Smith', 'j smith'],
    ['J.R. Smith', 'j smith'],
    ['C.W. Reiss', 'c reiss'],
    ['Caroline W. Reiss', 'c reiss'],
    ['Aurora Ramírez', 'a ramirez'],
    ['Aurora RamÃ­rez', 'a ramirez'],
    ['Aurora Ramirez', 'a ramirez'],
    ["Alfr\\'{e}d R\\'enyi", 'a renyi'],
    ['Łukasz Kaiser', 'l kaiser'],
    ['Jürgen Schmidhuber', 'j schmidhuber'],
    ['Ludwig van Beethoven', 'l beethoven'],
    ['van Beethoven, Ludwig', 'l beethoven'],
    ["Conan O'Brien", 'c obrien'],
    ['Conan O’Brien', 'c obrien'],
    ['Jean-Pierre Dupont', 'j dupont'],
    ['J.-P. Dupont', 'j dupont'],
    ['Ana García-López', 'a garcialopez'],
    ['John Smith (MIT)', 'j smith'],
    ['ATLAS Collaboration', 'atlas collaboration'],
    ['The CMS Collaboration', 'the cms collaboration'],
    ['Gemini Team', 'gemini team'],
    ['Plato', 'plato'],
    ['张三', '张三'],
    ['Σωκράτης Παπαδόπουλος', 'σ παπαδοπουλοσ'],
    ['/u/Either_Collection349', 'u/either_collection349'],
    ['u/SomeUser', 'u/someuser'],
    ['', ''],
    ['  ...  ', ''],
  ])('%j → %j', (name, expected) => {
    expect(authorKey(name)).toBe(expected);
  });

  it('returns "" for non-strings', () => {
    expect(authorKey(null as unknown as string)).toBe('');
  });
});

describe('authorNameFromContact', () => {
  it.each<[string, string | undefined]>([
    ['Jane Doe (jane@example.org)', 'Jane Doe'],
    ['jane@example.org (Jane Doe)', 'Jane Doe'],
    ['Jane Doe <jane@example.org>', 'Jane Doe'],
    ['"Doe, Jane" <jane@example.org>', 'Doe, Jane'],
    ['jane@example.org', undefined],
    ['mailto:jane@example.org', undefined],
    ['  Jane Doe  ', 'Jane Doe'],
    ['Ada Lovelace, Grace Hopper and Alan Turing', 'Ada Lovelace, Grace Hopper and Alan Turing'],
    ['ATLAS Collaboration (CERN)', 'ATLAS Collaboration (CERN)'],
    ['', undefined],
  ])('%j → %j', (raw, expected) => {
    expect(authorNameFromContact(raw)).toBe(expected);
  });
});
