export * from './config.ts';
export {
  type PlanDigestsDeps,
  type PlanDigestsResult,
  planDigests,
  planDigestsHandler,
} from './jobs/plan-digests.job.ts';
export {
  buildDigest,
  type SendDigestDeps,
  type SendDigestResult,
  sendDigestHandler,
  unsubscribeUrl,
} from './jobs/send-digest.job.ts';
export * from './mailer.ts';
export * from './service.ts';
