import assert from "node:assert/strict";

/**
 * The report's small statistics: mergeable tallies, shares, normalised entropy, histogram bins and
 * Wilson score intervals. Pure functions over plain numbers.
 */

/** A mergeable mean: how many values were seen and their sum. */
export interface Tally {
  readonly count: number;
  readonly sum: number;
}

export const emptyTally: Tally = { count: 0, sum: 0 };

export function tallyAdd(tally: Tally, value: number): Tally {
  assert(Number.isFinite(value), `a tally takes finite values, got ${value}`);
  return { count: tally.count + 1, sum: tally.sum + value };
}

export function tallyMerge(first: Tally, second: Tally): Tally {
  return { count: first.count + second.count, sum: first.sum + second.sum };
}

/** The mean, or null when nothing was seen. */
export function tallyMean(tally: Tally): number | null {
  return tally.count === 0 ? null : tally.sum / tally.count;
}

/** successes / total, or null when total is 0. */
export function rate(successes: number, total: number): number | null {
  assert(successes >= 0 && successes <= total, `rate ${successes}/${total} is not a proportion`);
  return total === 0 ? null : successes / total;
}

/** Adds `amount` to a named count, returning a new record (the input is not changed). */
export function countAdd(counts: Readonly<Record<string, number>>, name: string, amount = 1) {
  return { ...counts, [name]: (counts[name] ?? 0) + amount };
}

/** Each name's count over the total, in name order; empty when the total is 0. */
export function shares(counts: Readonly<Record<string, number>>): Record<string, number> {
  const total = Object.values(counts).reduce((sum, count) => sum + count, 0);
  if (total === 0) return {};
  return Object.fromEntries(
    Object.keys(counts)
      .sort()
      .map((name) => [name, counts[name]! / total]),
  );
}

/**
 * Shannon entropy of the counts divided by its maximum, log(categoryCount): 0 when every count
 * falls in one category, 1 when they spread evenly over all `categoryCount` categories. A log may
 * name more categories than expected (an older or foreign run); then the maximum counts them all.
 * Null when there are no counts.
 */
export function normalisedEntropy(
  counts: Readonly<Record<string, number>>,
  categoryCount: number,
): number | null {
  // Why sorted: the sum's rounding must not depend on the order categories were first seen.
  const values = Object.values(counts)
    .filter((count) => count > 0)
    .sort((first, second) => first - second);
  const total = values.reduce((sum, count) => sum + count, 0);
  if (total === 0) return null;
  const categories = Math.max(categoryCount, values.length);
  if (categories <= 1) return 0;
  const entropy = values.reduce((sum, count) => {
    const share = count / total;
    return sum - share * Math.log(share);
  }, 0);
  // Why the clamp: rounding can put an even spread a few ulps above 1.
  return Math.min(1, Math.max(0, entropy / Math.log(categories)));
}

/** The bin of a value in [0, 1] among `binCount` equal bins; 1 falls in the last bin. */
export function unitIntervalBin(value: number, binCount: number): number {
  assert(value >= 0 && value <= 1, `${value} is outside [0, 1]`);
  return Math.min(binCount - 1, Math.floor(value * binCount));
}

/** The z value of a two-sided 95% normal interval. */
export const wilsonZ95 = 1.959963984540054;

export interface ProportionInterval {
  readonly successes: number;
  readonly total: number;
  readonly estimate: number;
  readonly lower: number;
  readonly upper: number;
}

/**
 * Wilson score interval of a binomial proportion (95% by default): unlike the normal approximation
 * it stays inside [0, 1] and is sensible for the small counts of a benchmark slice. Null for total 0.
 */
export function wilsonInterval(successes: number, total: number, z = wilsonZ95): ProportionInterval | null {
  assert(Number.isInteger(successes) && Number.isInteger(total), "Wilson intervals take whole counts");
  assert(successes >= 0 && successes <= total, `successes ${successes} outside [0, ${total}]`);
  if (total === 0) return null;
  const estimate = successes / total;
  const z2 = z * z;
  const denominator = 1 + z2 / total;
  const centre = (estimate + z2 / (2 * total)) / denominator;
  const halfWidth =
    (z / denominator) * Math.sqrt((estimate * (1 - estimate)) / total + z2 / (4 * total * total));
  // Why min/max with the estimate: at 0 or n successes rounding could put a bound a hair past it.
  return {
    successes,
    total,
    estimate,
    lower: Math.max(0, Math.min(estimate, centre - halfWidth)),
    upper: Math.min(1, Math.max(estimate, centre + halfWidth)),
  };
}

/** A mean with its 95% interval; low/high are null with fewer than 2 values (no spread to estimate). */
export interface MeanInterval {
  readonly mean: number;
  readonly low: number | null;
  readonly high: number | null;
  /** Values (items) the mean is over. */
  readonly n: number;
}

/** Two-sided 95% quantiles of Student's t for df = 1..30 (standard tables). */
const t975Table = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** The 0.975 quantile of Student's t: the table up to df 30, then the Cornish-Fisher series (error < 1e-4). */
export function tQuantile975(df: number): number {
  assert(Number.isInteger(df) && df >= 1, `degrees of freedom ${df} must be a whole number >= 1`);
  if (df <= t975Table.length) return t975Table[df - 1]!;
  const z = wilsonZ95;
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
