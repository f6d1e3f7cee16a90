// Paper identifiers: extraction from text and URLs, canonical forms, identity keys. Pure.
export {
  type ArxivIdWithVersion,
  canonicalArxivId,
  OLD_ARXIV_ARCHIVES,
  validateArxivId,
} from './arxiv.ts';
export { arxivIdFromDoi, canonicalDoi } from './doi.ts';
export { type ExtractedIds, extractIds, MAX_EXTRACT_CHARS } from './extract.ts';
export { ID_KINDS, type IdKind, identityKeys } from './keys.ts';
export { canonicalOpenAlexId, canonicalOpenReviewId, canonicalS2Id } from './other.ts';
