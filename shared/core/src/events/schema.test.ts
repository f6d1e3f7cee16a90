import { describe, expect, it } from 'vitest';
import {
  applyObservation,
  bareRow,
  EVENT_TYPES,
  normaliseEntry,
  type Paper,
  type PaperwireEvent,
  paperCreated,
  paperMerged,
  paperRevised,
  paperSignals,
  type RankingSnapshot,
  trendingEvents,
} from '../index.ts';
import { EVENT_SCHEMAS, eventsJsonSchema, paperwireEventSchema } from './schema.ts';

const AT = '2026-11-28T10:00:00.000Z';
const ID = 'arxiv:2611.10001';

function paper(version: number, upvotes?: number): Paper {
  const r = normaliseEntry({
    provenance: { feedId: 'hf', source: 'huggingface', entryKey: 'k', fetchedAt: AT },
    title: 'Sparse models for retrieval at scale',
    summary: 'We study sparse models.',
    authors: ['Ada Lovelace'],
    url: 'https://arxiv.org/abs/2611.10001',
    links: [],
    ids: { arxiv: `2611.10001v${version}`, hf: '2611.10001' },
    categories: ['cs.LG', 'cs.IR'],
    primaryCategory: 'cs.LG',
    signals: upvotes === undefined ? {} : { upvotes },
  });
  if (!r.ok) throw new Error(r.reason);
  return applyObservation(undefined, ID, r.observation);
}

const snapshot: RankingSnapshot = {
  _id: '7d.cs.LG.1764324000000',
  window: '7d',
  category: 'cs.LG',
  asOf: AT,
  scoreVersion: 's1',
  constants: {},
  entries: [
    { ...bareRow('arxiv:a', '', AT, 'cs.LG'), rank: 1, score: 3, breakdown: {}, title: 'A' },
    { ...bareRow('arxiv:b', '', AT, 'cs.LG'), rank: 2, score: 2, breakdown: {}, title: 'B' },
  ],
  changes: {
    topN: 1,
    entered: [{ paperId: 'arxiv:a', title: 'A', rank: 1, from: 2 }],
    left: [{ paperId: 'arxiv:b', title: 'B', rank: 1, to: 2 }],
    moved: [],
  },
};

const built = (): PaperwireEvent[] => [
  paperCreated(paper(1), AT),
  paperRevised(paper(1), { ...paper(2), title: 'Sparse models, revisited', abstract: 'New.' }, AT)!,
  paperMerged(paper(1), 'fp:abc', AT),
  paperSignals(paper(1), paper(1, 7), AT)!,
  ...trendingEvents(snapshot),
];

describe('event schemas', () => {
  it('accept every builder’s output, by its own type’s schema and by the union', () => {
    const events = built();
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(EVENT_TYPES));
    for (const e of events) {
      expect(EVENT_SCHEMAS[e.type].safeParse(e).error).toBeUndefined();
      expect(paperwireEventSchema.parse(e)).toEqual(e);
    }
  });

  it.each([
    ['an unknown type', (e: PaperwireEvent) => ({ ...e, type: 'paper.deleted' })],
    ['another version', (e: PaperwireEvent) => ({ ...e, version: 2 })],
    ['an id of another type', (e: PaperwireEvent) => ({ ...e, id: `trending.left:${ID}` })],
    ['a local time', (e: PaperwireEvent) => ({ ...e, occurredAt: '2026-11-28 10:00' })],
    ['an unknown data field', (e: PaperwireEvent) => ({ ...e, data: { ...e.data, extra: 1 } })],
  ])('refuse %s', (_name, change) => {
    expect(paperwireEventSchema.safeParse(change(built()[0]!)).success).toBe(false);
  });

  it('export a JSON Schema with one branch per type', () => {
    const schema = eventsJsonSchema();
    const branches = (schema.oneOf ?? schema.anyOf) as { properties: { type: { const: string } } }[];
    expect(branches.map((b) => b.properties.type.const).sort()).toEqual([...EVENT_TYPES].sort());
  });
});
