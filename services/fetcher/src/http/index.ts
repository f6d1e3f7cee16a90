// The fetcher's sources of payloads: HTTP through the shared guarded client (@paperwire/http), and files.
export * from '@paperwire/http';
export { type FileFeedFile, readFileFeed } from './file-source.ts';
