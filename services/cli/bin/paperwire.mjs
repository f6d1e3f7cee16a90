#!/usr/bin/env node
// Runs the compiled CLI (`npm run build`, which `npm run setup` runs); no TypeScript loader at run time.
import { existsSync } from 'node:fs';

const main = new URL('../dist/bundle/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('paperwire: not built yet; run `npm run setup` (or `npm run build`) first\n');
  process.exit(1);
}
await import(main.href);
