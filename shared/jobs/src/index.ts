export * from './catalogue.ts';
export * from './dirty-papers.ts';
export * from './queue-stats.ts';
export * from './queues.ts';
export * from './workers.ts';
