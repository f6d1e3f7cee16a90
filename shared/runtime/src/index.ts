export * from './default-feeds.ts';
export * from './feed-registry.ts';
export * from './file-feeds.ts';
export * from './runtime.ts';
