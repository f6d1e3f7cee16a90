// GET /dashboard: a small web UI over the JSON API (trending boards, paper detail, feed health). Three
// static files from src/dashboard/, read once at start and served by this process, nothing from a CDN and
// no build step. The shell holds no data, so auth.ts leaves it open; the page reads /trending, /papers and
// /feeds like any client (with the key a user enters when reads need one).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { FastifyInstance } from 'fastify';
import { openSecurity, text } from '../schemas.ts';

/**
 * Only our own scripts and styles, data only from our own origin, no frames, no plugins, no forms posted
 * anywhere; `img-src data:` for the blank favicon (spares the browser a 404 on /favicon.ico).
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const FILES = {
  '/dashboard': {
    file: 'index.html',
    type: 'text/html; charset=utf-8',
    summary: 'The dashboard: trending boards, paper detail, feed health (reads this API; always open)',
    description: 'the page (strict Content-Security-Policy)',
  },
  '/dashboard/app.js': {
    file: 'app.js',
    type: 'text/javascript; charset=utf-8',
    summary: 'The dashboard’s script (always open)',
    description: 'ES module',
  },
  '/dashboard/style.css': {
    file: 'style.css',
    type: 'text/css; charset=utf-8',
    summary: 'The dashboard’s style sheet (always open)',
    description: 'CSS',
  },
} as const;

const packageFile = createRequire(import.meta.url);

export function dashboardRoutes(app: FastifyInstance) {
  for (const [url, { file, type, summary, description }] of Object.entries(FILES)) {
    // Through the package's exports, so the file is found from the CLI's bundle as from this module.
    const body = readFileSync(packageFile.resolve(`@paperwire/api/dashboard/${file}`), 'utf8');
    const schema = {
      summary,
      tags: ['operations'],
      security: openSecurity,
      response: { 200: text(description, type) },
    };
    app.get(url, { schema }, async (_req, reply) =>
      reply
        .header('content-type', type)
        .header('content-security-policy', DASHBOARD_CSP)
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'no-referrer')
        .header('cache-control', 'no-cache')
        .send(body),
    );
  }
}
