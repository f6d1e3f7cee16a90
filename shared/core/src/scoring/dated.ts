// Dated boards: the papers that first appeared in a calendar period (periods.ts), ranked by the signals
// they gathered. "Gathered" is the trending score without its time terms: each signal's total as of the
// board's instant (log-scaled and weighted as in the trending score), the cross-source bonus, feed mentions
// and the base; no velocity and no recency decay, so a paper that appeared on the 1st is not behind one
// that appeared on the 30th for being older. Pure.
import { inPeriod, type Period } from './periods.ts';
import { rankScored } from './rank.ts';
import type { RankedPaper } from './row.ts';
import {
  BREAKDOWN_FACTORS,
  firstSeenMs,
  type PaperScore,
  type ScoreConstants,
  type ScoreInput,
  scorePaper,
} from './score.ts';

/** The breakdown terms a dated board keeps: totals and the untimed bonuses (velocities are left out). */
const isGatheredTerm = (key: string) => !key.endsWith('.velocity') && !BREAKDOWN_FACTORS.has(key);

/**
 * What `input` gathered by `at`: the trending score's untimed terms with the decay undone (the 30d
 * window's decay; a dated board's papers are at most a month and a grace day old, so it never vanishes).
 */
export function gatheredScore(input: ScoreInput, at: Date, constants: ScoreConstants): PaperScore {
  const { breakdown } = scorePaper(input, '30d', at, constants);
  const decay = breakdown.decay ?? 0;
  const out: Record<string, number> = {};
  let score = 0;
  for (const [key, value] of Object.entries(breakdown)) {
    if (!isGatheredTerm(key)) continue;
    const undecayed = decay > 0 ? value / decay : 0;
    out[key] = undecayed;
    score += undecayed;
  }
  return { score, breakdown: out };
}

/**
 * The board of `period` as of `at`: the inputs first seen in it, by what they gathered. `carried` are the
 * rows of the period's previous board: a paper among them that is no longer an input (it left the scorer's
 * active set, so it gathered nothing since) keeps its row and score rather than dropping off the board.
 */
export function rankPeriod(
  inputs: readonly ScoreInput[],
  period: Period,
  at: Date,
  constants: ScoreConstants,
  limit: number,
  carried: readonly RankedPaper[] = [],
): RankedPaper[] {
  const scored = inputs
    .filter((input) => inPeriod(period, firstSeenMs(input)))
    .map((input) => ({ input, ...gatheredScore(input, at, constants) }));
  const present = new Set(scored.map((s) => s.input.paperId));
  for (const row of carried) {
    if (present.has(row.paperId)) continue;
    const input: ScoreInput = {
      paperId: row.paperId,
      title: row.title,
      firstSeenAt: row.firstSeenAt,
      sources: [],
      row,
      ...(row.primaryCategory ? { primaryCategory: row.primaryCategory } : {}),
    };
    scored.push({ input, score: row.score, breakdown: row.breakdown });
  }
  return rankScored(scored, limit).map(({ crossListed: _c, ...row }) => row);
}
