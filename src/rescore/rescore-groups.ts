/**
 * GRPO groups recomputed from rescored rewards: advantages under a GRPO configuration and whether
 * dynamic sampling would drop the group, next to what the log recorded.
 */
import { IncompleteLogError, type SampleGraph, scoreGroup } from "../decisions/index.ts";
import type { PolicyRole } from "../events/index.ts";
import type { GrpoConfig } from "../rewards/index.ts";
import { type RescoredSample, sampleKey } from "./rescore-rewards.ts";

export interface GroupScoring {
  readonly rewards: readonly number[];
  readonly advantages: readonly number[];
  /** Dynamic sampling leaves this group out of the update. */
  readonly dropped: boolean;
}

export interface RescoredGroup {
  readonly role: PolicyRole;
  readonly iteration: number;
  readonly step: number;
  readonly groupKey: string;
  /** {@link sampleKey} of each rollout, in group order. */
  readonly sampleKeys: readonly string[];
  /** What the group was drawn for: the Coder prompt's proposal id, the Solver item's image id; null for the Proposer. */
  readonly promptId: string | null;
  readonly recorded: GroupScoring;
  readonly rescored: GroupScoring;
}

/**
 * Sample keys of a group's rollouts. A Solver group repeats one AnswersSampled id (one event holds
 * all its responses), so the n-th occurrence of an id is that event's n-th sample.
 */
function groupSampleKeys(sampleIds: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return sampleIds.map((sampleId) => {
    const occurrence = seen.get(sampleId) ?? 0;
    seen.set(sampleId, occurrence + 1);
    return sampleKey(sampleId, occurrence);
  });
}

function promptIdOf(graph: SampleGraph, role: PolicyRole, firstSampleId: string | undefined): string | null {
  if (role === "proposer" || firstSampleId === undefined) return null;
  if (role === "coder") return graph.event(firstSampleId, "CodeSampled", "Coder group").payload.proposalId;
  return graph.event(firstSampleId, "AnswersSampled", "Solver group").payload.imageId;
}

/** Every GroupScored of the log, in log order, rescored from `samples` under `grpo`. */
export function rescoreGroups(
  graph: SampleGraph,
  samples: readonly RescoredSample[],
  grpo: { readonly recorded: GrpoConfig; readonly rescored: GrpoConfig },
): RescoredGroup[] {
  const totals = new Map(
    samples.map((sample) => [sampleKey(sample.sampleId, sample.sample), sample.rescored.total]),
  );
  return graph.groups().map((group) => {
    const { role, iteration, step, groupKey, sampleIds, rewards, advantages } = group.payload;
    const keys = groupSampleKeys(sampleIds);
    const rescoredRewards = keys.map((key) => {
      const total = totals.get(key);
      if (total === undefined)
        throw new IncompleteLogError(`group ${groupKey}`, `sample ${key} has no RewardScored`);
      return total;
    });
    return {
      role,
      iteration,
      step,
      groupKey,
      sampleKeys: keys,
      promptId: promptIdOf(graph, role, sampleIds[0]),
      recorded: { rewards, advantages, dropped: scoreGroup(rewards, grpo.recorded).dropped },
      rescored: { rewards: rescoredRewards, ...scoreGroup(rescoredRewards, grpo.rescored) },
    };
  });
}
