#!/usr/bin/env node
// Runs the TypeScript CLI directly through tsx: no build step between a checkout and `npx paperwire`.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
