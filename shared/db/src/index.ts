export * from './database.ts';
export * from './repositories/backfills.ts';
export * from './repositories/feeds.ts';
export * from './repositories/near-duplicates.ts';
export * from './repositories/papers.ts';
export * from './repositories/payloads.ts';
export * from './repositories/rankings.ts';
export * from './repositories/signal-series.ts';
