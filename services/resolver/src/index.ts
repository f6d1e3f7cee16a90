export * from './config.ts';
export { type ResolveDeps, type ResolveOutcome, resolveObservations } from './resolve-batch.ts';
export * from './service.ts';
