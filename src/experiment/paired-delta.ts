import assert from "node:assert/strict";

/**
 * Paired comparisons of two Solvers on the same benchmark items (pure). Each item scores 1 (right)
 * or 0 (wrong) per seed. The delta of an item is B minus A; across seeds each item's delta is first
 * averaged over the seeds, then a t interval (df = items - 1) is taken over the items. Items are the
 * unit of pairing, so the interval covers item sampling; seeds are averaged within each item.
 */

export const intervalMethod =
  "paired on items: each item's delta (B - A) averaged over the seeds, then the mean over items with a 95% t interval (df = items - 1); per-seed deltas use the same interval on that seed's items";

/** A mean with its 95% interval; low/high are null with fewer than 2 values (no spread to estimate). */
export interface MeanInterval {
  readonly mean: number;
  readonly low: number | null;
  readonly high: number | null;
  /** Values (items) the mean is over. */
  readonly n: number;
}

export interface SeedDelta extends MeanInterval {
  readonly seed: string;
}

export interface PairedDelta extends MeanInterval {
  /** Seeds averaged within each item. */
  readonly seeds: number;
  readonly perSeed: readonly SeedDelta[];
}

/** Two-sided 95% quantiles of Student's t for df = 1..30 (standard tables). */
const t975Table = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

const z975 = 1.959963984540054;

/** The 0.975 quantile of Student's t: the table up to df 30, then the Cornish-Fisher series (error < 1e-4). */
export function tQuantile975(df: number): number {
  assert(Number.isInteger(df) && df >= 1, `degrees of freedom ${df} must be a whole number >= 1`);
  if (df <= t975Table.length) return t975Table[df - 1]!;
  const z = z975;
  const g1 = (z ** 3 + z) / 4;
  const g2 = (5 * z ** 5 + 16 * z ** 3 + 3 * z) / 96;
  const g3 = (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / 384;
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3;
}

/** The mean of `values` with its 95% t interval. */
export function meanInterval(values: readonly number[]): MeanInterval {
  const n = values.length;
  if (n === 0) return { mean: 0, low: null, high: null, n };
  const mean = values.reduce((sum, value) => sum + value, 0) / n;
  if (n < 2) return { mean, low: null, high: null, n };
  const squares = values.reduce((sum, value) => sum + (value - mean) ** 2, 0);
  const halfWidth = (tQuantile975(n - 1) * Math.sqrt(squares / (n - 1))) / Math.sqrt(n);
  // Why the min/max: rounding must never put the mean outside its own interval.
  return { mean, low: Math.min(mean, mean - halfWidth), high: Math.max(mean, mean + halfWidth), n };
}

/** Per-item scores of one Solver for one seed (1 right, 0 wrong), in the shared item order. */
export interface SeedScores {
  readonly seed: string;
  readonly scores: readonly number[];
}

function alignedSeeds(a: readonly SeedScores[], b: readonly SeedScores[]) {
  const bySeed = new Map(b.map((entry) => [entry.seed, entry]));
  const pairs = a.flatMap((entry) => {
    const other = bySeed.get(entry.seed);
    return other === undefined ? [] : [{ seed: entry.seed, a: entry.scores, b: other.scores }];
  });
  for (const pair of pairs)
    assert.equal(pair.a.length, pair.b.length, `seed ${pair.seed}: paired score lists differ in length`);
  const lengths = new Set(pairs.map((pair) => pair.a.length));
  assert(lengths.size <= 1, "every seed must score the same items");
  return pairs;
}

/**
 * B minus A, paired on items and on the seeds both have (a seed only one side has is left out).
 * `select` picks the items of a group (indices into the score lists); default all.
 */
export function pairedDelta(
  a: readonly SeedScores[],
  b: readonly SeedScores[],
  select?: readonly number[],
): PairedDelta {
  const pairs = alignedSeeds(a, b);
  const length = pairs[0]?.a.length ?? 0;
  const indices = select ?? Array.from({ length }, (_, index) => index);
  const itemDeltas = indices.map(
    (index) => pairs.reduce((sum, pair) => sum + (pair.b[index]! - pair.a[index]!), 0) / pairs.length,
  );
  const perSeed = pairs.map((pair) => ({
    seed: pair.seed,
    ...meanInterval(indices.map((index) => pair.b[index]! - pair.a[index]!)),
  }));
  return {
    ...(pairs.length === 0 ? meanInterval([]) : meanInterval(itemDeltas)),
    seeds: pairs.length,
    perSeed,
  };
}

/** Accuracy over seeds and items: each item's score averaged over the seeds, then a t interval over items. */
export function meanAccuracy(scores: readonly SeedScores[], select?: readonly number[]): MeanInterval {
  const length = scores[0]?.scores.length ?? 0;
  const indices = select ?? Array.from({ length }, (_, index) => index);
  if (scores.length === 0) return meanInterval([]);
  return meanInterval(
    indices.map((index) => scores.reduce((sum, entry) => sum + entry.scores[index]!, 0) / scores.length),
  );
}
