export * from './event-filter.ts';
export * from './signature.ts';
