// GET /papers/:id/signals: a paper's signal history (what the dashboard's sparklines draw), one series per
// source and signal, oldest point first. Read-only over the signal-series repository; the same id lookup as
// GET /papers/:id, so any id works and a merged-away one redirects to its survivor's series.
import { type SignalName, type Source, signalSeriesView } from '@paperwire/core';
import { findPaper } from '@paperwire/db';
import type { Runtime } from '@paperwire/runtime';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { parseInput, sendError } from '../http-errors.ts';

const idParams = z.object({ id: z.string().min(1).max(500) }).strict();

export interface SignalSeriesView {
  source: Source;
  signal: SignalName;
  points: { at: string; value: number }[];
}

export function signalRoutes(app: FastifyInstance, rt: Runtime) {
  app.get('/papers/:id/signals', async (req, reply) => {
    const input = parseInput(idParams, req.params, reply);
    if (!input.ok) return reply;
    const found = await findPaper(rt.db, input.value.id);
    if (found.kind === 'redirect')
      return reply.redirect(`/papers/${encodeURIComponent(found.to)}/signals`, 301);
    if (found.kind === 'missing')
      return sendError(reply, 404, 'not-found', `no paper known as ${input.value.id}`);
    const stored = await rt.db.signalSeries.get(found.paper._id);
    const series: SignalSeriesView[] = signalSeriesView(stored?.sources ?? {});
    return { paperId: found.paper._id, series };
  });
}
