export * from './config.ts';
export { type ResolveOutcome, resolveObservations } from './resolve-batch.ts';
export * from './service.ts';
