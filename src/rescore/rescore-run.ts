/**
 * Counterfactual rescoring of a recorded run: the recorded samples scored under another reward (and
 * GRPO) configuration, compared with what the log recorded, with no model run. Before comparing, the
 * run is rescored under its own configuration to check that the rebuild reproduces the log.
 */
import { canonicalJson, type MmzeroEvent, policyRoles, sha256Hex } from "../events/index.ts";
import type { GrpoConfig, RewardConfig } from "../rewards/index.ts";
import {
  type CoderPromptComparison,
  compareCoderPrompts,
  compareSolverDataset,
  type SolverDatasetComparison,
} from "./compare-filters.ts";
import { compareRole, type RoleComparison } from "./compare-roles.ts";
import { assertRescorable, type ConfigChange, configChanges } from "./config-changes.ts";
import { indexRecordedRun, type RecordedIndex } from "./recorded-index.ts";
import {
  coderPromptCandidates,
  keptDatasetItems,
  type SolverItemCandidate,
  solverItemCandidates,
} from "./rescore-filters.ts";
import { type RescoredGroup, rescoreGroups } from "./rescore-groups.ts";
import { type RescoredSample, rescoreRewards } from "./rescore-rewards.ts";

/** What rescoring can and cannot say; printed with every summary. */
export const rescoreNote =
  "same samples, different scoring: every proposal, SVG, render and answer is the recorded one. " +
  "In a real re-run the changed rewards would train different policies, and every sample drawn after " +
  "the first changed decision (an update, a kept Coder prompt, a Solver dataset item) would differ.";

export interface RescoreInput {
  readonly events: readonly MmzeroEvent[];
  /** The configurations the run recorded in RunStarted. */
  readonly recorded: { readonly rewards: RewardConfig; readonly grpo: GrpoConfig };
  readonly rewards: RewardConfig;
  /** Default: the recorded GRPO configuration. */
  readonly grpo?: GrpoConfig;
}

/** Whether rescoring under the recorded configuration gives back exactly what the log holds. */
export interface BaselineCheck {
  readonly samples: number;
  readonly samplesReproduced: number;
  readonly groups: number;
  readonly groupsReproduced: number;
  readonly coderPromptsReproduced: boolean;
  readonly solverDatasetReproduced: boolean;
  /** Every RewardScored names the hash of the recorded reward configuration. */
  readonly configHashMatchesLog: boolean;
}

export interface RescoreReport {
  readonly note: string;
  readonly rewardConfig: {
    readonly recordedHash: string;
    readonly requestedHash: string;
    readonly changes: readonly ConfigChange[];
  };
  readonly grpoConfig: { readonly changes: readonly ConfigChange[] };
  readonly baseline: BaselineCheck;
  readonly roles: readonly RoleComparison[];
  readonly coderPrompts: readonly CoderPromptComparison[];
  readonly solverDataset: readonly SolverDatasetComparison[];
}

export function rewardConfigHash(config: RewardConfig): string {
  return sha256Hex(canonicalJson(config));
}

function sameValue(left: unknown, right: unknown): boolean {
  return canonicalJson(left) === canonicalJson(right);
}

function baselineCheck(
  index: RecordedIndex,
  samples: readonly RescoredSample[],
  groups: readonly RescoredGroup[],
  recordedRewards: RewardConfig,
  solverCandidates: readonly SolverItemCandidate[],
): BaselineCheck {
  const recordedHash = rewardConfigHash(recordedRewards);
  const coderKept = coderPromptCandidates(index, recordedRewards).filter(
    (candidate) => candidate.decision.kept,
  );
  const solverKept = keptDatasetItems(solverCandidates);
  const datasets = [...index.datasets.values()];
  return {
    samples: samples.length,
    samplesReproduced: samples.filter((sample) => sameValue(sample.recorded, sample.rescored)).length,
    groups: groups.length,
    groupsReproduced: groups.filter(
      (group) =>
        sameValue(group.recorded.rewards, group.rescored.rewards) &&
        sameValue(group.recorded.advantages, group.rescored.advantages),
    ).length,
    coderPromptsReproduced: sameValue(
      datasets
        .filter((dataset) => dataset.payload.phase === "coder")
        .flatMap((dataset) => dataset.payload.promptIds),
      coderKept.map((candidate) => candidate.proposalId),
    ),
    solverDatasetReproduced: sameValue(
      datasets
        .filter((dataset) => dataset.payload.phase === "solver")
        .flatMap((dataset) => dataset.payload.items),
      solverKept,
    ),
    configHashMatchesLog: index.rewards.every((reward) => reward.payload.configHash === recordedHash),
  };
}

/**
 * Rescores a recorded run under `input.rewards` (and `input.grpo`) and compares per role and per
 * filter. Throws NotRescorableConfigError when the configuration changes sample counts or judges, and
 * IncompleteLogError when the log lacks an input of a recorded score.
 */
export function rescoreRun(input: RescoreInput): RescoreReport {
  assertRescorable(input.recorded.rewards, input.rewards);
  const grpo = { recorded: input.recorded.grpo, rescored: input.grpo ?? input.recorded.grpo };
  const index = indexRecordedRun(input.events);
  const baselineSamples = rescoreRewards(index, input.recorded.rewards);
  const baselineGroups = rescoreGroups(index, baselineSamples, {
    recorded: grpo.recorded,
    rescored: grpo.recorded,
  });
  const samples = rescoreRewards(index, input.rewards);
  const groups = rescoreGroups(index, samples, grpo);
  const coderPrompts = compareCoderPrompts(index, coderPromptCandidates(index, input.rewards));
  const recordedSolverCandidates = solverItemCandidates(index, input.recorded.rewards);
  const solverDataset = compareSolverDataset(
    index,
    recordedSolverCandidates,
    solverItemCandidates(index, input.rewards),
  );
  const filteredOut = new Set([
    ...coderPrompts.flatMap((comparison) => comparison.filteredOut),
    ...solverDataset.flatMap((comparison) => comparison.filteredOut.map((item) => item.imageId)),
  ]);
  return {
    note: rescoreNote,
    rewardConfig: {
      recordedHash: rewardConfigHash(input.recorded.rewards),
      requestedHash: rewardConfigHash(input.rewards),
      changes: configChanges(input.recorded.rewards, input.rewards),
    },
    grpoConfig: { changes: configChanges(grpo.recorded, grpo.rescored) },
    baseline: baselineCheck(
      index,
      baselineSamples,
      baselineGroups,
      input.recorded.rewards,
      recordedSolverCandidates,
    ),
    roles: policyRoles.map((role) => compareRole(role, samples, groups, filteredOut)),
    coderPrompts,
    solverDataset,
  };
}
