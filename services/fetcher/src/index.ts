export * from './config.ts';
export * from './http/index.ts';
export { type BackfillPageResult, MAX_RETRY_AFTER_DELAYS } from './jobs/backfill-page.job.ts';
export { type FetchFeedResult, isDue } from './jobs/fetch-feed.job.ts';
export { bucketSettings, budgetKey, createPoliteness, type Politeness } from './politeness.ts';
export * from './service.ts';
