// Near-duplicate resolution on top of exact identity keys, as pure functions the production resolver
// and the in-memory evaluation share.
//
// Per observation, in arrival order (what the resolver does for each job):
//  1. Exact: its resolutionKeys (identity keys, or the `fp:` fallback key) join every paper owning one of
//     them, unconditionally, as the resolver's alias lookup does.
//  2. Near-duplicate: its band keys (dedupBandKeys) name candidate entries seen before; each is verified
//     exactly with nearDuplicateDecision. chooseNearDuplicateTargets then keeps the matching papers whose
//     profile (ids and authors of the whole paper, not only the matched entry) is compatible with its own,
//     and merges them all, unless two of them are incompatible with each other: that entry is ambiguous
//     (an author-less `A Survey of Large Language Models` matching two different surveys) and merges
//     with none.
// Compatibility of two papers: no id kind on which they disagree entirely (so an id-less entry can never
// bridge two different arXiv ids), and when both have authors, author overlap ≥ authorThreshold.

import { authorKey } from '../authors/authors.ts';
import { resolutionKeys } from '../identity/fallback-key.ts';
import { ID_KINDS, type IdKind } from '../ids/keys.ts';
import type { Author, Observation } from '../types.ts';
import {
  authorOverlap,
  DEFAULT_DEDUP_THRESHOLDS,
  type DedupCandidate,
  type DedupDecision,
  type DedupThresholds,
  decideWithFeatures,
} from './decision.ts';
import { compactOf, type TitleFeatures, titleFeatures } from './features.ts';
import { lshBandKeys, minhashSignature } from './minhash.ts';
import { shinglesOfCompact } from './title.ts';

/** What a whole paper (cluster) is known by: every id per kind, every author key. */
export interface DedupProfile {
  ids: Partial<Record<IdKind, readonly string[]>>;
  authorKeys: readonly string[];
}

/** A candidate entry found through a band key, and the paper that owns it now. */
export interface NearDuplicateMatch {
  paperId: string;
  paperProfile: DedupProfile;
  candidate: DedupCandidate;
}

export interface NearDuplicateChoice {
  /** Papers to merge with, sorted; empty when nothing matched or the match was ambiguous. */
  targets: string[];
  ambiguous: boolean;
  decisions: { paperId: string; decision: DedupDecision; compatible: boolean }[];
}

// splitAuthors keeps a trailing `et al.` on the name it follows (`Ada Lovelace et al.` → key `a al`), which
// would make a blog's `First Author et al.` match no one; the key is recomputed without it.
const ET_AL_SUFFIX_RE = /[\s,]+et\.?\s*al\.?\s*$/i;

/** The author key dedup compares: Author.key, except for a name ending in `et al.`. */
export function dedupAuthorKey(author: Author): string {
  return ET_AL_SUFFIX_RE.test(author.name) ? authorKey(author.name.replace(ET_AL_SUFFIX_RE, '')) : author.key;
}

export function dedupCandidateOf(obs: Observation): DedupCandidate {
  return {
    title: obs.title,
    authors: obs.authors.map((a) => ({ key: dedupAuthorKey(a) })),
    ids: obs.ids,
    ...(obs.arxivVersion === undefined ? {} : { arxivVersion: obs.arxivVersion }),
  };
}

export function profileOf(candidate: DedupCandidate): DedupProfile {
  const ids: Partial<Record<IdKind, string[]>> = {};
  for (const kind of ID_KINDS) {
    const v = candidate.ids[kind];
    if (v !== undefined) ids[kind] = [v];
  }
  return {
    ids,
    authorKeys: [...new Set(candidate.authors.map((a) => a.key).filter((k) => k.length > 0))].sort(),
  };
}

export function mergeProfiles(a: DedupProfile, b: DedupProfile): DedupProfile {
  const ids: Partial<Record<IdKind, string[]>> = {};
  for (const kind of ID_KINDS) {
    const values = [...new Set([...(a.ids[kind] ?? []), ...(b.ids[kind] ?? [])])].sort();
    if (values.length > 0) ids[kind] = values;
  }
  return { ids, authorKeys: [...new Set([...a.authorKeys, ...b.authorKeys])].sort() };
}

/** Whether two papers may become one (see the module comment). */
export function profilesCompatible(a: DedupProfile, b: DedupProfile, thresholds: DedupThresholds): boolean {
  for (const kind of ID_KINDS) {
    const x = a.ids[kind];
    const y = b.ids[kind];
    if (x && y && x.length > 0 && y.length > 0 && !x.some((v) => y.includes(v))) return false;
  }
  if (a.authorKeys.length === 0 || b.authorKeys.length === 0) return true;
  return authorOverlap(new Set(a.authorKeys), new Set(b.authorKeys)) >= thresholds.authorThreshold;
}

function bandKeysOfWords(words: readonly string[], t: DedupThresholds): string[] {
  const { bands, rows, seed } = t.lsh;
  return lshBandKeys(
    minhashSignature(shinglesOfCompact(compactOf(words)), { bands, rows, seed }),
    bands,
    rows,
  );
}

/**
 * The band keys to look up and to store for an entry: those of its title, plus those of its main title
 * when it has a subtitle (so `X` finds `X: subtitle`). None for a title too short to ever match.
 */
export function dedupBandKeys(
  candidate: DedupCandidate,
  thresholds: DedupThresholds = DEFAULT_DEDUP_THRESHOLDS,
): string[] {
  return bandKeysOfFeatures(titleFeatures(candidate.title), thresholds);
}

function bandKeysOfFeatures(f: TitleFeatures, t: DedupThresholds): string[] {
  const min = Math.min(t.minTitleChars, t.minTitleCharsNoAuthors);
  const keys = f.compact.length >= min ? bandKeysOfWords(f.words, t) : [];
  if (f.main !== undefined && f.main.length >= 2 && compactOf(f.main).length >= t.minTitleChars) {
    keys.push(...bandKeysOfWords(f.main, t));
  }
  return [...new Set(keys)];
}

/**
 * Which papers an entry should merge with, given the candidates its band keys found (already verified or
 * not: this verifies them). `own` is the paper the entry belongs to after the exact-key step, if any.
 */
export function chooseNearDuplicateTargets(
  entry: DedupCandidate,
  own: { paperId?: string; profile: DedupProfile },
  matches: readonly NearDuplicateMatch[],
  thresholds: DedupThresholds = DEFAULT_DEDUP_THRESHOLDS,
): NearDuplicateChoice {
  return chooseWithFeatures(
    entry,
    titleFeatures(entry.title),
    own,
    matches.map((m) => ({ ...m, features: titleFeatures(m.candidate.title) })),
    thresholds,
  );
}

function chooseWithFeatures(
  entry: DedupCandidate,
  features: TitleFeatures,
  own: { paperId?: string; profile: DedupProfile },
  matches: readonly (NearDuplicateMatch & { features: TitleFeatures })[],
  t: DedupThresholds,
): NearDuplicateChoice {
  const decisions: NearDuplicateChoice['decisions'] = [];
  const matched = new Map<string, DedupProfile>();
  for (const m of matches) {
    if (m.paperId === own.paperId) continue;
    const decision = decideWithFeatures(entry, features, m.candidate, m.features, t);
    const compatible = decision.same && profilesCompatible(own.profile, m.paperProfile, t);
    decisions.push({ paperId: m.paperId, decision, compatible });
    if (compatible) matched.set(m.paperId, m.paperProfile);
  }
  const targets = [...matched.keys()].sort();
  for (let i = 0; i < targets.length; i++) {
    for (let j = i + 1; j < targets.length; j++) {
      if (!profilesCompatible(matched.get(targets[i]!)!, matched.get(targets[j]!)!, t)) {
        return { targets: [], ambiguous: true, decisions };
      }
    }
  }
  return { targets, ambiguous: false, decisions };
}

export interface NearMerge {
  observationId: string;
  /** Observation ids of the verified matches that caused the merge. */
  matchedIds: string[];
  reasons: string[];
}

export interface ClusterResult {
  /** Observation ids per cluster, clusters in order of their first observation. */
  clusters: string[][];
  /** Observation id → index into `clusters`. */
  clusterOf: Map<string, number>;
  nearMerges: NearMerge[];
  /** Observations whose near-duplicate matches were ambiguous and merged with nothing. */
  ambiguous: string[];
}

/**
 * Clusters observations as the resolver would, one at a time in the given order: exact identity keys,
 * then near-duplicates (see the module comment). Observation ids must be unique.
 */
export function clusterObservations(
  observations: readonly Observation[],
  thresholds: DedupThresholds = DEFAULT_DEDUP_THRESHOLDS,
): ClusterResult {
  const parent = observations.map((_, i) => i);
  const find = (i: number): number => {
    let r = i;
    while (parent[r] !== r) r = parent[r]!;
    let x = i;
    while (parent[x] !== r) {
      const next = parent[x]!;
      parent[x] = r;
      x = next;
    }
    return r;
  };
  const candidates = observations.map(dedupCandidateOf);
  const features = candidates.map((c) => titleFeatures(c.title));
  const profiles = new Map<number, DedupProfile>(candidates.map((c, i) => [i, profileOf(c)]));
  const union = (a: number, b: number): void => {
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) return;
    const [keep, drop] = ra < rb ? [ra, rb] : [rb, ra];
    parent[drop] = keep;
    profiles.set(keep, mergeProfiles(profiles.get(keep)!, profiles.get(drop)!));
    profiles.delete(drop);
  };

  const keyOwner = new Map<string, number>();
  const bandIndex = new Map<string, number[]>();
  const nearMerges: NearMerge[] = [];
  const ambiguous: string[] = [];

  observations.forEach((obs, i) => {
    for (const key of resolutionKeys(obs)) {
      const owner = keyOwner.get(key);
      if (owner === undefined) keyOwner.set(key, i);
      else union(i, owner);
    }
    const bandKeys = bandKeysOfFeatures(features[i]!, thresholds);
    const seen = new Set<number>();
    const matches: (NearDuplicateMatch & { features: TitleFeatures; index: number })[] = [];
    for (const key of bandKeys) {
      for (const j of bandIndex.get(key) ?? []) {
        if (seen.has(j)) continue;
        seen.add(j);
        const root = find(j);
        matches.push({
          paperId: String(root),
          paperProfile: profiles.get(root)!,
          candidate: candidates[j]!,
          features: features[j]!,
          index: j,
        });
      }
    }
    const ownRoot = find(i);
    const choice = chooseWithFeatures(
      candidates[i]!,
      features[i]!,
      { paperId: String(ownRoot), profile: profiles.get(ownRoot)! },
      matches,
      thresholds,
    );
    if (choice.ambiguous) ambiguous.push(obs._id);
    if (choice.targets.length > 0) {
      const verified = choice.decisions.filter((d) => d.compatible);
      nearMerges.push({
        observationId: obs._id,
        matchedIds: matches
          .filter((m) => choice.targets.includes(m.paperId) && verified.some((d) => d.paperId === m.paperId))
          .map((m) => observations[m.index]!._id),
        reasons: [...new Set(verified.map((d) => d.decision.reason))],
      });
      for (const target of choice.targets) union(i, Number(target));
    }
    for (const key of bandKeys) {
      const list = bandIndex.get(key);
      if (list) list.push(i);
      else bandIndex.set(key, [i]);
    }
  });

  const clusters: string[][] = [];
  const indexOfRoot = new Map<number, number>();
  const clusterOf = new Map<string, number>();
  observations.forEach((obs, i) => {
    const root = find(i);
    let c = indexOfRoot.get(root);
    if (c === undefined) {
      c = clusters.length;
      indexOfRoot.set(root, c);
      clusters.push([]);
    }
    clusters[c]!.push(obs._id);
    clusterOf.set(obs._id, c);
  });
  return { clusters, clusterOf, nearMerges, ambiguous };
}
