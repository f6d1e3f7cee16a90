export * from './config.ts';
export {
  ALL_CATEGORIES,
  type PublishedSnapshot,
  type ScoreRankingsDeps,
  type ScoreRankingsResult,
  scoreRankingsHandler,
} from './jobs/score-rankings.job.ts';
export * from './service.ts';
