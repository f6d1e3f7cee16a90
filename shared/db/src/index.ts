export * from './database.ts';
export * from './repositories/feeds.ts';
export * from './repositories/papers.ts';
export * from './repositories/payloads.ts';
export * from './repositories/rankings.ts';
export * from './repositories/signal-series.ts';
