export * from './render.ts';
export * from './select.ts';
export * from './subscription.ts';
