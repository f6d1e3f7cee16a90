export * from './config.ts';
export * from './http/index.ts';
export { type FetchFeedResult, isDue } from './jobs/fetch-feed.job.ts';
export * from './service.ts';
