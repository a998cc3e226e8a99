/**
 * Group-relative advantages: `A_i = (r_i - mean) / (std + epsilon)` with the unbiased std over the n
 * responses to one prompt (EasyR1's `compute_grpo_outcome_advantage`), or `r_i - mean` without std
 * scaling (Dr. GRPO). The advantage is broadcast to every token of its response by the loss.
 */

import { InconsistentInputError } from "./errors.ts";
import type { GrpoConfig } from "./grpo-config.ts";

/** DAPO's dynamic-sampling predicate: a group carries signal iff its rewards are not all identical. */
export function isInformativeGroup(rewards: readonly number[]): boolean {
  return rewards.some((reward) => reward !== rewards[0]);
}

/**
 * The advantages of one group, in order. Identical rewards give exact zeros: the floating-point mean of
 * equal values can differ from them by an ulp, which dividing by `0 + epsilon` would blow up to noise.
 */
export function groupAdvantages(rewards: readonly number[], config: GrpoConfig): number[] {
  if (rewards.length < 2) {
    throw new InconsistentInputError(
      "GRPO group",
      "at least 2 rewards (the unbiased std needs n > 1)",
      `${rewards.length}`,
    );
  }
  if (!rewards.every(Number.isFinite)) {
    throw new InconsistentInputError("GRPO group", "finite rewards", JSON.stringify(rewards));
  }
  if (!isInformativeGroup(rewards)) return rewards.map(() => 0);
  const mean = rewards.reduce((sum, reward) => sum + reward, 0) / rewards.length;
  const centred = rewards.map((reward) => reward - mean);
  if (!config.advantage.scaleByStandardDeviation) return centred;
  const variance = centred.reduce((sum, value) => sum + value * value, 0) / (rewards.length - 1);
  const scale = Math.sqrt(variance) + config.advantage.epsilon;
  return centred.map((value) => value / scale);
}

/**
 * Indices of the groups that enter the update: all of them, or with dynamic sampling only the
 * informative ones (the trainer refills the batch by sampling more prompts).
 */
export function groupsForUpdate(groups: readonly (readonly number[])[], config: GrpoConfig): number[] {
  return groups.flatMap((rewards, index) =>
    !config.dynamicSampling || isInformativeGroup(rewards) ? [index] : [],
  );
}
