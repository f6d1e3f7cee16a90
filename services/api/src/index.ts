export * from './app.ts';
export { type AuthSettings, DEFAULT_AUTH_SETTINGS } from './auth.ts';
export * from './config.ts';
export { openApiDocument } from './openapi.ts';
export * from './service.ts';
