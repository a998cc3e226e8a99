/**
 * What every decision is taken under: the reward configuration (rewards, measures, data filters) and
 * the GRPO configuration (advantages, dynamic sampling). A new reward, filter or dataset option is a
 * field of one of them (src/rewards/config.ts, grpo-config.ts) read by one decision function here.
 */
import { canonicalJson, sha256Hex } from "../events/index.ts";
import type { GrpoConfig, RewardConfig } from "../rewards/index.ts";

export interface DecisionConfig {
  readonly rewards: RewardConfig;
  readonly grpo: GrpoConfig;
}

/** The hash every RewardScored names: of the canonical JSON of the reward configuration. */
export function rewardConfigHash(rewards: RewardConfig): string {
  return sha256Hex(canonicalJson(rewards));
}

/** Scores and datasets are stated by these producers (neither is a policy, so version 0). */
export const scorer = { role: "scorer", version: 0 } as const;
export const coordinator = { role: "coordinator", version: 0 } as const;

/** Where a GRPO step sits. */
export interface StepPosition {
  readonly iteration: number;
  readonly step: number;
}

/** The logical key of an iteration's dataset (Coder prompts or Solver items). */
export function datasetEventKey(iteration: number, phase: "coder" | "solver"): string {
  return `i${iteration}/${phase}/dataset`;
}
