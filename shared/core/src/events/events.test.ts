import { describe, expect, it } from 'vitest';
import { applyObservation } from '../merge/merge-policy.ts';
import { normaliseEntry } from '../normalise/entry.ts';
import { bareRow } from '../scoring/row.ts';
import type { RankingSnapshot } from '../scoring/snapshot.ts';
import type { Paper, SourceEntry } from '../types.ts';
import {
  paperCreated,
  paperEvents,
  paperMerged,
  paperRevised,
  paperSignals,
  signalTotals,
  trendingEvents,
} from './build.ts';
import { EVENT_TYPES } from './schema.ts';
import type { PaperwireEvent } from './types.ts';

const AT = '2026-11-28T10:00:00.000Z';

function observe(fields: Partial<SourceEntry>, source: SourceEntry['provenance']['source'] = 'arxiv') {
  const r = normaliseEntry({
    provenance: { feedId: source, source, entryKey: fields.title ?? 'k', fetchedAt: AT },
    title: 'Sparse models for retrieval at scale',
    summary: 'We study sparse models.',
    authors: ['Ada Lovelace', 'Alan Turing'],
    links: [],
    ids: { arxiv: 'oai:arXiv.org:2611.10001v1' },
    categories: ['cs.LG'],
    signals: {},
    ...fields,
  });
  if (!r.ok) throw new Error(r.reason);
  return r.observation;
}

const ID = 'arxiv:2611.10001';
const v1 = applyObservation(undefined, ID, observe({}));
const v2 = applyObservation(v1, ID, observe({ ids: { arxiv: 'oai:arXiv.org:2611.10001v2' } }));
// A better source's text, without a new version.
const retitled: Paper = { ...v2, title: 'Sparse models for retrieval, revisited' };
const withHf = (upvotes: number, base: Paper = v1) =>
  applyObservation(
    base,
    ID,
    observe(
      { ids: { arxiv: '2611.10001', hf: '2611.10001' }, signals: { upvotes, comments: 2 } },
      'huggingface',
    ),
  );

/** Keys of every object inside `v`, and whether any array holds an array (what FerretDB v1 refuses). */
function ferretUnsafe(v: unknown, path = ''): string[] {
  if (Array.isArray(v)) {
    return v.flatMap((x, i) =>
      Array.isArray(x) ? [`${path}[${i}] nested array`] : ferretUnsafe(x, `${path}[${i}]`),
    );
  }
  if (v && typeof v === 'object') {
    return Object.entries(v).flatMap(([k, x]) => [
      ...(k.includes('.') || k.startsWith('$') ? [`${path}.${k}`] : []),
      ...(x === undefined || x === null ? [`${path}.${k} is ${x}`] : []),
      ...ferretUnsafe(x, `${path}.${k}`),
    ]);
  }
  return [];
}

const snapshot: RankingSnapshot = {
  _id: '24h.all.1764324000000',
  window: '24h',
  category: 'all',
  asOf: AT,
  scoreVersion: 's1',
  constants: { 'huggingface.upvotes.velocity': 1 },
  entries: [
    {
      ...bareRow('arxiv:a', '', '2026-01-01T00:00:00.000Z'),
      rank: 1,
      score: 3,
      breakdown: { 'hf.upvotes': 3 },
      title: 'A',
    },
    { ...bareRow('arxiv:b', '', '2026-01-01T00:00:00.000Z'), rank: 2, score: 2, breakdown: {}, title: 'B' },
    { ...bareRow('arxiv:c', '', '2026-01-01T00:00:00.000Z'), rank: 3, score: 1, breakdown: {}, title: 'C' },
  ],
  changes: {
    topN: 2,
    entered: [{ paperId: 'arxiv:b', title: 'B', rank: 2, from: 3 }],
    left: [{ paperId: 'arxiv:c', title: 'C', rank: 2, to: 3 }],
    moved: [{ paperId: 'arxiv:a', from: 2, to: 1 }],
  },
};

describe('event builders', () => {
  it.each([
    ['paper.created', () => paperCreated(v1, AT), `paper.created:${ID}`],
    ['paper.revised (new version)', () => paperRevised(v1, v2, AT), `paper.revised:${ID}:v2`],
    ['paper.merged', () => paperMerged(v1, 'fp:abc', AT), `paper.merged:${ID}:fp:abc`],
  ])('%s has a deterministic id', (_name, build, id) => {
    expect(build()?.id).toBe(id);
    expect(build()).toEqual(build());
  });

  it('names a text-only revision by a hash of the revised title and abstract', () => {
    const e = paperRevised(v2, retitled, AT)!;
    expect(e.id).toMatch(new RegExp(`^paper\\.revised:${ID}:[0-9a-f]{16}$`));
    expect(e.data.changed).toEqual(['title']);
    expect(e.data.previousTitle).toBe(v2.title);
    expect(paperRevised(v2, retitled, '2030-01-01T00:00:00.000Z')!.id).toBe(e.id);
  });

  it('reports no revision when version, title and abstract are the same', () => {
    expect(paperRevised(v2, { ...v2, sightings: [] }, AT)).toBeUndefined();
  });

  it('reports signals only when the totals change, with an id from the totals', () => {
    const a = withHf(5);
    const first = paperSignals(v1, a, AT)!;
    expect(first.data.previous).toEqual([]);
    expect(first.data.totals).toEqual([
      { source: 'huggingface', name: 'comments', value: 2 },
      { source: 'huggingface', name: 'upvotes', value: 5 },
    ]);
    expect(first.id).toMatch(new RegExp(`^paper\\.signals:${ID}:[0-9a-f]{16}$`));
    expect(paperSignals(a, a, AT)).toBeUndefined();
    expect(paperSignals(undefined, v1, AT)).toBeUndefined();
    const b = withHf(9, a);
    expect(paperSignals(a, b, AT)!.id).not.toBe(first.id);
    expect(signalTotals(b).find((t) => t.name === 'upvotes')?.value).toBe(9);
  });

  it('derives a resolution’s events from the survivor before and after', () => {
    const types = (es: PaperwireEvent[]) => es.map((e) => e.type);
    expect(types(paperEvents(undefined, v1, [], AT))).toEqual(['paper.created']);
    expect(types(paperEvents(v1, v2, [], AT))).toEqual(['paper.revised']);
    expect(types(paperEvents(v1, v1, [], AT))).toEqual([]);
    expect(types(paperEvents(v1, withHf(3), ['fp:z', 'fp:a'], AT))).toEqual([
      'paper.merged',
      'paper.merged',
      'paper.signals',
    ]);
    expect(paperEvents(v1, v1, ['fp:z', 'fp:a'], AT).map((e) => e.id)).toEqual([
      `paper.merged:${ID}:fp:a`,
      `paper.merged:${ID}:fp:z`,
    ]);
  });

  it('turns a snapshot into entered, left and then updated events', () => {
    const events = trendingEvents(snapshot);
    expect(events.map((e) => e.id)).toEqual([
      `trending.entered:${snapshot._id}:arxiv:b`,
      `trending.left:${snapshot._id}:arxiv:c`,
      `trending.updated:${snapshot._id}`,
    ]);
    const updated = events[2]!;
    expect(updated.type === 'trending.updated' && updated.data.top.map((t) => t.paperId)).toEqual([
      'arxiv:a',
      'arxiv:b',
    ]);
    expect(events.every((e) => e.occurredAt === AT)).toBe(true);
    const first = trendingEvents({ ...snapshot, changes: undefined });
    expect(first.map((e) => e.type)).toEqual(['trending.updated']);
  });

  it('builds every type with version 1, FerretDB-safe shapes and no undefined fields', () => {
    const all: PaperwireEvent[] = [
      paperCreated(v1, AT),
      paperRevised(v1, retitled, AT)!,
      paperMerged(v1, 'fp:abc', AT),
      paperSignals(v1, withHf(4), AT)!,
      ...trendingEvents(snapshot),
    ];
    expect(new Set(all.map((e) => e.type))).toEqual(new Set(EVENT_TYPES));
    for (const e of all) {
      expect(e.version).toBe(1);
      expect(e.id.startsWith(`${e.type}:`)).toBe(true);
      expect(ferretUnsafe(e)).toEqual([]);
    }
  });
});
