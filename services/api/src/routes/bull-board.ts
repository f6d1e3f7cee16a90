// Bull Board at /admin/queues: BullMQ's web UI over every queue of the runtime (QUEUES in shared/jobs).
// Admin-only: auth.ts treats the page and everything under it as `admin` and, since a browser cannot send
// x-api-key to an HTML page, also accepts the key as the password of HTTP Basic auth there. Its internal
// sub-routes (SPA paths, JSON API, static files) stay out of the OpenAPI document; the page itself is in it.
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { QUEUES } from '@paperwire/jobs';
import type { Runtime } from '@paperwire/runtime';
import type { FastifyInstance } from 'fastify';
import { adminSecurity, error, text } from '../schemas.ts';

/** Where the UI is mounted; auth.ts and swagger.ts key their rules on it. */
export const BULL_BOARD_PATH = '/admin/queues';

/** The page, as the document describes it (Bull Board's own routes carry no schema of ours). */
const pageSchema = {
  summary:
    'Bull Board, the web UI of every BullMQ queue (admin key; HTTP Basic with the key as password). ' +
    'Its own sub-routes (UI paths, JSON API, static files) are internal and not described here',
  tags: ['operations'],
  security: [{ basic: [] }, ...adminSecurity],
  response: {
    200: text('the UI', 'text/html'),
    401: error('no admin key, or a key that is not valid or was revoked; WWW-Authenticate: Basic'),
    403: error('the key lacks the admin scope'),
    429: error('rate limit reached; see Retry-After'),
  },
};

export function bullBoardRoutes(app: FastifyInstance, queues: Runtime['queues']) {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({
    queues: QUEUES.map((q) => new BullMQAdapter(queues.byName[q])),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Paperwire queues' } },
  });
  app.register(async (scope) => {
    scope.addHook('onRoute', (route) => {
      if (route.url === BULL_BOARD_PATH) route.schema = pageSchema;
    });
    scope.register(serverAdapter.registerPlugin(), { prefix: BULL_BOARD_PATH });
  });
}
