/**
 * Descriptive statistics for comparing two scorings of the same samples: summaries with quantiles,
 * the shift between two distributions, and Kendall's tau-b between two orderings of one group.
 */
import assert from "node:assert/strict";

/** The quantiles every summary reports (0 and 1 are the minimum and the maximum). */
export const summaryQuantiles = [0, 0.1, 0.25, 0.5, 0.75, 0.9, 1] as const;

export interface DistributionSummary {
  readonly count: number;
  /** null for an empty distribution. */
  readonly mean: number | null;
  /** Population standard deviation; null for an empty distribution. */
  readonly standardDeviation: number | null;
  /** One value per {@link summaryQuantiles} entry; empty for an empty distribution. */
  readonly quantiles: readonly number[];
}

export interface DistributionShift {
  readonly before: DistributionSummary;
  readonly after: DistributionSummary;
  /** after - before; null when either side is empty. */
  readonly meanShift: number | null;
  readonly standardDeviationShift: number | null;
  /** after - before per quantile; empty when either side is empty. */
  readonly quantileShifts: readonly number[];
}

export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** The q-quantile of ascending `sorted` by linear interpolation between order statistics (R's type 7). */
export function quantileOfSorted(sorted: readonly number[], q: number): number {
  assert(sorted.length > 0, "the quantile of an empty distribution is undefined");
  assert(q >= 0 && q <= 1, `quantile ${q} outside [0, 1]`);
  const position = q * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const low = sorted[lower]!;
  const high = sorted[upper]!;
  // Equal neighbours return themselves exactly: interpolating could round them by an ulp.
  return low === high ? low : low + (high - low) * (position - lower);
}

export function summariseDistribution(values: readonly number[]): DistributionSummary {
  const average = mean(values);
  if (average === null) return { count: 0, mean: null, standardDeviation: null, quantiles: [] };
  const variance = values.reduce((sum, value) => sum + (value - average) ** 2, 0) / values.length;
  const sorted = [...values].sort((left, right) => left - right);
  return {
    count: values.length,
    mean: average,
    standardDeviation: Math.sqrt(variance),
    quantiles: summaryQuantiles.map((q) => quantileOfSorted(sorted, q)),
  };
}

export function distributionShift(before: readonly number[], after: readonly number[]): DistributionShift {
  const summaryBefore = summariseDistribution(before);
  const summaryAfter = summariseDistribution(after);
  const difference = (left: number | null, right: number | null) =>
    left === null || right === null ? null : right - left;
  return {
    before: summaryBefore,
    after: summaryAfter,
    meanShift: difference(summaryBefore.mean, summaryAfter.mean),
    standardDeviationShift: difference(summaryBefore.standardDeviation, summaryAfter.standardDeviation),
    quantileShifts:
      summaryBefore.count === 0 || summaryAfter.count === 0
        ? []
        : summaryAfter.quantiles.map((value, index) => value - summaryBefore.quantiles[index]!),
  };
}

/**
 * Kendall's tau-b between two scorings of the same items, in [-1, 1]. Two all-tied scorings order
 * the items identically (1); when only one is all tied the correlation is undefined (null).
 */
export function kendallTauB(left: readonly number[], right: readonly number[]): number | null {
  assert.equal(left.length, right.length, "rank correlation needs paired scores");
  let concordance = 0;
  let pairsUntiedLeft = 0;
  let pairsUntiedRight = 0;
  for (let first = 0; first < left.length; first++) {
    for (let second = first + 1; second < left.length; second++) {
      const leftOrder = Math.sign(left[second]! - left[first]!);
      const rightOrder = Math.sign(right[second]! - right[first]!);
      concordance += leftOrder * rightOrder;
      if (leftOrder !== 0) pairsUntiedLeft += 1;
      if (rightOrder !== 0) pairsUntiedRight += 1;
    }
  }
  if (pairsUntiedLeft === 0 && pairsUntiedRight === 0) return 1;
  if (pairsUntiedLeft === 0 || pairsUntiedRight === 0) return null;
  const tau = concordance / Math.sqrt(pairsUntiedLeft * pairsUntiedRight);
  // Rounding can push a perfect agreement a hair past 1.
  return Math.max(-1, Math.min(1, tau));
}

/** Whether some pair of items is ordered differently (a tie counts as an order of its own). */
export function orderingChanged(left: readonly number[], right: readonly number[]): boolean {
  assert.equal(left.length, right.length, "an ordering comparison needs paired scores");
  for (let first = 0; first < left.length; first++) {
    for (let second = first + 1; second < left.length; second++) {
      if (Math.sign(left[second]! - left[first]!) !== Math.sign(right[second]! - right[first]!)) return true;
    }
  }
  return false;
}

/** Whether some position's value has a different sign (negative, zero, positive) in `right`. */
export function signChanged(left: readonly number[], right: readonly number[]): boolean {
  assert.equal(left.length, right.length, "a sign comparison needs paired values");
  return left.some((value, index) => Math.sign(value) !== Math.sign(right[index]!));
}
