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
