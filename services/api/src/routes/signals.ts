// GET /papers/:id/signals: a paper's signal history (what the dashboard's sparklines draw), one series per
// source and signal, oldest point first. Read-only over the signal-series repository; the same id lookup as
// GET /papers/:id, so any id works and a merged-away one redirects to its survivor's series.
import type { SignalName, Source } from '@paperwire/core';
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
    const series: SignalSeriesView[] = [];
    for (const [source, entry] of Object.entries(stored?.sources ?? {}) as [
      Source,
      NonNullable<NonNullable<typeof stored>['sources'][Source]>,
    ][]) {
      const bySignal = new Map<SignalName, SignalSeriesView['points']>();
      for (const point of [...entry.points].sort((a, b) => a.at.localeCompare(b.at))) {
        for (const [signal, value] of Object.entries(point.signals) as [SignalName, number][]) {
          const points = bySignal.get(signal) ?? [];
          points.push({ at: point.at, value });
          bySignal.set(signal, points);
        }
      }
      for (const [signal, points] of bySignal) series.push({ source, signal, points });
    }
    series.sort((a, b) => `${a.source}.${a.signal}`.localeCompare(`${b.source}.${b.signal}`));
    return { paperId: found.paper._id, series };
  });
}
