// SourceEntry → Observation (normaliseEntry) and the date/URL helpers it uses. Pure (node:crypto only).
export { MAX_YEAR, MIN_YEAR, normaliseDate } from './dates.ts';
export {
  MAX_ABSTRACT_CHARS,
  MAX_AUTHORS,
  MAX_CATEGORIES,
  MAX_CATEGORY_CHARS,
  MAX_ENTRY_KEY_IN_ID,
  MAX_LINKS,
  MAX_ORGANIZATION_CHARS,
  MAX_RAW_CHARS,
  MAX_TITLE_CHARS,
  type NormaliseResult,
  normaliseEntry,
  truncateText,
} from './entry.ts';
export { MAX_URL_CHARS, normaliseUrl } from './urls.ts';
