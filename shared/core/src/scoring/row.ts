// A ranked row: what a reader's page shows of one paper on a board (the seed page: title, abstract, authors,
// dates, signals, organisation, links), written into the ranking snapshot when the scorer publishes it, so
// one `GET /trending` renders a page with no further reads. One zod schema is the contract: the TypeScript
// type, the API's response schema and its OpenAPI document all come from `rankedPaperSchema`. Pure.
import { z } from 'zod';
import { type Paper, type PaperIds, SIGNAL_NAMES, type SignalName, SOURCES, type Source } from '../types.ts';
import type { SignalPoint } from './signal-series.ts';

/** Per-source signal history (the shape of `SeriesBySource` in from-paper.ts). */
type SeriesLike = Partial<Record<Source, { feeds?: readonly string[]; points: readonly SignalPoint[] }>>;

/** Authors kept in a row (a 3,000-author collaboration would otherwise dominate a snapshot). */
export const ROW_AUTHORS_MAX = 20;
/** Latest points kept per source and signal in a row's history (the board's sparklines). */
export const ROW_HISTORY_POINTS = 24;

const isoInstant = z.string().min(1).max(40);

export const rowAuthorSchema = z.strictObject({
  name: z.string(),
  /** Normalised for matching (lower case, no accents, initials collapsed): what author filters compare. */
  key: z.string(),
});

export const rowLinksSchema = z.strictObject({
  abs: z.string().optional(),
  pdf: z.string().optional(),
  html: z.string().optional(),
  /** The paper's Hugging Face page, when Hugging Face lists it. */
  hf: z.string().optional(),
  code: z.string().optional(),
  project: z.string().optional(),
});

/** A paper's ids, as rows and events carry them (the one schema of `PaperIds`). */
export const rowIdsSchema = z.strictObject({
  arxiv: z.string().optional(),
  doi: z.string().optional(),
  hf: z.string().optional(),
  openreview: z.string().optional(),
  s2: z.string().optional(),
  openalex: z.string().optional(),
} satisfies Record<keyof PaperIds, z.ZodType>);

/** One source's current total of one signal, summed over that source's sightings. */
export const rowSignalSchema = z.strictObject({
  source: z.enum(SOURCES),
  name: z.enum(SIGNAL_NAMES),
  value: z.number(),
});

/** The latest points of one source's signal, oldest first. */
export const rowSeriesSchema = z.strictObject({
  source: z.enum(SOURCES),
  signal: z.enum(SIGNAL_NAMES),
  points: z.array(z.strictObject({ at: isoInstant, value: z.number() })).max(ROW_HISTORY_POINTS),
});

/** What a paper shows wherever it is ranked (independent of the board it is on). */
export const paperRowSchema = z.strictObject({
  paperId: z.string().min(1),
  title: z.string(),
  /** In full. */
  abstract: z.string().optional(),
  /** The first `ROW_AUTHORS_MAX`, in order; `authorCount` is the whole list's length. */
  authors: z.array(rowAuthorSchema).max(ROW_AUTHORS_MAX),
  authorCount: z.number().int().min(0),
  organization: z.string().optional(),
  primaryCategory: z.string().optional(),
  /** Every category of the paper (arXiv cross-lists included), primary first. */
  categories: z.array(z.string()),
  publishedAt: z.string().optional(),
  /** When the paper first appeared anywhere (the start of its age for ranking). */
  firstSeenAt: isoInstant,
  ids: rowIdsSchema,
  /** Current totals, sorted by source then signal. */
  signals: z.array(rowSignalSchema),
  /** Recent history per source and signal (sorted the same way), for sparklines. */
  history: z.array(rowSeriesSchema),
  links: rowLinksSchema,
});
export type PaperRow = z.infer<typeof paperRowSchema>;

/** One entry of a ranking snapshot: the paper's row plus its place and score on this board. */
export const rankedPaperSchema = paperRowSchema.extend({
  rank: z.number().int().min(1),
  score: z.number(),
  /** Each component's contribution to `score` (and the factors in `BREAKDOWN_FACTORS`). */
  breakdown: z.record(z.string(), z.number()),
  /** On a category board: the paper is there through a cross-list (its primary category is another). */
  crossListed: z.boolean().optional(),
});
export type RankedPaper = z.infer<typeof rankedPaperSchema>;

/**
 * A ranked row as events carry it (`trending.*` webhooks): without the breakdown, whose dotted names the
 * outbox (a FerretDB collection) cannot store as keys.
 */
export const eventRowSchema = rankedPaperSchema.omit({ breakdown: true });
export type EventRow = z.infer<typeof eventRowSchema>;

export function eventRow(entry: RankedPaper): EventRow {
  const { breakdown: _breakdown, ...row } = entry;
  return row;
}

/** Drops undefined fields: stored documents carry no `null` stand-ins and schemas stay strict. */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

const bySourceThenName = (a: { source: string; k: string }, b: { source: string; k: string }) =>
  a.source === b.source ? (a.k < b.k ? -1 : a.k > b.k ? 1 : 0) : a.source < b.source ? -1 : 1;

/** One series per source and signal, oldest point first, sorted by source then signal. */
export function signalSeriesView(series: SeriesLike, maxPoints = Number.POSITIVE_INFINITY) {
  const out: { source: Source; signal: SignalName; points: { at: string; value: number }[] }[] = [];
  for (const [source, entry] of Object.entries(series) as [Source, SeriesLike[Source]][]) {
    if (!entry) continue;
    const bySignal = new Map<SignalName, { at: string; value: number }[]>();
    for (const point of [...(entry.points ?? [])].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))) {
      for (const [signal, value] of Object.entries(point.signals ?? {}) as [
        SignalName,
        number | undefined,
      ][]) {
        if (typeof value !== 'number' || !Number.isFinite(value)) continue;
        const points = bySignal.get(signal) ?? [];
        points.push({ at: point.at, value });
        bySignal.set(signal, points);
      }
    }
    for (const [signal, points] of bySignal) {
      out.push({ source, signal, points: points.slice(Math.max(0, points.length - maxPoints)) });
    }
  }
  return out.sort((a, b) => bySourceThenName({ ...a, k: a.signal }, { ...b, k: b.signal }));
}

/** Current totals per source and signal over the paper's sightings, sorted by source then signal. */
export function rowSignals(paper: Pick<Paper, 'sightings'>): PaperRow['signals'] {
  const totals = new Map<string, { source: Source; name: SignalName; value: number }>();
  for (const s of paper.sightings) {
    for (const [name, value] of Object.entries(s.signals ?? {}) as [SignalName, number | undefined][]) {
      if (typeof value !== 'number' || !Number.isFinite(value)) continue;
      const key = `${s.source}\u0000${name}`;
      const t = totals.get(key) ?? { source: s.source, name, value: 0 };
      t.value += value;
      totals.set(key, t);
    }
  }
  return [...totals.values()].sort((a, b) => bySourceThenName({ ...a, k: a.name }, { ...b, k: b.name }));
}

/** The paper's Hugging Face page, when Hugging Face lists it (its HF id is the arXiv id). */
export function hfPageUrl(hfId: string | undefined): string | undefined {
  return hfId ? `https://huggingface.co/papers/${encodeURIComponent(hfId)}` : undefined;
}

/** Every category once, the primary first. */
export function rowCategories(paper: Pick<Paper, 'primaryCategory' | 'categories'>): string[] {
  const all = paper.primaryCategory ? [paper.primaryCategory, ...paper.categories] : paper.categories;
  return [...new Set(all.filter((c) => c.length > 0))];
}

/** The row of a stored paper; `firstSeenAt` is the paper's age origin (`ageOrigin`). */
export function paperRow(paper: Paper, series: SeriesLike, firstSeenAt: string): PaperRow {
  return defined({
    paperId: paper._id,
    title: paper.title,
    abstract: paper.abstract || undefined,
    authors: paper.authors.slice(0, ROW_AUTHORS_MAX).map((a) => ({ name: a.name, key: a.key })),
    authorCount: paper.authors.length,
    organization: paper.organization || undefined,
    primaryCategory: paper.primaryCategory,
    categories: rowCategories(paper),
    publishedAt: paper.publishedAt,
    firstSeenAt,
    ids: defined({ ...paper.ids }),
    signals: rowSignals(paper),
    history: signalSeriesView(series, ROW_HISTORY_POINTS),
    links: defined({
      abs: paper.links.abs,
      pdf: paper.links.pdf,
      html: paper.links.html,
      hf: hfPageUrl(paper.ids.hf),
      code: paper.links.code,
      project: paper.links.project,
    }),
  });
}

/** The row of a paper known only by id and title (an input built without its paper: tests, old inputs). */
export function bareRow(
  paperId: string,
  title: string,
  firstSeenAt: string,
  primaryCategory?: string,
): PaperRow {
  return defined({
    paperId,
    title,
    authors: [],
    authorCount: 0,
    primaryCategory,
    categories: primaryCategory ? [primaryCategory] : [],
    firstSeenAt,
    ids: {},
    signals: [],
    history: [],
    links: {},
  });
}
