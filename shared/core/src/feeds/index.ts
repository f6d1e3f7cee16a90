export * from './feed.ts';
export * from './schedule.ts';
