/**
 * Per-role comparison of recorded and rescored rewards: the distribution shift, how many groups flip
 * an advantage sign or reorder their rollouts (Kendall's tau-b per group, averaged), which groups
 * dynamic sampling or the new data filters would leave out, and the same per (iteration, step).
 */
import type { PolicyRole } from "../events/index.ts";
import type { RescoredGroup } from "./rescore-groups.ts";
import type { RescoredSample } from "./rescore-rewards.ts";
import {
  type DistributionShift,
  distributionShift,
  kendallTauB,
  mean,
  orderingChanged,
  signChanged,
} from "./statistics.ts";

export interface ChangedSample {
  readonly iteration: number;
  readonly step: number;
  readonly sampleId: string;
  readonly sample: number;
  readonly before: number;
  readonly after: number;
}

export interface GroupChanges {
  readonly count: number;
  /** Groups where at least one rollout's advantage changes sign (negative, zero, positive). */
  readonly signChanged: number;
  readonly signChangedGroupKeys: readonly string[];
  /** Groups where some pair of rollouts is ordered differently by the new rewards. */
  readonly orderingChanged: number;
  /** Mean over groups of Kendall's tau-b between recorded and rescored rewards; null when none is defined. */
  readonly meanRankCorrelation: number | null;
  /** Groups whose tau-b is undefined (exactly one of the two scorings ties every rollout). */
  readonly rankCorrelationUndefined: number;
  /** Groups dynamic sampling leaves out of the update, under the recorded and the requested GRPO config. */
  readonly droppedBefore: number;
  readonly droppedAfter: number;
  /** Groups drawn on a Coder prompt or Solver item that the requested filters would not keep. */
  readonly onFilteredOutData: readonly string[];
}

export interface StepComparison {
  readonly iteration: number;
  readonly step: number;
  readonly samples: number;
  readonly changedSamples: number;
  readonly meanBefore: number | null;
  readonly meanAfter: number | null;
  readonly groups: number;
  readonly signChanged: number;
  readonly meanRankCorrelation: number | null;
}

export interface RoleComparison {
  readonly role: PolicyRole;
  readonly samples: number;
  /** Samples whose total changes, in log order. */
  readonly changedSamples: readonly ChangedSample[];
  readonly rewards: DistributionShift;
  readonly groups: GroupChanges;
  readonly steps: readonly StepComparison[];
}

function rankCorrelations(groups: readonly RescoredGroup[]): (number | null)[] {
  return groups.map((group) => kendallTauB(group.recorded.rewards, group.rescored.rewards));
}

function meanDefined(values: readonly (number | null)[]): number | null {
  return mean(values.filter((value) => value !== null));
}

function groupChanges(
  groups: readonly RescoredGroup[],
  filteredOutPrompts: ReadonlySet<string>,
): GroupChanges {
  const flipped = groups.filter((group) => signChanged(group.recorded.advantages, group.rescored.advantages));
  const correlations = rankCorrelations(groups);
  return {
    count: groups.length,
    signChanged: flipped.length,
    signChangedGroupKeys: flipped.map((group) => group.groupKey),
    orderingChanged: groups.filter((group) => orderingChanged(group.recorded.rewards, group.rescored.rewards))
      .length,
    meanRankCorrelation: meanDefined(correlations),
    rankCorrelationUndefined: correlations.filter((value) => value === null).length,
    droppedBefore: groups.filter((group) => group.recorded.dropped).length,
    droppedAfter: groups.filter((group) => group.rescored.dropped).length,
    onFilteredOutData: groups
      .filter((group) => group.promptId !== null && filteredOutPrompts.has(group.promptId))
      .map((group) => group.groupKey),
  };
}

function changedSamplesOf(samples: readonly RescoredSample[]): ChangedSample[] {
  return samples.flatMap((sample) =>
    sample.recorded.total === sample.rescored.total
      ? []
      : [
          {
            iteration: sample.iteration,
            step: sample.step,
            sampleId: sample.sampleId,
            sample: sample.sample,
            before: sample.recorded.total,
            after: sample.rescored.total,
          },
        ],
  );
}

function stepComparisons(
  samples: readonly RescoredSample[],
  groups: readonly RescoredGroup[],
): StepComparison[] {
  const steps = new Map<string, { iteration: number; step: number }>();
  for (const { iteration, step } of [...samples, ...groups])
    steps.set(`${iteration}/${step}`, { iteration, step });
  return [...steps.values()].map(({ iteration, step }) => {
    const inStep = <Item extends { iteration: number; step: number }>(item: Item) =>
      item.iteration === iteration && item.step === step;
    const stepSamples = samples.filter(inStep);
    const stepGroups = groups.filter(inStep);
    return {
      iteration,
      step,
      samples: stepSamples.length,
      changedSamples: changedSamplesOf(stepSamples).length,
      meanBefore: mean(stepSamples.map((sample) => sample.recorded.total)),
      meanAfter: mean(stepSamples.map((sample) => sample.rescored.total)),
      groups: stepGroups.length,
      signChanged: stepGroups.filter((group) =>
        signChanged(group.recorded.advantages, group.rescored.advantages),
      ).length,
      meanRankCorrelation: meanDefined(rankCorrelations(stepGroups)),
    };
  });
}

/** One role's comparison; `filteredOutPrompts` are prompt/item ids the requested filters drop. */
export function compareRole(
  role: PolicyRole,
  allSamples: readonly RescoredSample[],
  allGroups: readonly RescoredGroup[],
  filteredOutPrompts: ReadonlySet<string>,
): RoleComparison {
  const samples = allSamples.filter((sample) => sample.role === role);
  const groups = allGroups.filter((group) => group.role === role);
  return {
    role,
    samples: samples.length,
    changedSamples: changedSamplesOf(samples),
    rewards: distributionShift(
      samples.map((sample) => sample.recorded.total),
      samples.map((sample) => sample.rescored.total),
    ),
    groups: groupChanges(groups, filteredOutPrompts),
    steps: stepComparisons(samples, groups),
  };
}
