export * from './catalogue.ts';
export * from './dirty-papers.ts';
export * from './events-schema.ts';
export * from './outbox-queue.ts';
export * from './queue-stats.ts';
export * from './queues.ts';
export * from './workers.ts';
