import { wilsonInterval, wilsonZ95 } from "../report/index.ts";

/**
 * Accuracy with its Wilson interval in the shape `mmzero eval` reports it. The interval itself is
 * the report's (src/report/statistics.ts `wilsonInterval`): one implementation of the statistic.
 */

export interface Proportion {
  readonly correct: number;
  readonly total: number;
  /** correct / total (0 when total is 0). */
  readonly accuracy: number;
  /** 95% Wilson interval; [0, 1] when total is 0 (nothing is known). */
  readonly low: number;
  readonly high: number;
}

export function proportion(correct: number, total: number): Proportion {
  const interval = wilsonInterval(correct, total, wilsonZ95);
  return {
    correct,
    total,
    accuracy: total === 0 ? 0 : correct / total,
    low: interval?.lower ?? 0,
    high: interval?.upper ?? 1,
  };
}
