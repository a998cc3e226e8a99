/**
 * What every decision is taken under: the reward configuration (rewards, measures, data filters) and
 * the GRPO configuration (advantages, dynamic sampling). A new reward, filter or dataset option is a
 * field of one of them (src/rewards/config.ts, grpo-config.ts) read by one decision function here.
 */
import { canonicalJson, type EventSpec, type PayloadOf, sha256Hex } from "../events/index.ts";
import type { GrpoConfig, RewardConfig } from "../rewards/index.ts";

export interface DecisionConfig {
  readonly rewards: RewardConfig;
  readonly grpo: GrpoConfig;
}

/** The hash every RewardScored names: of the canonical JSON of the reward configuration. */
export function rewardConfigHash(rewards: RewardConfig): string {
  return sha256Hex(canonicalJson(rewards));
}

/** The part of a reward the scorer states; the step's position and the configuration's hash complete it. */
type ScoredPayload =
  PayloadOf<"RewardScored"> extends infer Payload
    ? Payload extends unknown
      ? Omit<Payload, "iteration" | "step" | "configHash">
      : never
    : never;

/**
 * One scored output: its logical key and its reward (role, sample event, total, components, and for a
 * Solver response its index in the answer set).
 */
export type ScoredSample = ScoredPayload & { readonly key: string };

/** A step's rewards, stated by the scorer under `config` (its hash names the configuration). */
export function rewardEvents(
  position: StepPosition,
  config: DecisionConfig,
  scored: readonly ScoredSample[],
): EventSpec<"RewardScored">[] {
  const configHash = rewardConfigHash(config.rewards);
  return scored.map(({ key, ...reward }) => ({
    type: "RewardScored",
    producer: { role: "scorer", version: 0 },
    logicalKey: `${key}/reward`,
    causationId: reward.sampleId,
    payload: { ...reward, iteration: position.iteration, step: position.step, configHash },
  }));
}

/** An iteration's dataset, stated by the coordinator. */
export function datasetEvent(payload: PayloadOf<"DatasetBuilt">): EventSpec<"DatasetBuilt"> {
  return {
    type: "DatasetBuilt",
    producer: { role: "coordinator", version: 0 },
    logicalKey: `i${payload.iteration}/${payload.phase}/dataset`,
    payload,
  };
}

/** Where a GRPO step sits. */
export interface StepPosition {
  readonly iteration: number;
  readonly step: number;
}
