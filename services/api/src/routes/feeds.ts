import type { Feed } from '@paperwire/core';
import type { Runtime } from '@paperwire/runtime';
import type { FastifyInstance } from 'fastify';

/** A feed as the API shows it (GET /feeds items, and the write routes' answers). */
export function feedView(f: Feed) {
  return {
    id: f._id,
    url: f.url,
    kind: f.kind,
    source: f.source,
    title: f.title ?? null,
    enabled: f.enabled,
    intervalMinutes: f.intervalMinutes,
    // `quiet` always shown: a feed stored before cadence tracking (or never fetched) is not quiet.
    health: { ...f.health, quiet: f.health.quiet ?? false },
    lastSuccessAt: f.state.lastSuccessAt ?? null,
    nextCheckAt: f.state.nextCheckAt ?? null,
  };
}

export function feedRoutes(app: FastifyInstance, rt: Runtime) {
  app.get('/feeds', async () => {
    const feeds = await rt.db.feeds.list();
    return { items: feeds.map(feedView) };
  });
}
