export * from './app.ts';
export { type AuthSettings, DEFAULT_AUTH_SETTINGS } from './auth.ts';
export * from './config.ts';
export * from './service.ts';
