/**
 * What every decision is taken under: the reward configuration (rewards, measures, data filters) and
 * the GRPO configuration (advantages, dynamic sampling). A new reward, filter or dataset option is a
 * field of one of them (src/rewards/config.ts, grpo-config.ts) read by one decision function here.
 */
import {
  canonicalJson,
  type EventSpec,
  type PayloadOf,
  type PolicyRole,
  sha256Hex,
} from "../events/index.ts";
import type { GrpoConfig, RewardConfig } from "../rewards/index.ts";

export interface DecisionConfig {
  readonly rewards: RewardConfig;
  readonly grpo: GrpoConfig;
}

/** The hash every RewardScored names: of the canonical JSON of the reward configuration. */
export function rewardConfigHash(rewards: RewardConfig): string {
  return sha256Hex(canonicalJson(rewards));
}

/** One scored sample: its logical key, its event, its reward total and components. */
export interface ScoredSample {
  readonly key: string;
  readonly sampleId: string;
  readonly total: number;
  readonly components: Readonly<Record<string, number>>;
}

/** A step's rewards, stated by the scorer under `config` (its hash names the configuration). */
export function rewardEvents(
  role: PolicyRole,
  position: StepPosition,
  config: DecisionConfig,
  scored: readonly ScoredSample[],
): EventSpec<"RewardScored">[] {
  const configHash = rewardConfigHash(config.rewards);
  return scored.map(({ key, sampleId, total, components }) => ({
    type: "RewardScored",
    producer: { role: "scorer", version: 0 },
    logicalKey: `${key}/reward`,
    causationId: sampleId,
    payload: {
      role,
      iteration: position.iteration,
      step: position.step,
      sampleId,
      total,
      components,
      configHash,
    },
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
