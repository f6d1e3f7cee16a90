export * from './escape.ts';
export * from './trending-feed.ts';
