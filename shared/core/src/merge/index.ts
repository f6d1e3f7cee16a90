export * from './merge-policy.ts';
export * from './signal-history.ts';
