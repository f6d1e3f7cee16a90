export * from './app.ts';
export * from './config.ts';
export { findPaper, type PaperLookup } from './routes/papers.ts';
export * from './service.ts';
