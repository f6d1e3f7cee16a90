export * from './fallback-key.ts';
export * from './lookup-keys.ts';
