/**
 * The Proposer's decision (mm-zero-algorithm.md, "Rewards: Proposer"): a step's rollouts scored as
 * one batch (its spread and diversity terms are batch terms), each format-valid proposal judged by
 * its K frozen-Coder renders and their M frozen-Solver answers per question.
 */
import type { EventOf, EventSpec } from "../events/index.ts";
import {
  type JudgeResult,
  type ProposerOutcome,
  type ProposerReward,
  scoreProposerBatch,
} from "../rewards/index.ts";
import { type DecisionConfig, rewardEvents, type StepPosition } from "./config.ts";
import { rewardComponents } from "./reward-components.ts";
import type { SampleGraph } from "./sample-graph.ts";

export interface ProposerStepScores {
  /** The step's rollouts, in log order. */
  readonly samples: readonly EventOf<"ProposalSampled">[];
  /** Each rollout's reward, aligned with `samples`. */
  readonly rewards: readonly ProposerReward[];
  /** The RewardScored events to record, aligned with `samples`. */
  readonly events: readonly EventSpec<"RewardScored">[];
}

function judgeResultOf(graph: SampleGraph, code: EventOf<"CodeSampled">): JudgeResult {
  const answers = graph.answersOf(graph.renderOf(code));
  if (answers.easy === null || answers.hard === null) return { kind: "render-failed" };
  return {
    kind: "judged",
    easyAnswers: answers.easy.payload.samples.map((sample) => sample.answer),
    hardAnswers: answers.hard.payload.samples.map((sample) => sample.answer),
  };
}

/** One Proposer rollout's outcome: unparsable, or its proposal with the K frozen-Coder judge results. */
export function proposerOutcome(graph: SampleGraph, sample: EventOf<"ProposalSampled">): ProposerOutcome {
  const proposal = graph.proposalOf(sample);
  if (proposal === null) return { kind: "unparsable" };
  const judges = graph.codesOf(sample, "judge").map((code) => judgeResultOf(graph, code));
  return { kind: "parsed", proposal, judges };
}

/** Scores a Proposer step's rollouts as one batch under `config`. */
export function scoreProposerStep(
  graph: SampleGraph,
  position: StepPosition,
  config: DecisionConfig,
): ProposerStepScores {
  const { iteration, step } = position;
  const samples = graph.proposalsAt({ iteration, phase: "proposer", step, purpose: "rollout" });
  const rewards = scoreProposerBatch(
    samples.map((sample) => proposerOutcome(graph, sample)),
    config.rewards,
  );
  const events = rewardEvents(
    position,
    config,
    samples.map((sample, index) => ({
      key: sample.payload.sampleKey,
      role: "proposer",
      sampleId: sample.id,
      total: rewards[index]!.total,
      components: rewardComponents.proposer(rewards[index]!),
    })),
  );
  return { samples, rewards, events };
}
