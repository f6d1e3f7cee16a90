// Generates the labelled near-duplicate evaluation set in test/fixtures/dedup/ (run once; the output is
// committed, and `npm run eval:dedup` reads the committed files, never this script):
//   node --import tsx test/eval/dedup/generate-fixtures.ts

// Seeded (mulberry32), so re-running it rewrites byte-identical files. Every payload is written in the real
// wire format of its source (arXiv API Atom, rss.arxiv.org RSS 2.0, HF daily_papers JSON, HN Algolia JSON,
// Reddit Listing JSON, a lab blog RSS 2.0, a conference Atom feed) and labels.json maps each entry
// (file + entryKey) to the paper it really is. The catalogue is invented; nothing is copied from captures.
//
// What it contains (counts are printed):
//  - arXiv papers seen across formats: API v1/v2/v3 captures, RSS new/replace, HF daily, a blog linking the
//    10.48550 DOI, HN linking the versioned PDF, Reddit linking `abs/…v2` with `[R]` flair; some of them also
//    appear id-less (conference Atom with authors, HN link to a lab-site PDF without authors).
//  - old-style ids: `hep-th/9901001`, `math.GT/0309136` (API) vs `math/0309136` (blog), bare in text.
//  - id-less papers (blog, conference, HN, Reddit) with title variants: case, punctuation, accents, LaTeX,
//    HTML entities, a dropped subtitle, a `[pdf]`/`(2025)` decoration, a typo; author variants: initials,
//    `Last, First`, `et al.`, mojibake.
//  - near-miss non-duplicates: Part I/Part II, GPT-3/GPT-4-style numbers, ResNet-50/101-style sizes,
//    same title by different authors (also once with an author-less HN post that matches both), short
//    generic titles (`Introduction`), errata/comments/replies/surveys of a paper, follow-ups of one group.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { arxivRssXml as arxivRssPayload } from '../../bench/formats.ts';
import { mulberry32 } from '../../support/random.ts';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/dedup');

// ---------- seeded randomness ----------
const rand = mulberry32(20261128);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const chance = (p: number): boolean => rand() < p;

// ---------- catalogue vocabulary ----------
const FIRST = [
  'Ada',
  'Alan',
  'Grace',
  'Katherine',
  'Edsger',
  'Barbara',
  'Donald',
  'Frances',
  'John',
  'Margaret',
  'Leslie',
  'Radia',
  'Tim',
  'Shafi',
  'Silvio',
  'Judea',
  'Yoshua',
  'Geoffrey',
  'Fei-Fei',
  'Daphne',
  'Andrew',
  'Michael',
  'Jürgen',
  'Zoë',
  'José',
  'Łukasz',
  'Søren',
  'François',
  'Chloé',
  'Renée',
  'Siddharth',
  'Mei',
  'Hiroshi',
  'Aiko',
  'Olúwaṣeun',
  'Amara',
  'Mateus',
  'Ingrid',
  'Dmitri',
  'Anouk',
  'Priya',
  'Wei',
  'Jun',
  'Seo-yeon',
  'Tomás',
  'Ana',
  'Kwame',
  'Fatima',
  'Noor',
  'Lars',
  'Elif',
  'Mehmet',
  'Ravi',
  'Yuki',
  'Camille',
  'Hugo',
];
const LAST = [
  'Lovelace',
  'Turing',
  'Hopper',
  'Johnson',
  'Dijkstra',
  'Liskov',
  'Knuth',
  'Allen',
  'McCarthy',
  'Hamilton',
  'Lamport',
  'Perlman',
  'Berners-Lee',
  'Goldwasser',
  'Micali',
  'Pearl',
  'Bengio',
  'Hinton',
  'Li',
  'Koller',
  'Ng',
  'Jordan',
  'Schmidhuber',
  'Müller',
  'Gómez',
  'Núñez',
  'Dvořák',
  'Kowalski',
  'Kierkegaard',
  'Lefèvre',
  "O'Brien",
  'Nakamura',
  'Tanaka',
  'Okafor',
  'Mensah',
  'Silva',
  'Andersson',
  'Petrov',
  'de Vries',
  'Sharma',
  'Zhang',
  'Wang',
  'Kim',
  'Park',
  'Herrera',
  'Costa',
  'Boateng',
  'Haddad',
  'Rahman',
  'Nielsen',
  'Yılmaz',
  'Demir',
  'Iyer',
  'Sato',
  'Moreau',
  'Fontaine',
  'Schrödinger',
  'Rényi',
  'Østergaard',
  'Çelik',
];
const ADJ = [
  'Sparse',
  'Robust',
  'Efficient',
  'Scalable',
  'Calibrated',
  'Adaptive',
  'Hierarchical',
  'Contrastive',
  'Causal',
  'Federated',
  'Differentiable',
  'Compositional',
  'Equivariant',
  'Self-Supervised',
  'Multimodal',
  'Low-Rank',
  'Probabilistic',
  'Interpretable',
  'Continual',
  'Distributed',
  'Verifiable',
  'Lightweight',
];
const NOUN = [
  'Mixtures of Experts',
  'Diffusion Policies',
  'Graph Transformers',
  'State Space Models',
  'Reward Models',
  'Retrieval Augmentation',
  'Neural Operators',
  'World Models',
  'Token Pruning',
  'Speculative Decoding',
  'Preference Optimization',
  'Attention Kernels',
  'Normalizing Flows',
  'Prompt Compression',
  'Memory Networks',
  'Tree Search',
  'Optimal Transport',
  'Kernel Methods',
  'Gaussian Processes',
  'Program Synthesis',
];
const TASK = [
  'Long-Context Retrieval',
  'Protein Design',
  'Robotic Manipulation',
  'Code Generation',
  'Weather Forecasting',
  'Medical Imaging',
  'Speech Recognition',
  'Machine Translation',
  'Theorem Proving',
  'Anomaly Detection',
  'Recommendation',
  'Autonomous Driving',
  'Molecule Generation',
  'Table Question Answering',
  'Video Understanding',
  'Document Summarization',
  'Time-Series Forecasting',
  'Sign Language Translation',
  'Chip Placement',
  'Climate Downscaling',
  'Legal Reasoning',
  'Satellite Imagery',
  'Music Generation',
  'Math Word Problems',
];
const SYL = ['Ze', 'Kor', 'Lum', 'Vex', 'Tal', 'Ori', 'Nim', 'Qua', 'Ryn', 'Sol', 'Fen', 'Dra', 'Mir', 'Tho'];
const SUFFIX = ['Net', 'Former', 'Bench', 'Flow', 'Gym', 'Mind', 'Scope', 'Forge', 'Lens', 'Path'];

const usedTitles = new Set<string>();
const usedNames = new Set<string>();

function systemName(): string {
  for (;;) {
    const name = `${pick(SYL)}${pick(SYL).toLowerCase()}${pick(SUFFIX)}`;
    if (!usedNames.has(name)) {
      usedNames.add(name);
      return name;
    }
  }
}

function freshTitle(): string {
  for (;;) {
    const templates = [
      () => `${systemName()}: ${pick(ADJ)} ${pick(NOUN)} for ${pick(TASK)}`,
      () => `${pick(ADJ)} ${pick(NOUN)} for ${pick(TASK)}`,
      () =>
        `On the ${pick(['Convergence', 'Expressivity', 'Stability', 'Sample Complexity', 'Robustness'])} of ${pick(ADJ)} ${pick(NOUN)}`,
      () => `Learning ${pick(NOUN)} with ${pick(ADJ)} ${pick(NOUN)}`,
      () => `${systemName()}: Towards ${pick(ADJ)} ${pick(TASK)} at Scale`,
      () => `When Do ${pick(NOUN)} Help ${pick(TASK)}? An Empirical Study`,
    ];
    const title = pick(templates)();
    const key = title.toLowerCase().replace(/[^a-z]/g, '');
    if (!usedTitles.has(key)) {
      usedTitles.add(key);
      return title;
    }
  }
}

const usedAuthors = new Set<string>();
function freshAuthors(n: number): string[] {
  const out: string[] = [];
  while (out.length < n) {
    const name = `${pick(FIRST)} ${pick(LAST)}`;
    // Distinct papers get distinct author keys (first initial + last name) unless a case says otherwise.
    const key = `${name[0]} ${name.split(' ').at(-1)}`;
    if (usedAuthors.has(key)) continue;
    usedAuthors.add(key);
    out.push(name);
  }
  return out;
}

// ---------- variants ----------
const mojibake = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');
const initials = (name: string): string => {
  const parts = name.split(' ');
  return `${parts[0]![0]}. ${parts.slice(1).join(' ')}`;
};
const inverted = (name: string): string => {
  const parts = name.split(' ');
  return `${parts.slice(1).join(' ')}, ${parts[0]}`;
};

type AuthorStyle = 'full' | 'initials' | 'inverted' | 'etal' | 'mojibake' | 'first3';
function authorVariant(authors: readonly string[], style: AuthorStyle): string[] {
  switch (style) {
    case 'full':
      return [...authors];
    case 'initials':
      return authors.map(initials);
    case 'inverted':
      return authors.map(inverted);
    case 'etal':
      return authors.length > 1 ? [`${authors[0]} et al.`] : [...authors];
    case 'mojibake':
      return authors.map(mojibake);
    case 'first3':
      return authors.slice(0, 3);
  }
}

type TitleStyle =
  | 'same'
  | 'lower'
  | 'upper'
  | 'punct'
  | 'dash'
  | 'period'
  | 'entities'
  | 'nosubtitle'
  | 'pdf'
  | 'year'
  | 'flair'
  | 'towards'
  | 'typo'
  | 'hyphen';

function titleVariant(title: string, style: TitleStyle): string {
  switch (style) {
    case 'same':
      return title;
    case 'lower':
      return title.toLowerCase();
    case 'upper':
      return title.toUpperCase();
    case 'punct':
      return title.replace(/: /, ' — ').replace(/-/g, ' ');
    case 'dash':
      return title.replace(/: /, ' - ');
    case 'period':
      return `${title}.`;
    case 'entities':
      return title
        .replace(/ for /, ' &amp; for ')
        .replace(/ & for /, ' for ')
        .replace(/'/g, '&#39;');
    case 'nosubtitle':
      return title.includes(': ') ? title.slice(0, title.indexOf(': ')) : title;
    case 'pdf':
      return `${title} [pdf]`;
    case 'year':
      return `${title} (2026)`;
    case 'flair':
      return `[R] ${title}`;
    case 'towards':
      return title.startsWith('Towards ') ? title : `Towards ${title}`;
    case 'typo': {
      const i = title.search(/[a-z]{6}/);
      if (i < 0) return `${title} `;
      return `${title.slice(0, i + 2)}${title[i + 3]}${title[i + 2]}${title.slice(i + 4)}`;
    }
    case 'hyphen':
      return title.replace(/Self-Supervised/g, 'Self Supervised').replace(/Low-Rank/g, 'Lowrank');
  }
}

// ---------- entries per format ----------
interface Labelled {
  entryKey: string;
  cluster: string;
  note: string;
}
interface ApiEntry {
  id: string;
  version: number;
  title: string;
  authors: string[];
  doi?: string;
}
interface RssEntry {
  id: string;
  version: number;
  title: string;
  authors: string[];
  type: 'new' | 'replace' | 'cross';
}
interface HfEntry {
  id: string;
  title: string;
  authors: string[];
}
interface HnEntry {
  objectID: string;
  title: string;
  url: string;
}
interface RedditEntry {
  id: string;
  title: string;
  url: string;
}
interface BlogEntry {
  guid: string;
  title: string;
  link: string;
  authors: string[];
  description: string;
}
interface AtomEntry {
  id: string;
  title: string;
  link: string;
  authors: string[];
}

interface FileSpec<T> {
  file: string;
  kind: string;
  entries: T[];
  labels: Labelled[];
}
function fileSpec<T>(file: string, kind: string): FileSpec<T> {
  return { file, kind, entries: [], labels: [] };
}

const apiV1 = fileSpec<ApiEntry>('arxiv-api-2026-03-02.xml', 'arxiv-api');
const apiV2 = fileSpec<ApiEntry>('arxiv-api-2026-04-06.xml', 'arxiv-api');
const apiV3 = fileSpec<ApiEntry>('arxiv-api-2026-05-11.xml', 'arxiv-api');
const apiLegacy = fileSpec<ApiEntry>('arxiv-api-legacy-old-ids.xml', 'arxiv-api');
const rss = fileSpec<RssEntry>('arxiv-rss-cs.LG-2026-03-03.xml', 'arxiv-rss');
const rssReplace = fileSpec<RssEntry>('arxiv-rss-cs.LG-2026-04-07.xml', 'arxiv-rss');
const hf = fileSpec<HfEntry>('hf-daily-2026-03-04.json', 'hf-daily');
const hn = fileSpec<HnEntry>('hn-search-2026-03.json', 'hn');
const reddit = fileSpec<RedditEntry>('reddit-r-machinelearning-2026-03.json', 'reddit');
const blog = fileSpec<BlogEntry>('lab-blog.rss.xml', 'rss');
const blog2 = fileSpec<BlogEntry>('reading-group.rss.xml', 'rss');
const conf = fileSpec<AtomEntry>('conference-proceedings.atom.xml', 'atom');

let hnSeq = 47_100_000;
let redditSeq = 0;
const redditId = (): string => (1_800_000 + redditSeq++ * 7919).toString(36);
let arxivSeq = 100;
const newArxivId = (): string =>
  `26${pick(['01', '02', '03'])}.${String(arxivSeq++ * 37 + 10000).padStart(5, '0')}`;
const slug = (title: string): string =>
  title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);

function label<T>(spec: FileSpec<T>, entry: T, entryKey: string, cluster: string, note: string): void {
  spec.entries.push(entry);
  spec.labels.push({ entryKey, cluster, note });
}

// ---------- writers of appearances ----------
function addApi(spec: FileSpec<ApiEntry>, e: ApiEntry, cluster: string, note: string): void {
  label(spec, e, `http://arxiv.org/abs/${e.id}v${e.version}`, cluster, note);
}
function addRss(spec: FileSpec<RssEntry>, e: RssEntry, cluster: string, note: string): void {
  label(spec, e, `oai:arXiv.org:${e.id}v${e.version}`, cluster, note);
}
function addHf(e: HfEntry, cluster: string, note: string): void {
  label(hf, e, e.id, cluster, note);
}
function addHn(title: string, url: string, cluster: string, note: string): void {
  const objectID = String(hnSeq++);
  label(hn, { objectID, title, url }, objectID, cluster, note);
}
function addReddit(title: string, url: string, cluster: string, note: string): void {
  const id = redditId();
  label(reddit, { id, title, url }, `t3_${id}`, cluster, note);
}
function addBlog(
  spec: FileSpec<BlogEntry>,
  title: string,
  link: string,
  authors: string[],
  cluster: string,
  note: string,
  description = 'Notes from our reading group.',
): void {
  const guid = `${spec.file.split('.')[0]}-${spec.entries.length + 1}`;
  label(spec, { guid, title, link, authors, description }, guid, cluster, note);
}
function addConf(title: string, authors: string[], cluster: string, note: string): void {
  const id = `urn:paperwire-test:conf:${conf.entries.length + 1}`;
  label(
    conf,
    { id, title, link: `https://conf.example.org/2026/papers/${slug(title)}`, authors },
    id,
    cluster,
    note,
  );
}

// ---------- 1. arXiv papers across formats ----------
const arxivPapers: { id: string; title: string; authors: string[]; cluster: string }[] = [];
for (let n = 0; n < 60; n++) {
  const id = newArxivId();
  const title = freshTitle();
  const authors = freshAuthors(2 + Math.floor(rand() * 6));
  const cluster = `arxiv:${id}`;
  arxivPapers.push({ id, title, authors, cluster });
  const versions = chance(0.35) ? (chance(0.4) ? 3 : 2) : 1;
  addApi(apiV1, { id, version: 1, title, authors }, cluster, 'api v1');
  if (versions >= 2) {
    // A revised version may polish the title.
    const v2Title = chance(0.3) ? titleVariant(title, pick(['period', 'lower', 'towards'] as const)) : title;
    addApi(
      apiV2,
      {
        id,
        version: 2,
        title: v2Title,
        authors,
        ...(chance(0.3) ? { doi: `10.1145/3${arxivSeq}.${n}` } : {}),
      },
      cluster,
      'api v2',
    );
    addRss(
      rssReplace,
      { id, version: 2, title: v2Title, authors, type: 'replace' },
      cluster,
      'rss replace v2',
    );
  }
  if (versions >= 3) addApi(apiV3, { id, version: 3, title, authors }, cluster, 'api v3');
  if (chance(0.7))
    addRss(rss, { id, version: 1, title, authors, type: chance(0.15) ? 'cross' : 'new' }, cluster, 'rss new');
  if (chance(0.5))
    addHf({ id, title, authors: chance(0.2) ? authors.slice(0, -1) : authors }, cluster, 'hf daily');
  if (chance(0.3)) {
    addBlog(
      blog,
      titleVariant(title, pick(['same', 'lower', 'punct'] as const)),
      `https://doi.org/10.48550/arXiv.${id}`,
      authorVariant(authors, pick(['full', 'etal', 'initials'] as const)),
      cluster,
      'blog links arXiv DOI',
    );
  }
  if (chance(0.3))
    addHn(
      titleVariant(title, pick(['same', 'pdf'] as const)),
      `https://arxiv.org/pdf/${id}v${versions}`,
      cluster,
      'hn links versioned pdf',
    );
  if (chance(0.3))
    addReddit(
      titleVariant(title, 'flair'),
      `https://arxiv.org/abs/${id}v${versions}`,
      cluster,
      'reddit links abs vN',
    );
  // Id-less appearances of an arXiv paper: only near-duplicate matching can join these.
  if (chance(0.25))
    addConf(
      titleVariant(title, pick(['same', 'upper', 'dash', 'nosubtitle'] as const)),
      authorVariant(authors, pick(['full', 'initials', 'mojibake'] as const)),
      cluster,
      'conference, no id',
    );
  if (chance(0.15))
    addHn(
      titleVariant(title, pick(['same', 'pdf', 'lower'] as const)),
      `https://lab${n}.example.edu/papers/${slug(title)}.pdf`,
      cluster,
      'hn lab-site pdf, no id, no authors',
    );
}

// ---------- 2. old-style ids ----------
const oldStyle: { raw: string; canonical: string; alt?: string }[] = [
  { raw: 'hep-th/9901001', canonical: 'hep-th/9901001' },
  { raw: 'math.GT/0309136', canonical: 'math/0309136', alt: 'math/0309136' },
  { raw: 'cond-mat.str-el/0412498', canonical: 'cond-mat/0412498', alt: 'cond-mat/0412498' },
  { raw: 'quant-ph/0201082', canonical: 'quant-ph/0201082' },
  { raw: 'astro-ph/0601001', canonical: 'astro-ph/0601001' },
  { raw: 'gr-qc/0103067', canonical: 'gr-qc/0103067' },
  { raw: 'math.AG/0511234', canonical: 'math/0511234', alt: 'math/0511234' },
  { raw: 'cs.LG/0503050', canonical: 'cs/0503050', alt: 'cs/0503050' },
];
const physicsTitles = [
  'Holographic Renormalization of Anisotropic Gauge Theories',
  'Knot Floer Homology and Rational Surgeries on Links',
  'Spin-Charge Separation in Quasi-One-Dimensional Cuprates',
  'Entanglement Distillation over Noisy Bosonic Channels',
  'Weak Lensing Constraints on Warm Dark Matter Halos',
  'Quasinormal Modes of Slowly Rotating Black Holes',
  'Moduli of Stable Sheaves on Abelian Surfaces',
  'Boosting Decision Stumps under Label Noise',
];
oldStyle.forEach((o, i) => {
  const title = physicsTitles[i]!;
  const authors = freshAuthors(1 + Math.floor(rand() * 3));
  const cluster = `arxiv:${o.canonical}`;
  addApi(apiLegacy, { id: o.raw, version: 1, title, authors }, cluster, 'legacy api, old-style id');
  if (i % 2 === 0)
    addApi(
      apiLegacy,
      { id: o.raw, version: 2, title, authors },
      cluster,
      'legacy api v2 (second capture row)',
    );
  addBlog(
    blog2,
    titleVariant(title, i % 3 === 0 ? 'lower' : 'same'),
    `https://arxiv.org/abs/${o.alt ?? o.raw}`,
    authorVariant(authors, 'initials'),
    cluster,
    'blog links old-style id (canonical form)',
  );
  if (i % 2 === 1) addHn(title, `https://arxiv.org/pdf/${o.raw}v2`, cluster, 'hn pdf old-style id');
  if (i % 4 === 0)
    addBlog(
      blog,
      title,
      `https://example.org/notes/${slug(title)}`,
      authors,
      cluster,
      'blog mentions bare old-style id',
      `Classic: see ${o.raw}v1.`,
    );
});

// ---------- 3. id-less papers (blogs, conference, HN, Reddit) ----------
const webStyles: TitleStyle[] = [
  'same',
  'lower',
  'punct',
  'dash',
  'period',
  'entities',
  'nosubtitle',
  'hyphen',
  'towards',
  'typo',
];
for (let n = 0; n < 45; n++) {
  let title = freshTitle();
  if (n % 9 === 0) title = title.replace(/^(\S+)/, '$1 of Rényi Entropies and');
  if (n % 11 === 0) title = `$\\beta$-${title}`;
  const authors = freshAuthors(1 + Math.floor(rand() * 5));
  const cluster = `web:${slug(title)}`;
  const pdf = `https://lab${100 + n}.example.edu/pubs/${slug(title)}.pdf`;
  addConf(title, authorVariant(authors, n % 7 === 0 ? 'mojibake' : 'full'), cluster, 'conference original');
  const displayVariant = title.replace('$\\beta$', 'β').replace('Rényi', "R\\'{e}nyi");
  addBlog(
    blog,
    titleVariant(displayVariant, pick(webStyles)),
    pdf,
    authorVariant(authors, pick(['full', 'initials', 'etal', 'first3'] as const)),
    cluster,
    'lab blog variant',
  );
  if (chance(0.5))
    addBlog(
      blog2,
      titleVariant(title, pick(webStyles)),
      `https://reading.example.com/${slug(title)}`,
      authorVariant(authors, pick(['full', 'initials', 'inverted', 'mojibake'] as const)),
      cluster,
      'reading group variant',
    );
  if (chance(0.5))
    addHn(
      titleVariant(title, pick(['same', 'pdf', 'year', 'lower'] as const)),
      pdf,
      cluster,
      'hn lab pdf, no authors',
    );
  if (chance(0.4))
    addReddit(
      titleVariant(title, pick(['flair', 'same', 'year'] as const)),
      pdf,
      cluster,
      'reddit lab pdf, no authors',
    );
}

// ---------- 4. near-miss non-duplicates ----------
// Part I / Part II (same authors, also id-less).
for (let n = 0; n < 5; n++) {
  const base = freshTitle().replace(/:.*$/, '');
  const authors = freshAuthors(2);
  const roman = n % 2 === 0;
  for (const part of [1, 2]) {
    const t = `${base}, Part ${roman ? (part === 1 ? 'I' : 'II') : part}`;
    const cluster = `web:${slug(base)}-part-${part}`;
    addConf(t, authors, cluster, `part ${part} (near miss)`);
    addBlog(
      blog,
      t.toLowerCase(),
      `https://series.example.org/${slug(t)}`,
      authorVariant(authors, 'initials'),
      cluster,
      `part ${part} blog`,
    );
    if (n < 3) addHn(t, `https://series.example.org/${slug(t)}.pdf`, cluster, `part ${part} hn, no authors`);
  }
}
// Numbered models and sizes (same group).
const numbered: [string, string][] = [
  ['Kora-3: Language Models are Few-Shot Planners', 'Kora-4: Language Models are Few-Shot Planners'],
  [
    'Scaling ResNet-50 Training to Thousands of Accelerators',
    'Scaling ResNet-101 Training to Thousands of Accelerators',
  ],
  [
    'Vexflow 2: Faster Attention with Better Parallelism',
    'Vexflow 3: Faster Attention with Better Parallelism',
  ],
  ['Llamo-7B: An Open Instruction-Following Model', 'Llamo-13B: An Open Instruction-Following Model'],
  ['Benchmarking Agents on 100 Household Tasks', 'Benchmarking Agents on 1000 Household Tasks'],
  ['YolonetV2: Real-Time Detection of Small Objects', 'YolonetV3: Real-Time Detection of Small Objects'],
];
numbered.forEach(([a, b], i) => {
  const authors = freshAuthors(3);
  for (const [t, tag] of [
    [a, 'a'],
    [b, 'b'],
  ] as const) {
    const cluster = `web:numbered-${i}-${tag}`;
    addConf(t, authors, cluster, 'numbered (near miss)');
    addBlog(
      blog2,
      titleVariant(t, 'punct'),
      `https://models.example.ai/${slug(t)}`,
      authorVariant(authors, 'etal'),
      cluster,
      'numbered blog',
    );
    if (i % 2 === 0)
      addReddit(
        titleVariant(t, 'flair'),
        `https://models.example.ai/${slug(t)}.pdf`,
        cluster,
        'numbered reddit, no authors',
      );
  }
});
// One arXiv pair with a number difference: different ids, and an id-less blog of each.
{
  const authors = freshAuthors(4);
  for (const v of ['3', '4']) {
    const id = newArxivId();
    const t = `Orion-${v} Technical Report: Multilingual Reasoning at Scale`;
    const cluster = `arxiv:${id}`;
    addApi(apiV1, { id, version: 1, title: t, authors }, cluster, 'numbered arXiv');
    addHf({ id, title: t, authors }, cluster, 'numbered hf');
    addBlog(
      blog,
      t,
      `https://orion.example.ai/blog/orion-${v}`,
      authorVariant(authors, 'etal'),
      cluster,
      'numbered blog, no id',
    );
  }
}
// Same title, different authors.
for (let n = 0; n < 6; n++) {
  const title = freshTitle();
  for (const who of ['a', 'b']) {
    const authors = freshAuthors(2 + (n % 3));
    const cluster = `web:${slug(title)}-${who}`;
    addConf(title, authors, cluster, 'same title, different authors');
    addBlog(
      who === 'a' ? blog : blog2,
      titleVariant(title, 'lower'),
      `https://${who}.example.net/${slug(title)}`,
      authorVariant(authors, 'initials'),
      cluster,
      'same title other venue',
    );
  }
}
// A generic survey title shared by two papers, and an author-less HN post of one of them: ambiguous.
{
  const title = 'A Survey of Large Language Models for Scientific Discovery';
  for (const who of ['a', 'b']) {
    const authors = freshAuthors(3);
    const cluster = `web:llm-survey-${who}`;
    addConf(title, authors, cluster, 'same generic title');
    addBlog(
      blog2,
      title,
      `https://${who}.survey.example/${who}.pdf`,
      authorVariant(authors, 'etal'),
      cluster,
      'same generic title blog',
    );
  }
  addHn(
    title,
    'https://a.survey.example/a.pdf',
    'web:llm-survey-a',
    'author-less HN matching two papers (ambiguous)',
  );
}
// Short generic titles.
const generic = [
  'Introduction',
  'Editorial',
  'Preface',
  'Foreword',
  'Concluding Remarks',
  'Guest Editorial',
  'Book Review',
];
generic.forEach((t, i) => {
  for (const who of ['a', 'b']) {
    const authors = freshAuthors(1);
    addConf(t, authors, `web:generic-${i}-${who}`, 'short generic title');
  }
  addHn(t, `https://journal.example.org/generic-${i}.pdf`, `web:generic-${i}-hn`, 'short generic title, hn');
});
// The same short title by the same editor in two volumes (two different pieces).
{
  const [editor] = freshAuthors(1);
  addConf('Introduction', [editor!], 'web:intro-vol1', 'same first author, generic title, vol 1');
  addBlog(
    blog2,
    'Introduction',
    'https://journal.example.org/vol2/intro',
    [editor!],
    'web:intro-vol2',
    'same first author, generic title, vol 2',
  );
}
// Derivative works of catalogue papers: erratum, comment, reply, survey of, follow-up of one group.
arxivPapers.slice(0, 6).forEach((p, i) => {
  const core = p.title;
  const derived = [
    { t: `Erratum: ${core}`, authors: p.authors },
    { t: `Comment on "${core}"`, authors: freshAuthors(2) },
    { t: `Reply to Comment on "${core}"`, authors: p.authors },
    { t: `${core.replace(/:.*$/, '')}: A Survey`, authors: p.authors },
    { t: `${core} (Extended Abstract) Supplementary Material`, authors: p.authors },
    { t: `${core}: Reply`, authors: p.authors },
  ][i]!;
  addConf(derived.t, derived.authors, `web:derived-${i}`, 'derivative work (near miss)');
});
arxivPapers.slice(6, 12).forEach((p, i) => {
  // A follow-up by the same group: one task word changed.
  const task = TASK.find((t) => !p.title.includes(t))!;
  const other = p.title.replace(/for .*$/, `for ${task}`);
  const t = other === p.title ? `${p.title} for ${task}` : other;
  addConf(t, p.authors.slice(0, 2), `web:followup-${i}`, 'follow-up, same group (near miss)');
});

// ---------- serialisation ----------
const xml = (s: string): string =>
  s
    .replace(/&(?![a-z]+;|#\d+;)/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
const xmlRaw = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const day = (i: number): string =>
  new Date(Date.UTC(2026, 2, 2 + (i % 28), 9, 0, 0)).toISOString().replace('.000Z', 'Z');
const rfc822 = (i: number): string => new Date(Date.UTC(2026, 2, 2 + (i % 28), 9, 0, 0)).toUTCString();
const abstract = (title: string): string =>
  `We study ${title.toLowerCase()}. Experiments on three benchmarks show consistent gains.`;

function apiXml(spec: FileSpec<ApiEntry>, legacy: boolean): string {
  const entries = spec.entries.map((e, i) => {
    const ns = legacy ? ' xmlns:arxiv="http://arxiv.org/schemas/atom"' : '';
    return `  <entry>
    <id>http://arxiv.org/abs/${e.id}v${e.version}</id>
    <title>${xml(e.title)}</title>
    <updated>${day(i + e.version * 30)}</updated>
    <link href="https://arxiv.org/abs/${e.id}v${e.version}" rel="alternate" type="text/html"/>
    <link href="https://arxiv.org/pdf/${e.id}v${e.version}" rel="related" type="application/pdf" title="pdf"/>
    <summary>${xml(abstract(e.title))}</summary>
    <category term="cs.LG" scheme="http://arxiv.org/schemas/atom"/>
    <published>${day(i)}</published>
    <arxiv:primary_category${ns} term="cs.LG"/>${e.doi ? `\n    <arxiv:doi${ns}>${e.doi}</arxiv:doi>` : ''}
${e.authors.map((a) => `    <author>\n      <name>${xml(a)}</name>\n    </author>`).join('\n')}
  </entry>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom">
  <id>https://arxiv.org/api/paperwire-dedup-eval</id>
  <title>arXiv Query: search_query=cat:cs.LG&amp;id_list=&amp;start=0&amp;max_results=${spec.entries.length}</title>
  <updated>2026-03-02T00:00:00Z</updated>
  <link href="https://arxiv.org/api/query?search_query=cat:cs.LG&amp;id_list=&amp;start=0&amp;max_results=${spec.entries.length}" type="application/atom+xml"/>
  <opensearch:itemsPerPage>${spec.entries.length}</opensearch:itemsPerPage>
  <opensearch:totalResults>${spec.entries.length}</opensearch:totalResults>
  <opensearch:startIndex>0</opensearch:startIndex>
${entries.join('\n')}
</feed>
`;
}

const arxivRssXml = (spec: FileSpec<RssEntry>): string => arxivRssPayload(spec.entries);

function hfJson(spec: FileSpec<HfEntry>): string {
  const items = spec.entries.map((e, i) => ({
    paper: {
      id: e.id,
      authors: e.authors.map((name, j) => ({
        _id: `65f0${String(i).padStart(4, '0')}${String(j).padStart(4, '0')}`,
        name,
        hidden: false,
      })),
      publishedAt: '2026-03-03T00:00:00.000Z',
      submittedOnDailyAt: '2026-03-04T00:00:00.000Z',
      title: e.title,
      summary: abstract(e.title),
      upvotes: (i * 7) % 41,
      discussionId: `65f1${String(i).padStart(8, '0')}`,
    },
    publishedAt: '2026-03-03T20:00:00.000Z',
    title: e.title,
    summary: abstract(e.title),
    thumbnail: `https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/${e.id}.png`,
    numComments: i % 4,
    isAuthorParticipating: i % 3 === 0,
  }));
  return `${JSON.stringify(items)}\n`;
}

function hnJson(spec: FileSpec<HnEntry>): string {
  const hits = spec.entries.map((e, i) => ({
    _tags: ['story', `author_user${i}`, `story_${e.objectID}`],
    author: `user${i}`,
    created_at: day(i),
    created_at_i: Math.floor(Date.parse(day(i)) / 1000),
    num_comments: (i * 3) % 17,
    objectID: e.objectID,
    points: (i * 11) % 97,
    story_id: Number(e.objectID),
    title: e.title,
    updated_at: day(i),
    url: e.url,
  }));
  return `${JSON.stringify({ hits, nbHits: hits.length, page: 0, nbPages: 1, hitsPerPage: hits.length, params: 'query=paper&tags=story' })}\n`;
}

function redditJson(spec: FileSpec<RedditEntry>): string {
  const children = spec.entries.map((e, i) => ({
    kind: 't3',
    data: {
      subreddit: 'MachineLearning',
      selftext: '',
      title: e.title,
      name: `t3_${e.id}`,
      id: e.id,
      score: (i * 13) % 211,
      num_comments: (i * 5) % 31,
      // Without raw_json=1 Reddit escapes `&` in URLs.
      url: e.url.replace(/&/g, '&amp;'),
      permalink: `/r/MachineLearning/comments/${e.id}/${slug(e.title).slice(0, 40)}/`,
      created_utc: Math.floor(Date.parse(day(i)) / 1000),
      is_self: false,
    },
  }));
  return `${JSON.stringify({ kind: 'Listing', data: { after: null, dist: children.length, children, before: null } }, null, 1)}\n`;
}

function blogXml(spec: FileSpec<BlogEntry>, title: string): string {
  const items = spec.entries.map(
    (e, i) => `    <item>
      <title>${xml(e.title)}</title>
      <link>${xmlRaw(e.link)}</link>
      <guid isPermaLink="false">${e.guid}</guid>${e.authors.length > 0 ? `\n      <dc:creator>${xml(e.authors.join(e.authors.some((a) => a.includes(',')) ? '; ' : ', '))}</dc:creator>` : ''}
      <pubDate>${rfc822(i)}</pubDate>
      <description>${xmlRaw(`<p>${e.description}</p>`)}</description>
    </item>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>${title}</title>
    <link>https://${spec.file.split('.')[0]}.example.org/</link>
    <description>A hand-written feed for Paperwire's near-duplicate evaluation.</description>
${items.join('\n')}
  </channel>
</rss>
`;
}

function confAtom(spec: FileSpec<AtomEntry>): string {
  const entries = spec.entries.map(
    (e, i) => `  <entry>
    <id>${e.id}</id>
    <title type="html">${xml(e.title)}</title>
    <link rel="alternate" href="${xmlRaw(e.link)}"/>
    <published>${day(i)}</published>
    <updated>${day(i)}</updated>
${e.authors.map((a) => `    <author><name>${xml(a)}</name></author>`).join('\n')}
    <summary>Accepted paper.</summary>
  </entry>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>urn:paperwire-test:conf</id>
  <title>Proceedings of the Paperwire Test Conference 2026</title>
  <updated>2026-03-30T00:00:00Z</updated>
${entries.join('\n')}
</feed>
`;
}

mkdirSync(OUT, { recursive: true });
const outputs: [FileSpec<unknown>, string][] = [
  [apiV1 as FileSpec<unknown>, apiXml(apiV1, false)],
  [apiV2 as FileSpec<unknown>, apiXml(apiV2, false)],
  [apiV3 as FileSpec<unknown>, apiXml(apiV3, false)],
  [apiLegacy as FileSpec<unknown>, apiXml(apiLegacy, true)],
  [rss as FileSpec<unknown>, arxivRssXml(rss)],
  [rssReplace as FileSpec<unknown>, arxivRssXml(rssReplace)],
  [hf as FileSpec<unknown>, hfJson(hf)],
  [hn as FileSpec<unknown>, hnJson(hn)],
  [reddit as FileSpec<unknown>, redditJson(reddit)],
  [blog as FileSpec<unknown>, blogXml(blog, 'Paperwire test lab — papers we read')],
  [blog2 as FileSpec<unknown>, blogXml(blog2, 'Reading group notes')],
  [conf as FileSpec<unknown>, confAtom(conf)],
];
const labels = {
  description:
    'Ground truth for `npm run eval:dedup`: each entry (file + entryKey as the adapter reports it) → the paper it is. Generated by test/eval/dedup/generate-fixtures.ts.',
  files: outputs.map(([spec]) => ({ file: spec.file, kind: spec.kind })),
  entries: outputs.flatMap(([spec]) => spec.labels.map((l) => ({ file: spec.file, ...l }))),
};
for (const [spec, body] of outputs) writeFileSync(join(OUT, spec.file), body);
writeFileSync(join(OUT, 'labels.json'), `${JSON.stringify(labels, null, 1)}\n`);
const clusters = new Set(labels.entries.map((e) => e.cluster));
console.log(
  `dedup fixtures: ${labels.entries.length} entries, ${clusters.size} papers, ${outputs.length} files`,
);
for (const [spec] of outputs) console.log(`  ${spec.file} (${spec.kind}): ${spec.entries.length}`);
