export * from './build.ts';
export * from './types.ts';
