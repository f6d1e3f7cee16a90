// Bull Board at /admin/queues: BullMQ's web UI over every queue of the runtime (QUEUES in shared/jobs).
// Admin-only: auth.ts treats the page and everything under it as `admin` and, since a browser cannot send
// x-api-key to an HTML page, also accepts the key as the password of HTTP Basic auth there. Its internal
// sub-routes (SPA paths, JSON API, static files) are left out of the OpenAPI registry by openapi.ts.
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { QUEUES } from '@paperwire/jobs';
import type { Runtime } from '@paperwire/runtime';
import type { FastifyInstance } from 'fastify';

/** Where the UI is mounted; auth.ts and openapi.ts key their rules on it. */
export const BULL_BOARD_PATH = '/admin/queues';

export function bullBoardRoutes(app: FastifyInstance, rt: Runtime) {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({
    queues: QUEUES.map((q) => new BullMQAdapter(rt.queues.byName[q])),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Paperwire queues' } },
  });
  app.register(serverAdapter.registerPlugin(), { prefix: BULL_BOARD_PATH });
}
