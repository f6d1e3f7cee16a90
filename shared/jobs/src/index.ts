export * from './catalogue.ts';
export * from './dead-letters.ts';
export * from './dirty-papers.ts';
export * from './outbox-queue.ts';
export * from './queue-stats.ts';
export * from './queues.ts';
export * from './webhook-fan-out.ts';
export * from './workers.ts';
