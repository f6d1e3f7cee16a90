// The hand-off from resolver to scorer. Resolvers add changed paper ids to a dirty set and to the
// activity index (a sorted set by last activity); a debounced score job drains the dirty set in batches.
// Draining moves ids to a processing set first (SPOP+SADD in one script), and they leave it only after the
// batch is scored, so an update that lands mid-batch stays dirty and a crashed batch is taken again.
// (SADD in chunks: Lua's unpack() cannot take more than a few thousand values at once.)
import type { Redis } from 'ioredis';
import { jobId } from './catalogue.ts';
import type { Queues } from './queues.ts';

const TAKE = `
local ids = redis.call('SPOP', KEYS[1], ARGV[1])
for i = 1, #ids, 1000 do
  redis.call('SADD', KEYS[2], unpack(ids, i, math.min(i + 999, #ids)))
end
return ids`;

/** Score jobs triggered by dirty papers run at most once per this many ms. */
export const SCORE_DEBOUNCE_MS = 2_000;
/**
 * The debounce is at least this many times the last debounced job's duration, so scoring takes at most about
 * a fifth of a busy ingest's time: ranking the whole active set on every board takes seconds once it holds
 * tens of thousands of papers, and jobs asked for every 2 s would queue up and keep a core from resolving.
 * (2, half the time, let scoring outpace the resolver it shares the machine with: a 20,000-entry cold ingest
 * ran 25–40 score jobs at 330–360 entries/s, and 15 at 393 with 4; boards then trail a bulk ingest by about
 * four times a job's duration, never more than MAX_SCORE_DEBOUNCE_MS.)
 */
export const SCORE_PACE = 4;
/** However slow scoring gets, dirty papers are ranked within about this long. */
export const MAX_SCORE_DEBOUNCE_MS = 64_000;

/**
 * The debounce after a debounced job that took `lastJobMs` (none recorded: the plain 2 s): the smallest of
 * 2, 4, 8, … 64 s that is at least SCORE_PACE times it. Doubling steps, not the exact figure: the debounce is
 * part of the job id, and one that moved with every job would make a new id, so a new job, each time.
 */
export function scoreDebounceMs(lastJobMs: number | undefined): number {
  const paced = lastJobMs !== undefined && Number.isFinite(lastJobMs) ? SCORE_PACE * lastJobMs : 0;
  let ms = SCORE_DEBOUNCE_MS;
  while (ms < paced && ms < MAX_SCORE_DEBOUNCE_MS) ms *= 2;
  return Math.min(ms, MAX_SCORE_DEBOUNCE_MS);
}

/** How long the last debounced score job's record is trusted (a scorer gone quiet starts over at 2 s). */
const PACE_TTL_MS = 3_600_000;

export function dirtyPapers(redis: Redis, prefix: string) {
  const dirtyKey = `${prefix}:pw:dirty`;
  const processingKey = `${prefix}:pw:scoring`;
  const activeKey = `${prefix}:pw:active`;
  const paceKey = `${prefix}:pw:score-ms`;
  return {
    /** Records how long a debounced score job took (the next debounce follows it). */
    async recordScoreJob(ms: number): Promise<void> {
      await redis.set(paceKey, String(Math.round(ms)), 'PX', PACE_TTL_MS);
    },
    /** The debounce to ask for now: scoreDebounceMs of the last recorded job. */
    async debounceMs(): Promise<number> {
      const v = await redis.get(paceKey);
      return scoreDebounceMs(v === null ? undefined : Number(v));
    },
    async mark(paperIds: readonly string[], at: Date): Promise<void> {
      if (paperIds.length === 0) return;
      const multi = redis.multi();
      multi.sadd(dirtyKey, ...paperIds);
      multi.zadd(activeKey, ...paperIds.flatMap((id) => [at.getTime(), id]));
      await multi.exec();
    },
    /** Ids left in processing by a crashed batch first, then up to `count` dirty ids. */
    async take(count: number): Promise<string[]> {
      const leftover = await redis.smembers(processingKey);
      if (leftover.length > 0) return leftover;
      return (await redis.eval(TAKE, 2, dirtyKey, processingKey, String(count))) as string[];
    },
    async done(paperIds: readonly string[]): Promise<void> {
      if (paperIds.length > 0) await redis.srem(processingKey, ...paperIds);
    },
    async pending(): Promise<number> {
      return (await redis.scard(dirtyKey)) + (await redis.scard(processingKey));
    },
    /** Paper ids active since `since` (the only ones a periodic re-score touches). */
    async activeSince(since: Date): Promise<string[]> {
      return redis.zrangebyscore(activeKey, since.getTime(), '+inf');
    },
    /** Like `activeSince`, with each paper's last activity (ms): what changed since a given time. */
    async activeSinceWithTimes(since: Date): Promise<[string, number][]> {
      const flat = await redis.zrangebyscore(activeKey, since.getTime(), '+inf', 'WITHSCORES');
      const out: [string, number][] = [];
      for (let i = 0; i < flat.length; i += 2) out.push([flat[i]!, Number(flat[i + 1])]);
      return out;
    },
    /** Forget activity older than `before` (the longest window). */
    async trimActive(before: Date): Promise<number> {
      return redis.zremrangebyscore(activeKey, '-inf', `(${before.getTime()}`);
    },
  };
}
export type DirtyPapers = ReturnType<typeof dirtyPapers>;

/**
 * Enqueues the debounced score job: one per debounce slot (`debounceMs`, from DirtyPapers.debounceMs),
 * however many batches ask.
 */
export async function requestScoring(
  queues: Pick<Queues, 'enqueue'>,
  now: Date,
  debounceMs: number = SCORE_DEBOUNCE_MS,
): Promise<void> {
  const slot = Math.floor(now.getTime() / debounceMs);
  await queues.enqueue(
    'score-rankings',
    { reason: 'dirty' },
    { jobId: jobId('score', 'dirty', debounceMs, slot), delay: debounceMs },
  );
}
