export * from './config.ts';
export * from './heartbeat.ts';
export * from './locks.ts';
export * from './logger.ts';
export * from './main.ts';
export * from './metrics.ts';
export * from './redis.ts';
export * from './shutdown.ts';
