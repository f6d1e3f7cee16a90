// Public API of the scoring module: pure trending scores, rankings and signal-series compaction.
export { DEFAULT_CHANGES_TOP_N, rankingChanges, sameOrder } from './changes.ts';
export { gatheredScore, rankPeriod } from './dated.ts';
export { ageOrigin, arxivIdAppearedBy, type SeriesBySource, scoreInputFromPaper } from './from-paper.ts';
export {
  frozenAtMs,
  inPeriod,
  isFrozen,
  isoWeekKey,
  isoWeekOf,
  isoWeeksInYear,
  openPeriods,
  PERIOD_GRACE_MS,
  PERIOD_KINDS,
  type Period,
  type PeriodKind,
  parsePeriod,
  periodAt,
  previousPeriod,
} from './periods.ts';
export {
  boardCategoriesOf,
  categoryOf,
  categoryScales,
  isActive,
  type RankOptions,
  rankBoards,
  rankByCategory,
  rankScored,
  rankWindow,
  UNCATEGORISED,
} from './rank.ts';
export {
  bareRow,
  type EventRow,
  eventRow,
  eventRowSchema,
  hfPageUrl,
  type PaperRow,
  paperRow,
  paperRowSchema,
  type RankedPaper,
  ROW_AUTHORS_MAX,
  ROW_HISTORY_POINTS,
  rankedPaperSchema,
  rowCategories,
  rowSignals,
  signalSeriesView,
} from './row.ts';
export {
  BREAKDOWN_FACTORS,
  DEFAULT_SCORE_CONSTANTS,
  type HalfLifeKey,
  type PaperScore,
  resolveScoreConstants,
  SCORE_VERSION,
  type ScoreConstants,
  type ScoreInput,
  ScoreInputError,
  SIGNAL_WEIGHT_KEYS,
  type SignalWeightKey,
  type SourceSeries,
  scorePaper,
  sumContributions,
  validateScoreConstants,
} from './score.ts';
export {
  type CompactionTier,
  compactPoints,
  DEFAULT_COMPACTION_POLICY,
  gainOver,
  type SignalPoint,
  valueAt,
} from './signal-series.ts';
export type {
  DatedSnapshot,
  RankEntered,
  RankingChanges,
  RankingSnapshot,
  RankLeft,
  RankMoved,
} from './snapshot.ts';
export { DAY_MS, HOUR_MS, WINDOW_MS, windowStart } from './windows.ts';
