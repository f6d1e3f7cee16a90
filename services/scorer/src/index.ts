export * from './config.ts';
export { ALL_CATEGORIES } from './jobs/score-rankings.job.ts';
export * from './service.ts';
