import { scoreGroup } from "../../decisions/index.ts";
import type { PolicyRole } from "../../events/index.ts";
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
 * Scores groups (advantages), records them, runs one GRPO update of the trained role through the
 * Trainer, and records the update and the step's marker. Groups arrive in logical-key order.
 */
export async function trainOnGroups(
  run: LoopRun,
  position: UnitPosition,
  role: PolicyRole,
  grpo: GrpoConfig,
  groups: readonly RolloutGroup[],
): Promise<void> {
  const scored = groups.map((group) => ({
    group,
    ...scoreGroup(
      group.rollouts.map((rollout) => rollout.reward),
      grpo,
    ),
  }));
  const groupEvents = await run.record(
    scored.map(({ group, advantages }) => ({
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
  );
  const sequences: TrainingSequenceMessage[] = scored.flatMap(({ group, advantages, dropped }) =>
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
  let updated = false;
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
      optimizer: run.config.optimizer,
    });
    await run.record([
      {
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
      },
    ]);
    updated = true;
    run.progress.metrics(`iteration ${position.iteration} ${role} update ${position.step + 1}`, {
      loss: result.loss,
      kl: result.kl,
      clipFraction: result.clipFraction,
      gradNorm: result.gradNorm,
      tokens: result.tokenCount,
    });
  }
  await run.record([
    {
      type: "StepCompleted",
      producer: run.producer("coordinator"),
      logicalKey: `${stepKey}/completed`,
      payload: { ...position, updated, weightHash: run.policies.current[role] },
    },
  ]);
}
