import { phaseOptimizer } from "../../config/index.ts";
import { scoreGroup } from "../../decisions/index.ts";
import type { EventSpec, PolicyRole } from "../../events/index.ts";
import type { GrpoConfig } from "../../rewards/index.ts";
import type { TrainingSequenceMessage } from "../messages.ts";
import type { LoopRun } from "./context.ts";
import type { UnitPosition } from "./sampling.ts";

/** One GRPO group: the rollouts of one prompt with their rewards, in rollout order. */
export interface RolloutGroup {
  readonly groupKey: string;
  readonly rollouts: readonly {
    readonly sampleId: string;
    readonly prompt: string;
    readonly image: string | null;
    readonly tokens: readonly number[];
    readonly logProbs: readonly number[];
    readonly reward: number;
  }[];
}

/**
 * Scores groups (advantages), records them (after `scored`: the step's reward events, recorded in
 * the same append), runs one GRPO update of the trained role through the Trainer, and records the
 * update and the step's marker (one append). Groups arrive in logical-key order. Why appends of
 * several events: under the file log's `always` policy each append waits for its own fdatasync
 * (3-6 ms on this VM), and events that nothing happens between need no sync between them: the log
 * holds the same events in the same order, each durable before the loop goes on past it.
 */
export async function trainOnGroups(
  run: LoopRun,
  position: UnitPosition,
  role: PolicyRole,
  grpo: GrpoConfig,
  groups: readonly RolloutGroup[],
  scored: readonly EventSpec[] = [],
): Promise<void> {
  const advantaged = groups.map((group) => ({
    group,
    ...scoreGroup(
      group.rollouts.map((rollout) => rollout.reward),
      grpo,
    ),
  }));
  const recorded = await run.record([
    ...scored,
    ...advantaged.map(({ group, advantages }) => ({
      type: "GroupScored" as const,
      producer: run.producer("scorer"),
      logicalKey: `${group.groupKey}/group`,
      payload: {
        role,
        iteration: position.iteration,
        step: position.step,
        groupKey: group.groupKey,
        sampleIds: group.rollouts.map((rollout) => rollout.sampleId),
        rewards: group.rollouts.map((rollout) => rollout.reward),
        advantages,
      },
    })),
  ]);
  const groupEvents = recorded.slice(scored.length);
  const sequences: TrainingSequenceMessage[] = advantaged.flatMap(({ group, advantages, dropped }) =>
    dropped
      ? []
      : group.rollouts.map((rollout, index) => ({
          prompt: rollout.prompt,
          image: rollout.image,
          tokens: rollout.tokens,
          oldLogProbs: rollout.logProbs,
          advantage: advantages[index]!,
        })),
  );
  const stepKey = `i${position.iteration}/${role}/s${position.step}`;
  const specs: EventSpec[] = [];
  // The weights the step ends with: the update's, or the role's current ones when nothing was trained.
  let weightHash = run.policies.current[role];
  if (sequences.length > 0) {
    const policies = run.policies;
    const result = await run.services.update({
      role,
      policy: policies.checkpoints[role],
      reference: policies.reference ?? policies.checkpoints[role],
      optimizerState: policies.optimizerState,
      sequences,
      key: [run.config.seed, "update", stepKey],
      grpo: run.grpo,
      optimizer: phaseOptimizer(run.config, role),
    });
    specs.push({
      type: "PolicyUpdated",
      producer: run.producer("trainer"),
      logicalKey: `${stepKey}/update`,
      payload: {
        role,
        iteration: position.iteration,
        step: position.step,
        fromWeightHash: policies.current[role],
        weightHash: result.weightHash,
        checkpoint: result.checkpoint,
        loss: result.loss,
        policyLoss: result.policyLoss,
        kl: result.kl,
        clipFraction: result.clipFraction,
        gradNorm: result.gradNorm,
        tokenCount: result.tokenCount,
        groupIds: groupEvents.map((event) => event.id),
        optimizerState: result.optimizerState,
      },
    });
    weightHash = result.weightHash;
    run.progress.metrics(`iteration ${position.iteration} ${role} update ${position.step + 1}`, {
      loss: result.loss,
      kl: result.kl,
      clipFraction: result.clipFraction,
      gradNorm: result.gradNorm,
      tokens: result.tokenCount,
    });
  }
  const updated = specs.length > 0;
  specs.push({
    type: "StepCompleted",
    producer: run.producer("coordinator"),
    logicalKey: `${stepKey}/completed`,
    payload: { ...position, updated, weightHash },
  });
  await run.record(specs);
}
