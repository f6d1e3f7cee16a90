// `npm run eval:dedup`: precision, recall and F1 of the resolver's merge decisions (exact identity keys,
// then near-duplicates) against ground truth, measured on
//   1. our labelled set, test/fixtures/dedup/ (payload files + labels.json, see generate-fixtures.ts), and
//   2. the real captures in ../shared/fixtures/real/ when present. Their ground truth is the arXiv id (or
//      DOI) an entry carries, which is authoritative; entries without any id are papers of their own.
// Pairwise metrics: a pair of entries is predicted-same when the resolver put them in one paper and
// truly-same when their labels agree. "Near-duplicate-only" pairs are those that exact identity keys alone
// do not join: the pairs this feature exists for. Each set is resolved in file order and in reverse order
// (the resolver is incremental, so arrival order could matter). Exits 1 when precision < 0.995 or recall
// < 0.98 on any run. Reads files; writes nothing but stdout.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type FeedKind, normaliseEntry, type Observation } from '@paperwire/core';
import { parsePayload } from '@paperwire/sources';
import {
  clusterObservations,
  DEFAULT_DEDUP_THRESHOLDS,
  type DedupThresholds,
} from '../../../shared/core/src/dedup/index.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../../..');
const LABELLED_DIR = join(REPO, 'test/fixtures/dedup');
const REAL_DIR = resolve(REPO, '../shared/fixtures/real');
const FETCHED_AT = '2026-03-31T00:00:00.000Z';
const TARGET = { precision: 0.995, recall: 0.98 };

interface Item {
  obs: Observation;
  kind: FeedKind;
  label: string;
}

interface LabelsFile {
  files: { file: string; kind: FeedKind }[];
  entries: { file: string; entryKey: string; cluster: string; note: string }[];
}

async function parseFile(dir: string, file: string, kind: FeedKind, feedId: string): Promise<Observation[]> {
  let body = readFileSync(join(dir, file), 'utf8');
  // arxiv.py recordings wrap the Atom response: {"url", "status_code", "body"}.
  if (kind === 'arxiv-api' && file.endsWith('.json')) body = (JSON.parse(body) as { body: string }).body;
  const parsed = await parsePayload(kind, body, { feedId, fetchedAt: FETCHED_AT });
  const out: Observation[] = [];
  for (const entry of parsed.entries) {
    const r = normaliseEntry(entry);
    if (r.ok) out.push(r.observation);
    else console.warn(`  skipped ${feedId} ${entry.provenance.entryKey}: ${r.reason}`);
  }
  return out;
}

async function loadLabelled(): Promise<Item[]> {
  const labels = JSON.parse(readFileSync(join(LABELLED_DIR, 'labels.json'), 'utf8')) as LabelsFile;
  const byKey = new Map(labels.entries.map((e) => [`${e.file}\u0000${e.entryKey}`, e.cluster]));
  const items: Item[] = [];
  const found = new Set<string>();
  for (const { file, kind } of labels.files) {
    for (const obs of await parseFile(LABELLED_DIR, file, kind, `dedup/${file}`)) {
      const key = `${file}\u0000${obs.provenance.entryKey}`;
      const label = byKey.get(key);
      if (label === undefined) throw new Error(`eval-dedup: no label for ${file} ${obs.provenance.entryKey}`);
      found.add(key);
      items.push({ obs, kind, label });
    }
  }
  const missing = [...byKey.keys()].filter((k) => !found.has(k));
  if (missing.length > 0) {
    throw new Error(`eval-dedup: ${missing.length} labelled entries were not parsed, e.g. ${missing[0]}`);
  }
  return items;
}

const REAL_FILES: [string, FeedKind][] = [
  ['arxiv-rss/arxiv-rss-cs.AI-2026-04-27-3items.xml', 'arxiv-rss'],
  ['arxiv-rss/arxiv-rss-cs.LG+cs.AI+cs.CL+stat.ML-2026-09-24.xml', 'arxiv-rss'],
  ['arxiv-rss-rdf/arxiv-rdf-cs-2018-08-30.xml', 'arxiv-rss'],
  ['arxiv-api/arxiv-api-cat-cs.LG-OR-cs.AI-2026-04-30.xml', 'arxiv-api'],
  ['arxiv-api/arxiv-api-transformer-cs.LG-2026-06-14.xml', 'arxiv-api'],
  ['arxiv-api/arxiv-api-legacy-au-del_maestro-2016.xml', 'arxiv-api'],
  ['arxiv-api/arxiv-api-recorded-search-testing-100-entries-2026-04-12.json', 'arxiv-api'],
  ['hf-daily-papers/hf-daily-papers-2026-06-12.json', 'hf-daily'],
  ['hf-daily-papers/hf-daily-papers-2026-07-31-pretty.json', 'hf-daily'],
  ['hf-daily-papers/hf-daily-papers-2024-10-25-first3.json', 'hf-daily'],
  ['hn-algolia/hn-algolia-search_by_date-query-AI-tags-story-2026-08-09.json', 'hn'],
  ['reddit/reddit-atom-r-programming-top-day-2026-09-20.xml', 'reddit'],
  ['reddit/reddit-atom-r-homelab-new-2023-07.xml', 'reddit'],
  ['reddit/reddit-json-search-posts-listing-2020-07.json', 'reddit'],
  ['reddit/reddit-json-subreddit-posts-listing-2020.json', 'reddit'],
  ['other/biorxiv-rss1-genomics-2023-12.xml', 'rss'],
  ['other/takara-tldr-hf-papers-rss-2026-04-30.xml', 'rss'],
  ['other/hf-daily-papers-feedgen-rss-2026-04-30.xml', 'rss'],
];

async function loadReal(): Promise<Item[] | undefined> {
  if (!existsSync(REAL_DIR)) return undefined;
  const items: Item[] = [];
  for (const [file, kind] of REAL_FILES) {
    if (!existsSync(join(REAL_DIR, file))) {
      console.log(`  real capture missing, skipped: ${file}`);
      continue;
    }
    for (const obs of await parseFile(REAL_DIR, file, kind, `real/${file}`)) {
      const id = obs.ids.arxiv ? `arxiv:${obs.ids.arxiv}` : obs.ids.doi ? `doi:${obs.ids.doi}` : undefined;
      items.push({ obs, kind, label: id ?? `entry:${obs.provenance.feedId}|${obs.provenance.entryKey}` });
    }
  }
  return items;
}

// ---------- pair counting ----------
const pairs = (n: number): number => (n * (n - 1)) / 2;

function samePairs(keys: readonly string[]): number {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  let total = 0;
  for (const n of counts.values()) total += pairs(n);
  return total;
}

interface Scores {
  tp: number;
  predicted: number;
  actual: number;
  precision: number;
  recall: number;
  f1: number;
}

function scores(tp: number, predicted: number, actual: number): Scores {
  const precision = predicted === 0 ? 1 : tp / predicted;
  const recall = actual === 0 ? 1 : tp / actual;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { tp, predicted, actual, precision, recall, f1 };
}

interface RunResult {
  all: Scores;
  nearOnly: Scores;
  exactOnly: Scores;
  clusters: number;
  nearMerges: number;
  ambiguous: number;
  falsePairs: [Item, Item][];
  missedPairs: [Item, Item][];
}

const NO_NEAR: DedupThresholds = {
  ...DEFAULT_DEDUP_THRESHOLDS,
  minTitleChars: Number.POSITIVE_INFINITY,
  minTitleCharsNoAuthors: Number.POSITIVE_INFINITY,
};

function run(items: readonly Item[], thresholds: DedupThresholds): RunResult {
  const observations = items.map((i) => i.obs);
  const result = clusterObservations(observations, thresholds);
  const exact = clusterObservations(observations, NO_NEAR);
  const p = items.map((i) => String(result.clusterOf.get(i.obs._id)));
  const e = items.map((i) => String(exact.clusterOf.get(i.obs._id)));
  const l = items.map((i) => i.label);
  const zip = (...cols: string[][]) => items.map((_, k) => cols.map((c) => c[k]).join('\u0000'));
  const pl = samePairs(zip(p, l));
  const ple = samePairs(zip(p, l, e));
  const all = scores(pl, samePairs(p), samePairs(l));
  // Exact components always end up inside one predicted cluster, so pairs inside one are pairs in P too.
  const nearOnly = scores(pl - ple, samePairs(p) - samePairs(zip(p, e)), samePairs(l) - samePairs(zip(l, e)));
  const exactOnly = scores(samePairs(zip(e, l)), samePairs(e), samePairs(l));

  const falsePairs: [Item, Item][] = [];
  const missedPairs: [Item, Item][] = [];
  for (let a = 0; a < items.length; a++) {
    for (let b = a + 1; b < items.length; b++) {
      const predicted = p[a] === p[b];
      const actual = l[a] === l[b];
      if (predicted && !actual) falsePairs.push([items[a]!, items[b]!]);
      if (actual && !predicted) missedPairs.push([items[a]!, items[b]!]);
    }
  }
  return {
    all,
    nearOnly,
    exactOnly,
    clusters: result.clusters.length,
    nearMerges: result.nearMerges.length,
    ambiguous: result.ambiguous.length,
    falsePairs,
    missedPairs,
  };
}

const f3 = (x: number): string => x.toFixed(4);
const fmt = (s: Scores): string =>
  `precision ${f3(s.precision)}  recall ${f3(s.recall)}  F1 ${f3(s.f1)}  (tp ${s.tp}, predicted ${s.predicted}, true ${s.actual})`;
const short = (i: Item): string =>
  `${i.obs.provenance.feedId.replace(/^(dedup|real)\//, '')} ${JSON.stringify(i.obs.title.slice(0, 70))} [${i.label}]`;

function report(name: string, items: readonly Item[], thresholds: DedupThresholds): boolean {
  const kinds = [...new Set(items.map((i) => i.kind))].sort();
  const labels = new Set(items.map((i) => i.label));
  console.log(
    `\n== ${name}: ${items.length} entries, ${labels.size} true papers, ${samePairs(items.map((i) => i.label))} true duplicate pairs; ${kinds.length} formats: ${kinds.join(', ')}`,
  );
  let ok = true;
  for (const [order, list] of [
    ['file order', items],
    ['reverse order', [...items].reverse()],
  ] as const) {
    const r = run(list, thresholds);
    console.log(
      `  ${order}: ${r.clusters} papers, ${r.nearMerges} near-duplicate merges, ${r.ambiguous} ambiguous entries left alone`,
    );
    console.log(`    all pairs            ${fmt(r.all)}`);
    console.log(`    near-duplicate-only  ${fmt(r.nearOnly)}`);
    console.log(`    exact keys only      ${fmt(r.exactOnly)}   (baseline without near-duplicates)`);
    for (const [a, b] of r.falsePairs.slice(0, 10))
      console.log(`    FALSE MERGE  ${short(a)}\n              ~ ${short(b)}`);
    if (r.falsePairs.length > 10) console.log(`    … ${r.falsePairs.length - 10} more false pairs`);
    for (const [a, b] of r.missedPairs.slice(0, 10))
      console.log(`    MISSED       ${short(a)}\n              ~ ${short(b)}`);
    if (r.missedPairs.length > 10) console.log(`    … ${r.missedPairs.length - 10} more missed pairs`);
    const pass = r.all.precision >= TARGET.precision && r.all.recall >= TARGET.recall;
    if (!pass) console.log(`    BELOW TARGET (precision ≥ ${TARGET.precision}, recall ≥ ${TARGET.recall})`);
    ok &&= pass;
  }
  return ok;
}

async function main(): Promise<void> {
  const thresholds = DEFAULT_DEDUP_THRESHOLDS;
  console.log('eval:dedup — merge decisions against ground truth');
  console.log(`thresholds: ${JSON.stringify(thresholds)}`);
  console.log(`target: precision ≥ ${TARGET.precision}, recall ≥ ${TARGET.recall} (all pairs, both orders)`);
  const labelled = await loadLabelled();
  const real = await loadReal();
  let ok = report('labelled set (test/fixtures/dedup)', labelled, thresholds);
  if (real === undefined) {
    console.log(`\n== real captures: ${REAL_DIR} not found, skipped (labelled set only)`);
  } else {
    ok = report('real captures (../shared/fixtures/real)', real, thresholds) && ok;
    ok = report('labelled + real together', [...labelled, ...real], thresholds) && ok;
  }
  console.log(`\n${ok ? 'PASS' : 'FAIL'}`);
  if (!ok) process.exitCode = 1;
}

await main();
