import { type GrpoConfig, groupAdvantages, isInformativeGroup } from "../rewards/index.ts";

/** A GRPO group's decision: its advantages, and whether the update leaves it out. */
export interface GroupDecision {
  readonly advantages: readonly number[];
  /** DAPO's dynamic sampling: a group whose rewards are all equal carries no signal and is dropped. */
  readonly dropped: boolean;
}

/** Decides one group from its rollouts' rewards, in rollout order. */
export function scoreGroup(rewards: readonly number[], grpo: GrpoConfig): GroupDecision {
  return {
    advantages: groupAdvantages(rewards, grpo),
    dropped: grpo.dynamicSampling && !isInformativeGroup(rewards),
  };
}
