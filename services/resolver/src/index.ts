export * from './config.ts';
export { type ResolveOutcome, resolveObservation } from './resolve-observation.ts';
export * from './service.ts';
