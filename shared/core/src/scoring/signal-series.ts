// Signal history of one (paper, source): append-only snapshots of the source's counters, compacted into
// coarser buckets as they age. Pure: every instant is a parameter.
import type { SignalName, Signals } from '../types.ts';
import { DAY_MS, HOUR_MS } from './windows.ts';

/** One observation of a source's counters for a paper. A signal the source did not report is absent. */
export interface SignalPoint {
  /** ISO-8601 instant of the observation. */
  at: string;
  signals: Signals;
}

/** Points whose whole bucket is at least `minAgeMs` old are merged into one point per `bucketMs`. */
export interface CompactionTier {
  minAgeMs: number;
  bucketMs: number;
}

/**
 * Every point of the last 48h, one per hour up to 7d, one per day up to 90d, one per week beyond. Buckets
 * are aligned to the Unix epoch in UTC (so weeks start on Thursday 00:00 UTC); alignment, and each bucket
 * size dividing the next, is what makes re-compacting later give the same result as compacting once.
 */
export const DEFAULT_COMPACTION_POLICY: readonly CompactionTier[] = [
  { minAgeMs: 2 * DAY_MS, bucketMs: HOUR_MS },
  { minAgeMs: 7 * DAY_MS, bucketMs: DAY_MS },
  { minAgeMs: 90 * DAY_MS, bucketMs: 7 * DAY_MS },
];

/** A point with its instant parsed, and its position in the input for last-write-wins ties. */
export interface TimedPoint {
  t: number;
  index: number;
  point: SignalPoint;
}

/** `timed` of each series already seen: series are read-only data, and a score job meets each one per window. */
const timedOf = new WeakMap<readonly SignalPoint[], readonly TimedPoint[]>();

/**
 * Parses and sorts by instant (stable). Points with an unparseable `at` are dropped: they have no place.
 * Remembered per series array (a series is never changed in place: `appendSignalPoints` and compaction
 * make new arrays), so ranking every board of every window parses each series once.
 */
export function timed(points: readonly SignalPoint[]): readonly TimedPoint[] {
  const known = timedOf.get(points);
  if (known) return known;
  const out: TimedPoint[] = [];
  points.forEach((point, index) => {
    const t = Date.parse(point.at);
    if (Number.isFinite(t)) out.push({ t, index, point });
  });
  out.sort((a, b) => a.t - b.t || a.index - b.index);
  Object.freeze(out);
  timedOf.set(points, out);
  return out;
}

function reported(signals: Signals, signal: SignalName): number | undefined {
  const v = signals[signal];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** `valueAt` over points already passed through `timed`. */
export function valueAtMs(
  points: readonly TimedPoint[],
  signal: SignalName,
  atMs: number,
): number | undefined {
  for (let i = points.length - 1; i >= 0; i--) {
    const p = points[i]!;
    if (p.t > atMs) continue;
    const v = reported(p.point.signals, signal);
    if (v !== undefined) return v;
  }
  return undefined;
}

/** `gainOver` over points already passed through `timed`. */
export function gainOverMs(
  points: readonly TimedPoint[],
  signal: SignalName,
  fromMs: number,
  toMs: number,
): number {
  if (!(fromMs < toMs)) return 0;
  const to = valueAtMs(points, signal, toMs);
  if (to === undefined) return 0;
  const from = valueAtMs(points, signal, fromMs) ?? 0;
  return Math.max(0, to - from);
}

/**
 * The value of `signal` as last reported at or before `at`; `undefined` when no point reports it by then.
 * Points that omit the signal are skipped (a source that did not report comments this time has not dropped
 * them to zero). Values are returned as reported, decreases included (Reddit scores fall, stars are removed).
 * Points at the same instant: the later one in the array wins.
 */
export function valueAt(points: readonly SignalPoint[], signal: SignalName, at: Date): number | undefined {
  return valueAtMs(timed(points), signal, at.getTime());
}

/**
 * Net gain of `signal` between `from` and `to`: value at `to` minus value at `from`, clamped at 0 (a net
 * decrease is no momentum, not negative momentum). With no point at or before `from` the baseline is 0:
 * everything first seen inside the window counts as gained inside it.
 */
export function gainOver(points: readonly SignalPoint[], signal: SignalName, from: Date, to: Date): number {
  return gainOverMs(timed(points), signal, from.getTime(), to.getTime());
}

function checkPolicy(policy: readonly CompactionTier[]): void {
  let prev: CompactionTier | undefined;
  for (const tier of policy) {
    const ok =
      Number.isFinite(tier.minAgeMs) &&
      tier.minAgeMs >= 0 &&
      Number.isInteger(tier.bucketMs) &&
      tier.bucketMs > 0 &&
      (prev === undefined || (tier.minAgeMs > prev.minAgeMs && tier.bucketMs % prev.bucketMs === 0));
    if (!ok) {
      throw new RangeError(
        'scoring: compaction tiers need increasing minAgeMs and positive bucketMs, each a multiple of the previous',
      );
    }
    prev = tier;
  }
}

/**
 * Thins a series as it ages. A point's bucket is in tier `i` when the whole bucket (epoch-aligned, size
 * `bucketMs`) is at least `minAgeMs` old; younger points are kept as they are. Each bucket becomes one
 * point at the instant of its last point, carrying the latest reported value of every signal in the
 * bucket, so `valueAt` at every kept instant is exactly what it was before compaction. Consequences: the
 * 24h gain and current totals are unchanged; a 7d (30d) gain may lose up to an hour (a day) at its start.
 * Deterministic; idempotent; compacting at `t1` and again at `t2 >= t1` equals compacting once at `t2`.
 * Output is sorted by `at`; points with an unparseable `at` are dropped.
 */
export function compactPoints(
  points: readonly SignalPoint[],
  now: Date,
  policy: readonly CompactionTier[] = DEFAULT_COMPACTION_POLICY,
): SignalPoint[] {
  checkPolicy(policy);
  const nowMs = now.getTime();
  if (!Number.isFinite(nowMs)) throw new RangeError('scoring: compactPoints needs a valid `now`');

  const out: SignalPoint[] = [];
  let runKey: string | undefined;
  let run: TimedPoint[] = [];
  const flush = () => {
    const last = run[run.length - 1];
    if (last === undefined) return;
    if (run.length === 1) {
      out.push(last.point);
    } else {
      const signals: Signals = {};
      for (const p of run) {
        for (const [name, v] of Object.entries(p.point.signals) as [SignalName, number | undefined][]) {
          if (typeof v === 'number' && Number.isFinite(v)) signals[name] = v;
        }
      }
      out.push({ at: last.point.at, signals });
    }
    run = [];
  };

  // Sorted by instant, tiers are contiguous (older points qualify for coarser tiers) and so are buckets.
  for (const p of timed(points)) {
    let key: string | undefined;
    for (let i = policy.length - 1; i >= 0; i--) {
      const { minAgeMs, bucketMs } = policy[i]!;
      const start = Math.floor(p.t / bucketMs) * bucketMs;
      if (start + bucketMs <= nowMs - minAgeMs) {
        key = `${i}:${start}`;
        break;
      }
    }
    if (key === undefined || key !== runKey) flush();
    runKey = key;
    run.push(p);
    if (key === undefined) flush();
  }
  flush();
  return out;
}
