// GET /papers/:id/signals: a paper's signal history (what the dashboard's sparklines draw), one series per
// source and signal, oldest point first. Read-only: the history stored in the paper's document; the same id lookup as
// GET /papers/:id, so any id works and a merged-away one redirects to its survivor's series.
import { paperRowSchema, signalSeriesView } from '@paperwire/core';
import { type Database, findPaper } from '@paperwire/db';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sendError } from '../http-errors.ts';
import { component, empty, error, json, readErrors, readSecurity } from '../schemas.ts';
import { paperIdParams } from './papers.ts';

/** The row's series (source, signal, points), with every point rather than the row's latest few. */
const rowSeries = paperRowSchema.shape.history.element;
const signalSeries = rowSeries.extend({ points: z.array(rowSeries.shape.points.element) });
const signalHistory = component(
  'SignalHistory',
  z.strictObject({ paperId: z.string(), series: z.array(signalSeries) }),
);

export function signalRoutes(app: FastifyInstance, db: Pick<Database, 'papers'>) {
  const schema = {
    summary: 'A paper’s signal history (any of its ids): one series per source and signal, oldest first',
    tags: ['papers'],
    security: readSecurity,
    params: paperIdParams,
    response: {
      200: json('the series; empty when no source reported signals', signalHistory),
      301: empty('a merged-away id: Location names the surviving paper’s series'),
      400: error('invalid id'),
      404: error('no paper known by that id'),
      ...readErrors,
    },
  };
  app.withTypeProvider<ZodTypeProvider>().get('/papers/:id/signals', { schema }, async (req, reply) => {
    const found = await findPaper(db, req.params.id);
    if (found.kind === 'redirect')
      return reply.redirect(`/papers/${encodeURIComponent(found.to)}/signals`, 301);
    if (found.kind === 'missing')
      return sendError(reply, 404, 'not-found', `no paper known as ${req.params.id}`);
    const stored = await db.papers.getSeries(found.paper._id);
    return { paperId: found.paper._id, series: signalSeriesView(stored ?? {}) };
  });
}
