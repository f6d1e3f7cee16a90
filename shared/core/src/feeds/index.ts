export * from './cadence.ts';
export * from './feed.ts';
export * from './hf-days.ts';
export * from './schedule.ts';
