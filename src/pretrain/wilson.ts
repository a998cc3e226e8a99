import assert from "node:assert/strict";

/**
 * The Wilson score interval for a binomial proportion: unlike the normal approximation it stays inside
 * [0, 1] and is sensible at 0 and n successes, which small benchmark slices hit often.
 */

/** z for a two-sided 95% interval. */
export const zFor95Percent = 1.959963984540054;

export interface Proportion {
  readonly correct: number;
  readonly total: number;
  /** correct / total (0 when total is 0). */
  readonly accuracy: number;
  /** 95% Wilson interval; [0, 1] when total is 0 (nothing is known). */
  readonly low: number;
  readonly high: number;
}

export function wilsonInterval(
  successes: number,
  total: number,
  z = zFor95Percent,
): { low: number; high: number } {
  assert(Number.isInteger(total) && total >= 0, `total ${total} must be a whole number`);
  assert(
    Number.isInteger(successes) && successes >= 0 && successes <= total,
    `successes ${successes} outside [0, ${total}]`,
  );
  if (total === 0) return { low: 0, high: 1 };
  const proportion = successes / total;
  const zSquared = z * z;
  const denominator = 1 + zSquared / total;
  const centre = (proportion + zSquared / (2 * total)) / denominator;
  const halfWidth =
    (z / denominator) * Math.sqrt((proportion * (1 - proportion)) / total + zSquared / (4 * total * total));
  // Clamped: at 0 or n successes rounding can put a bound a hair outside [0, 1] or past the estimate.
  return {
    low: Math.max(0, Math.min(proportion, centre - halfWidth)),
    high: Math.min(1, Math.max(proportion, centre + halfWidth)),
  };
}

export function proportion(correct: number, total: number): Proportion {
  return { correct, total, accuracy: total === 0 ? 0 : correct / total, ...wilsonInterval(correct, total) };
}
