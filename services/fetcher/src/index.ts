export * from './config.ts';
export * from './http/index.ts';
export {
  type IngestDeps,
  type IngestFeed,
  type IngestPayload,
  observationsKey,
  parseAndNormalise,
  sha256,
  storableHeaders,
  storeIngested,
} from './ingest-payload.ts';
export { type BackfillPageResult, MAX_RETRY_AFTER_DELAYS } from './jobs/backfill-page.job.ts';
export { type FetchFeedResult, isDue } from './jobs/fetch-feed.job.ts';
export { bucketSettings, budgetKey, createPoliteness, type Politeness } from './politeness.ts';
export * from './service.ts';
