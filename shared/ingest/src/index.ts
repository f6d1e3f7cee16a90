export * from './ingest-payload.ts';
