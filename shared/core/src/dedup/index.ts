// Near-duplicate detection for entries that share no identity key: title fingerprints (MinHash/LSH for
// candidates, exact Jaccard to decide), author overlap as the second gate, guards against sequels and
// derivative works, and the clustering rules the resolver and `npm run eval:dedup` share. Pure.
export {
  type ClusterResult,
  chooseNearDuplicateTargets,
  clusterObservations,
  type DedupProfile,
  dedupAuthorKey,
  dedupBandKeys,
  dedupCandidateOf,
  mergeProfiles,
  type NearDuplicateChoice,
  type NearDuplicateMatch,
  type NearMerge,
  profileOf,
  profilesCompatible,
} from './cluster.ts';
export {
  authorKeySet,
  authorOverlap,
  conflictingIdKind,
  DEFAULT_DEDUP_THRESHOLDS,
  type DedupCandidate,
  type DedupDecision,
  type DedupThresholds,
  nearDuplicateDecision,
  nearDuplicateMatcher,
} from './decision.ts';
export { type TitleFeatures, titleFeatures } from './features.ts';
export { lshBandKeys, lshCandidateProbability, type MinhashParams, minhashSignature } from './minhash.ts';
export {
  candidateOfNearEntry,
  MAX_BAND_PAPERS,
  MAX_NEAR_VARIANTS,
  type NearEntry,
  nearEntryOfPaper,
  withNearVariant,
} from './near-entries.ts';
export {
  DERIVATIVE_MARKERS,
  jaccard,
  mainTitle,
  SHINGLE_SIZE,
  stripTitleDecorations,
  titleForDedup,
  titleMarkers,
  titleNumbers,
  titleShingles,
} from './title.ts';
