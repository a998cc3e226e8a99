/**
 * Counterfactual rescoring of a recorded run: the recorded samples scored under another reward (and
 * GRPO) configuration, compared with what the log recorded, with no model run. Before comparing, the
 * run is rescored under its own configuration to check that the rebuild reproduces the log.
 */
import {
  type CoderPromptsDecision,
  type DecisionConfig,
  decideCoderPrompts,
  decideSolverDataset,
  rewardConfigHash,
  SampleGraph,
  type SolverDatasetDecision,
} from "../decisions/index.ts";
import { canonicalJson, type EventOf, type MmzeroEvent, policyRoles } from "../events/index.ts";
import type { GrpoConfig, RewardConfig } from "../rewards/index.ts";
import {
  type CoderPromptComparison,
  compareCoderPrompts,
  compareSolverDataset,
  type SolverDatasetComparison,
} from "./compare-filters.ts";
import { compareRole, type RoleComparison } from "./compare-roles.ts";
import { assertRescorable, type ConfigChange, configChanges } from "./config-changes.ts";
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

function sameValue(left: unknown, right: unknown): boolean {
  return canonicalJson(left) === canonicalJson(right);
}

/** The data filters of every iteration with a recorded dataset, decided under `config`. */
export interface FilterDecisions {
  readonly coder: readonly { recorded: EventOf<"DatasetBuilt">; decided: CoderPromptsDecision }[];
  readonly solver: readonly { recorded: EventOf<"DatasetBuilt">; decided: SolverDatasetDecision }[];
}

export function decideFilters(graph: SampleGraph, config: DecisionConfig): FilterDecisions {
  const datasets = graph.datasets();
  return {
    coder: datasets
      .filter((dataset) => dataset.payload.phase === "coder")
      .map((recorded) => ({
        recorded,
        decided: decideCoderPrompts(graph, recorded.payload.iteration, config),
      })),
    solver: datasets
      .filter((dataset) => dataset.payload.phase === "solver")
      .map((recorded) => ({
        recorded,
        decided: decideSolverDataset(graph, recorded.payload.iteration, config),
      })),
  };
}

function baselineCheck(
  graph: SampleGraph,
  samples: readonly RescoredSample[],
  groups: readonly RescoredGroup[],
  recordedRewards: RewardConfig,
  filters: FilterDecisions,
): BaselineCheck {
  const recordedHash = rewardConfigHash(recordedRewards);
  const reproduces = (entry: {
    recorded: EventOf<"DatasetBuilt">;
    decided: { dataset: { payload: unknown } };
  }) => sameValue(entry.recorded.payload, entry.decided.dataset.payload);
  return {
    samples: samples.length,
    samplesReproduced: samples.filter((sample) => sameValue(sample.recorded, sample.rescored)).length,
    groups: groups.length,
    groupsReproduced: groups.filter(
      (group) =>
        sameValue(group.recorded.rewards, group.rescored.rewards) &&
        sameValue(group.recorded.advantages, group.rescored.advantages),
    ).length,
    coderPromptsReproduced: filters.coder.every(reproduces),
    solverDatasetReproduced: filters.solver.every(reproduces),
    configHashMatchesLog: graph.rewards().every((reward) => reward.payload.configHash === recordedHash),
  };
}

/**
 * Rescores a recorded run under `input.rewards` (and `input.grpo`) and compares per role and per
 * filter. Throws NotRescorableConfigError when the configuration changes sample counts or judges, and
 * IncompleteLogError when the log lacks an input of a recorded score.
 */
export function rescoreRun(input: RescoreInput): RescoreReport {
  assertRescorable(input.recorded.rewards, input.rewards);
  const recorded: DecisionConfig = input.recorded;
  const requested: DecisionConfig = { rewards: input.rewards, grpo: input.grpo ?? input.recorded.grpo };
  const graph = SampleGraph.of(input.events);
  const baselineSamples = rescoreRewards(graph, recorded);
  const baselineGroups = rescoreGroups(graph, baselineSamples, {
    recorded: recorded.grpo,
    rescored: recorded.grpo,
  });
  const samples = rescoreRewards(graph, requested);
  const groups = rescoreGroups(graph, samples, { recorded: recorded.grpo, rescored: requested.grpo });
  const recordedFilters = decideFilters(graph, recorded);
  const requestedFilters = decideFilters(graph, requested);
  const coderPrompts = requestedFilters.coder.map((entry) =>
    compareCoderPrompts(entry.recorded, entry.decided),
  );
  const solverDataset = requestedFilters.solver.map((entry, index) =>
    compareSolverDataset(entry.recorded, recordedFilters.solver[index]!.decided, entry.decided),
  );
  const filteredOut = new Set([
    ...coderPrompts.flatMap((comparison) => comparison.filteredOut),
    ...solverDataset.flatMap((comparison) => comparison.filteredOut.map((item) => item.imageId)),
  ]);
  return {
    note: rescoreNote,
    rewardConfig: {
      recordedHash: rewardConfigHash(recorded.rewards),
      requestedHash: rewardConfigHash(requested.rewards),
      changes: configChanges(recorded.rewards, requested.rewards),
    },
    grpoConfig: { changes: configChanges(recorded.grpo, requested.grpo) },
    baseline: baselineCheck(graph, baselineSamples, baselineGroups, recorded.rewards, recordedFilters),
    roles: policyRoles.map((role) => compareRole(role, samples, groups, filteredOut)),
    coderPrompts,
    solverDataset,
  };
}
