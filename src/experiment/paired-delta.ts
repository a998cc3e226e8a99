import assert from "node:assert/strict";
import { type MeanInterval, meanInterval } from "../report/index.ts";

// One implementation of the mean and its t interval for the project (src/report/statistics.ts).
export { type MeanInterval, meanInterval, tQuantile975 } from "../report/index.ts";

/**
 * Paired comparisons of two Solvers on the same benchmark items (pure). Each item scores 1 (right)
 * or 0 (wrong) per seed. The delta of an item is B minus A; across seeds each item's delta is first
 * averaged over the seeds, then a t interval (df = items - 1) is taken over the items. Items are the
 * unit of pairing, so the interval covers item sampling; seeds are averaged within each item.
 */

export const intervalMethod =
  "paired on items: each item's delta (B - A) averaged over the seeds, then the mean over items with a 95% t interval (df = items - 1); per-seed deltas use the same interval on that seed's items; across seeds: the per-seed deltas' mean with a 95% t interval over seeds (df = seeds - 1), which also covers the spread between training runs";

export interface SeedDelta extends MeanInterval {
  readonly seed: string;
}

export interface PairedDelta extends MeanInterval {
  /** Seeds averaged within each item. */
  readonly seeds: number;
  readonly perSeed: readonly SeedDelta[];
  /**
   * The same mean with a t interval over the per-seed deltas (df = seeds - 1; no bounds below 2 seeds).
   * Why both: the item interval treats the runs as fixed, so it misses how much two training runs of
   * one configuration differ (docs/learning.md E18: one seed of three moved a comparison by 12 points).
   * A claim about a configuration, not about these runs, needs this interval to exclude 0 too.
   */
  readonly acrossSeeds: MeanInterval;
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
  const acrossSeeds = meanInterval(perSeed.map((entry) => entry.mean));
  return {
    ...(pairs.length === 0 ? meanInterval([]) : meanInterval(itemDeltas)),
    seeds: pairs.length,
    perSeed,
    acrossSeeds,
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
