// The benchmark corpus: seeded (mulberry32), so one seed and size always give byte-identical payloads.
// `feedsPerKind` feeds of every kind Paperwire parses (arXiv RSS, arXiv API, HF daily JSON, HN Algolia
// JSON, Reddit JSON, a generic RSS blog, a generic Atom feed) holding `entries` entries in all:
//  - ~65% first appearances: arXiv papers (first seen in arXiv RSS, arXiv API or HF) and a few id-less
//    web-only papers (RSS/Atom with authors);
//  - ~30% cross-source duplicates of arXiv papers: HF, HN and Reddit links, blog posts linking the abs page
//    or the 10.48550 DOI, Atom entries, arXiv API revisions (v2, v3) and arXiv RSS replacements;
//  - ~5% near-duplicates: id-less RSS/Atom entries whose title differs from the arXiv paper's (case,
//    punctuation) by the same authors.
// Every entry carries the paper it really is (`paper`), so a run can be checked against the truth.
// `stormed()` returns the social feeds (HF, HN, Reddit) again with changed signals: the signal storm.

import { type Feed, feedIdFor } from '@paperwire/core';
import { sourceOfKind } from '@paperwire/sources';
import { mulberry32 } from '../support/random.ts';
import {
  type ArxivApiEntry,
  type ArxivRssEntry,
  type AtomEntry,
  arxivApiXml,
  arxivRssXml,
  atomXml,
  type BlogEntry,
  blogRssXml,
  type HfEntry,
  type HnEntry,
  hfJson,
  hnJson,
  type RedditEntry,
  redditJson,
} from './formats.ts';

export const KINDS = ['arxiv-rss', 'arxiv-api', 'hf-daily', 'hn', 'reddit', 'rss', 'atom'] as const;
export type BenchKind = (typeof KINDS)[number];
const SOCIAL: readonly BenchKind[] = ['hf-daily', 'hn', 'reddit'];

export const DUPLICATE_SHARE = 0.3;
export const NEAR_DUPLICATE_SHARE = 0.05;
/** Share of first appearances that are id-less web-only papers. */
const WEB_ONLY_SHARE = 0.05;

type EntryOf = {
  'arxiv-rss': ArxivRssEntry;
  'arxiv-api': ArxivApiEntry;
  'hf-daily': HfEntry;
  hn: HnEntry;
  reddit: RedditEntry;
  rss: BlogEntry;
  atom: AtomEntry;
};

export interface CorpusFeed<K extends BenchKind = BenchKind> {
  /** Server path, e.g. `/hf-daily/2.json`. */
  path: string;
  kind: K;
  contentType: string;
  entries: EntryOf[K][];
  /** Ground truth: the paper each entry (same index) is. */
  papers: string[];
}

export interface Corpus {
  seed: number;
  feeds: CorpusFeed[];
  entries: number;
  /** Distinct papers (the expected stored set). */
  papers: number;
  counts: { firstAppearances: number; duplicates: number; nearDuplicates: number; webOnly: number };
  body(feed: CorpusFeed): string;
  /** The social feeds with every entry's signals raised, as a second version of their payloads. */
  stormed(): CorpusFeed[];
}

interface Paper {
  key: string;
  arxivId?: string;
  title: string;
  authors: string[];
  version: number;
  day: number;
  /** Feed paths this paper already appears in. */
  feeds: Set<string>;
}

const SYL = ['Ze', 'Kor', 'Lum', 'Vex', 'Tal', 'Ori', 'Nim', 'Qua', 'Ryn', 'Sol', 'Fen', 'Dra', 'Mir', 'Tho'];
const WORD_SYL = [
  'ba',
  'ce',
  'di',
  'fo',
  'gu',
  'ha',
  'je',
  'ki',
  'lo',
  'mu',
  'na',
  're',
  'si',
  'to',
  'vu',
  'wa',
  'xe',
  'yo',
  'zu',
  'pra',
  'ste',
  'tri',
  'qua',
  'bel',
  'dor',
  'fin',
  'gar',
  'lin',
  'mor',
  'sen',
];
const SUFFIX = ['Net', 'Former', 'Bench', 'Flow', 'Gym', 'Mind', 'Scope', 'Forge', 'Lens', 'Path'];
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
  'Multimodal',
  'Probabilistic',
  'Interpretable',
];
const TASK = [
  'Long-Context Reasoning',
  'Protein Design',
  'Robot Manipulation',
  'Code Generation',
  'Weather Forecasting',
  'Tabular Learning',
  'Speech Recognition',
  'Medical Imaging',
  'Theorem Proving',
  'Video Understanding',
  'Recommendation',
  'Machine Translation',
];
const FIRST = ['Ada', 'Alan', 'Grace', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Leslie', 'Radia', 'Shafi'];
const FIRST2 = ['Mei', 'Hiroshi', 'Amara', 'Mateus', 'Ingrid', 'Dmitri', 'Priya', 'Kwame', 'Noor', 'Elif'];
const LAST = [
  'Lovelace',
  'Turing',
  'Hopper',
  'Dijkstra',
  'Liskov',
  'Knuth',
  'Allen',
  'Lamport',
  'Perlman',
  'Goldwasser',
  'Okafor',
  'Mensah',
  'Andersson',
  'Petrov',
  'Sharma',
  'Nakamura',
  'Herrera',
  'Haddad',
  'Rahman',
  'Nielsen',
];

const CONTENT_TYPE: Record<BenchKind, string> = {
  'arxiv-rss': 'application/rss+xml; charset=utf-8',
  'arxiv-api': 'application/atom+xml; charset=utf-8',
  'hf-daily': 'application/json; charset=utf-8',
  hn: 'application/json; charset=utf-8',
  reddit: 'application/json; charset=utf-8',
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
};
const EXT: Record<BenchKind, string> = {
  'arxiv-rss': 'xml',
  'arxiv-api': 'xml',
  'hf-daily': 'json',
  hn: 'json',
  reddit: 'json',
  rss: 'xml',
  atom: 'xml',
};

export interface CorpusOptions {
  seed: number;
  entries: number;
  feedsPerKind: number;
}

export function generateCorpus({ seed, entries, feedsPerKind }: CorpusOptions): Corpus {
  const rand = mulberry32(seed);
  const int = (n: number) => Math.floor(rand() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;

  const feeds: CorpusFeed[] = KINDS.flatMap((kind) =>
    Array.from({ length: feedsPerKind }, (_, i) => ({
      path: `/${kind}/${i}.${EXT[kind]}`,
      kind,
      contentType: CONTENT_TYPE[kind],
      entries: [],
      papers: [],
    })),
  );
  const feedsOf = (kind: BenchKind) => feeds.filter((f) => f.kind === kind);
  const add = <K extends BenchKind>(kind: K, paper: Paper, entry: EntryOf[K]): boolean => {
    const free = feedsOf(kind).filter((f) => !paper.feeds.has(f.path));
    if (free.length === 0) return false;
    const feed = pick(free) as CorpusFeed<K>;
    feed.entries.push(entry);
    feed.papers.push(paper.key);
    paper.feeds.add(feed.path);
    return true;
  };

  // Titles: a unique made-up system name per paper (index-derived, so no two collide) and made-up words
  // around a few real ones. Real titles rarely share long phrases; titles drawn from a small vocabulary
  // would share LSH bands far more often than real ones, and so contend for the same band locks.
  let serial = 0;
  const word = () => {
    const w = Array.from({ length: 2 + int(2) }, () => pick(WORD_SYL)).join('');
    return w.charAt(0).toUpperCase() + w.slice(1);
  };
  const freshTitle = (): string => {
    const n = serial++;
    const syl = (k: number) => SYL[Math.floor(n / 14 ** k) % 14]!;
    const name = `${syl(0)}${syl(1).toLowerCase()}${syl(2).toLowerCase()}${n >= 14 ** 3 ? syl(3).toLowerCase() : ''}${SUFFIX[int(SUFFIX.length)]!}`;
    return `${name}: ${pick(ADJ)} ${word()} ${word()} for ${word()} ${pick(TASK)}`;
  };
  const author = () =>
    `${pick(rand() < 0.5 ? FIRST : FIRST2)} ${String.fromCharCode(65 + int(26))}. ${pick(LAST)}`;
  const freshAuthors = () => [...new Set(Array.from({ length: 2 + int(3) }, author))];
  let arxivSeq = 0;
  // Ids spread over months 2601..2612 so the numbers look like real 5-digit ids.
  const newArxivId = () => {
    const n = arxivSeq++;
    return `26${String(1 + (n % 12)).padStart(2, '0')}.${String(10_000 + Math.floor(n / 12)).padStart(5, '0')}`;
  };
  let socialSeq = 0;

  const nearDuplicates = Math.round(entries * NEAR_DUPLICATE_SHARE);
  const duplicates = Math.round(entries * DUPLICATE_SHARE);
  const firstAppearances = entries - nearDuplicates - duplicates;
  const webOnly = Math.round(firstAppearances * WEB_ONLY_SHARE);

  const papers: Paper[] = [];
  const arxivPapers: Paper[] = [];
  const newPaper = (arxiv: boolean): Paper => {
    const paper: Paper = {
      key: `p${papers.length}`,
      title: freshTitle(),
      authors: freshAuthors(),
      version: 1,
      day: int(28),
      feeds: new Set(),
      ...(arxiv ? { arxivId: newArxivId() } : {}),
    };
    papers.push(paper);
    if (arxiv) arxivPapers.push(paper);
    return paper;
  };

  // 1. First appearances.
  for (let i = 0; i < firstAppearances; i++) {
    if (i < webOnly) {
      const p = newPaper(false);
      const kind = rand() < 0.5 ? 'rss' : 'atom';
      const link = `https://lab.example.org/papers/${p.key}`;
      if (kind === 'rss')
        add('rss', p, { guid: `post-${p.key}`, title: p.title, link, authors: p.authors, day: p.day });
      else add('atom', p, { id: `urn:bench:${p.key}`, title: p.title, link, authors: p.authors, day: p.day });
      continue;
    }
    const p = newPaper(true);
    const id = p.arxivId!;
    const r = rand();
    if (r < 0.45) add('arxiv-rss', p, { id, version: 1, title: p.title, authors: p.authors, type: 'new' });
    else if (r < 0.8)
      add('arxiv-api', p, {
        id,
        version: 1,
        title: p.title,
        authors: p.authors,
        day: p.day,
        ...(rand() < 0.3 ? { doi: `10.48550/arXiv.${id}` } : {}),
      });
    else add('hf-daily', p, hfEntry(p));
  }

  function hfEntry(p: Paper): HfEntry {
    return {
      id: p.arxivId!,
      title: p.title,
      authors: p.authors,
      upvotes: int(60),
      comments: int(6),
      day: p.day,
    };
  }

  // 2. Cross-source duplicates, versions and revisions of arXiv papers.
  const DUP_KINDS: readonly BenchKind[] = [
    'hf-daily',
    'hn',
    'reddit',
    'rss',
    'atom',
    'arxiv-api',
    'arxiv-rss',
  ];
  let placed = 0;
  for (let attempts = 0; placed < duplicates && attempts < duplicates * 20; attempts++) {
    const p = pick(arxivPapers);
    const id = p.arxivId!;
    const kind = pick(DUP_KINDS);
    let ok = false;
    switch (kind) {
      case 'hf-daily':
        ok = add('hf-daily', p, hfEntry(p));
        break;
      case 'hn': {
        const url = rand() < 0.5 ? `https://arxiv.org/abs/${id}` : `https://arxiv.org/pdf/${id}v${p.version}`;
        ok = add('hn', p, {
          objectID: String(40_000_000 + socialSeq++),
          title: p.title,
          url,
          points: int(300),
          comments: int(80),
          day: p.day,
        });
        break;
      }
      case 'reddit':
        ok = add('reddit', p, {
          id: (1_800_000 + socialSeq++ * 7919).toString(36),
          title: `[R] ${p.title}`,
          url: `https://arxiv.org/abs/${id}`,
          score: int(500),
          comments: int(90),
          day: p.day,
        });
        break;
      case 'rss':
        ok = add('rss', p, {
          guid: `dup-${p.key}-${socialSeq++}`,
          title: p.title,
          link: rand() < 0.5 ? `https://doi.org/10.48550/arXiv.${id}` : `https://arxiv.org/abs/${id}`,
          authors: p.authors,
          day: p.day,
        });
        break;
      case 'atom':
        ok = add('atom', p, {
          id: `urn:bench:dup-${p.key}-${socialSeq++}`,
          title: p.title,
          link: `https://arxiv.org/abs/${id}`,
          authors: p.authors,
          day: p.day,
        });
        break;
      case 'arxiv-api':
        // A revision: the next version of the paper.
        if (p.version < 3) {
          ok = add('arxiv-api', p, {
            id,
            version: p.version + 1,
            title: p.title,
            authors: p.authors,
            day: p.day,
          });
          if (ok) p.version++;
        }
        break;
      case 'arxiv-rss':
        if (p.version < 3) {
          ok = add('arxiv-rss', p, {
            id,
            version: p.version + 1,
            title: p.title,
            authors: p.authors,
            type: 'replace',
          });
          if (ok) p.version++;
        } else {
          ok = add('arxiv-rss', p, {
            id,
            version: p.version,
            title: p.title,
            authors: p.authors,
            type: 'cross',
          });
        }
        break;
    }
    if (ok) placed++;
  }
  if (placed < duplicates)
    throw new Error(`bench corpus: placed ${placed} of ${duplicates} duplicates (too few feeds?)`);

  // 3. Near-duplicate titles: id-less blog/Atom entries of an arXiv paper, same authors.
  const variants = [
    (t: string) => t.toLowerCase(),
    (t: string) => t.replace(': ', ' - '),
    (t: string) => `${t}.`,
    (t: string) => t.toUpperCase(),
  ];
  placed = 0;
  for (let attempts = 0; placed < nearDuplicates && attempts < nearDuplicates * 20; attempts++) {
    const p = pick(arxivPapers);
    const title = pick(variants)(p.title);
    const n = socialSeq++;
    const link = `https://reading-group.example.org/notes/${n}`;
    const ok =
      rand() < 0.5
        ? add('rss', p, { guid: `note-${n}`, title, link, authors: p.authors, day: p.day })
        : add('atom', p, { id: `urn:bench:note-${n}`, title, link, authors: p.authors, day: p.day });
    if (ok) placed++;
  }
  if (placed < nearDuplicates)
    throw new Error(`bench corpus: placed ${placed} of ${nearDuplicates} near-duplicates`);

  const body = (feed: CorpusFeed): string => {
    const title = `Bench ${feed.path}`;
    switch (feed.kind) {
      case 'arxiv-rss':
        return arxivRssXml(feed.entries as ArxivRssEntry[]);
      case 'arxiv-api':
        return arxivApiXml(feed.entries as ArxivApiEntry[]);
      case 'hf-daily':
        return hfJson(feed.entries as HfEntry[]);
      case 'hn':
        return hnJson(feed.entries as HnEntry[]);
      case 'reddit':
        return redditJson(feed.entries as RedditEntry[]);
      case 'rss':
        return blogRssXml(feed.entries as BlogEntry[], title);
      case 'atom':
        return atomXml(feed.entries as AtomEntry[], title);
    }
  };

  const stormed = (): CorpusFeed[] => {
    const storm = mulberry32(seed ^ 0x5f0_57a9);
    const bump = (n: number) => n + 1 + Math.floor(storm() * 50);
    return feeds
      .filter((f) => SOCIAL.includes(f.kind))
      .map((f) => ({
        ...f,
        entries: f.entries.map((e) => {
          if (f.kind === 'hf-daily') {
            const h = e as HfEntry;
            return { ...h, upvotes: bump(h.upvotes), comments: h.comments + 1 };
          }
          if (f.kind === 'hn') {
            const h = e as HnEntry;
            return { ...h, points: bump(h.points), comments: h.comments + 1 };
          }
          const r = e as RedditEntry;
          return { ...r, score: bump(r.score), comments: r.comments + 1 };
        }),
      }));
  };

  return {
    seed,
    feeds,
    entries: feeds.reduce((n, f) => n + f.entries.length, 0),
    papers: papers.length,
    counts: { firstAppearances, duplicates, nearDuplicates, webOnly },
    body,
    stormed,
  };
}

/**
 * The registry record of a corpus feed served at `url`, for writing straight into `feeds` (`feeds add`
 * would also start a job scheduler, whose first run would fetch before a measurement or a fault starts).
 */
export function corpusFeedRecord(kind: BenchKind, url: string, createdAt: string): Feed {
  return {
    _id: feedIdFor(kind, url),
    url,
    kind,
    source: sourceOfKind(kind),
    intervalMinutes: 60,
    enabled: true,
    createdAt,
    state: {},
    health: { status: 'new', consecutiveFailures: 0 },
  };
}
