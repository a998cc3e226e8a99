import { wilsonInterval as wilsonProportion, wilsonZ95 } from "../report/statistics.ts";

/**
 * Accuracy with its Wilson interval in the shape `mmzero eval` reports it. The interval itself is
 * the report's (src/report/statistics.ts): one implementation of the statistic for the project.
 */

/** z for a two-sided 95% interval. */
export const zFor95Percent = wilsonZ95;

export interface Proportion {
  readonly correct: number;
  readonly total: number;
  /** correct / total (0 when total is 0). */
  readonly accuracy: number;
  /** 95% Wilson interval; [0, 1] when total is 0 (nothing is known). */
  readonly low: number;
  readonly high: number;
}

/** The Wilson bounds; [0, 1] when total is 0. */
export function wilsonInterval(
  successes: number,
  total: number,
  z = zFor95Percent,
): { low: number; high: number } {
  const interval = wilsonProportion(successes, total, z);
  return interval === null ? { low: 0, high: 1 } : { low: interval.lower, high: interval.upper };
}

export function proportion(correct: number, total: number): Proportion {
  return { correct, total, accuracy: total === 0 ? 0 : correct / total, ...wilsonInterval(correct, total) };
}
