export * from './config.ts';
export {
  type OnPublished,
  type RelayEventsDeps,
  type RelayEventsResult,
  relayEvents,
  relayEventsHandler,
  streamFields,
} from './jobs/relay-events.job.ts';
export * from './service.ts';
