/**
 * The Coder's decisions (mm-zero-algorithm.md, "The loop" step 2): which of the frozen Proposer's
 * proposals become Coder prompts (the previous Coder's render rate over a few samples lies in the
 * band), which prompts a step draws, and each rollout's reward through the frozen Solver.
 */
import type { EventOf, EventSpec } from "../events/index.ts";
import {
  type CoderOutcome,
  type CoderPromptDecision,
  type CoderReward,
  filterCoderPrompt,
  type Proposal,
  scoreCoder,
  solvabilityAnchors,
} from "../rewards/index.ts";
import { type DecisionConfig, datasetEvent, rewardEvents, type StepPosition } from "./config.ts";
import { IncompleteLogError } from "./errors.ts";
import { rewardComponents } from "./reward-components.ts";
import type { RenderEvent, SampleGraph } from "./sample-graph.ts";

/** One format-valid candidate prompt and the band's decision on it. */
export interface CoderPromptCandidate {
  readonly iteration: number;
  readonly proposalId: string;
  readonly decision: CoderPromptDecision;
}

export interface CoderPromptsDecision {
  readonly candidates: readonly CoderPromptCandidate[];
  readonly dataset: EventSpec<"DatasetBuilt">;
}

/**
 * Decides an iteration's Coder prompts from its candidate proposals (phase coder, purpose prompt)
 * and the render outcomes of their filter codes (purpose judge).
 */
export function decideCoderPrompts(
  graph: SampleGraph,
  iteration: number,
  config: DecisionConfig,
): CoderPromptsDecision {
  const proposals = graph.proposalsAt({ iteration, phase: "coder", step: 0, purpose: "prompt" });
  const candidates = proposals.flatMap((proposal) => {
    if (graph.proposalOf(proposal) === null) return [];
    const renders = graph.codesOf(proposal, "judge").map((code) => graph.renderOf(code));
    const decision = filterCoderPrompt(
      renders.map((render) => render.type === "ImageRendered"),
      config.rewards,
    );
    return [{ iteration, proposalId: proposal.id, decision }];
  });
  const kept = candidates.filter((candidate) => candidate.decision.kept);
  return {
    candidates,
    dataset: datasetEvent({
      iteration,
      phase: "coder",
      funnel: {
        proposals: proposals.length,
        rendered: candidates.filter((candidate) => candidate.decision.renderRate > 0).length,
        evaluated: candidates.length,
        kept: kept.length,
      },
      items: [],
      promptIds: kept.map((candidate) => candidate.proposalId),
    }),
  };
}

export interface CoderPrompt {
  readonly event: EventOf<"ProposalSampled">;
  readonly proposal: Proposal;
}

/** The recorded Coder dataset of an iteration. */
export function coderDataset(graph: SampleGraph, iteration: number): EventOf<"DatasetBuilt"> {
  const dataset = graph.dataset(iteration, "coder");
  if (dataset === undefined)
    throw new IncompleteLogError(`iteration ${iteration}`, "its Coder dataset is not in the log");
  return dataset;
}

/** The prompts a Coder step draws: the next `count` kept prompts, cycling through the dataset. */
export function coderStepPrompts(graph: SampleGraph, position: StepPosition, count: number): CoderPrompt[] {
  const ids = coderDataset(graph, position.iteration).payload.promptIds;
  if (ids.length === 0) return [];
  return Array.from({ length: count }, (_, index) => {
    const id = ids[(position.step * count + index) % ids.length]!;
    const event = graph.event(id, "ProposalSampled", `Coder prompt ${id}`);
    const proposal = graph.proposalOf(event);
    if (proposal === null) throw new IncompleteLogError(`Coder prompt ${id}`, "it is not a valid proposal");
    return { event, proposal };
  });
}

/** A failed render's Coder outcome; a rendered image must have been answered. */
function failedOutcome(render: RenderEvent): CoderOutcome {
  if (render.type === "ImageRendered") {
    throw new IncompleteLogError(
      `image ${render.id}`,
      "it rendered but its Solver answers are not in the log",
    );
  }
  return {
    kind: "render-failed",
    codeExtracted: !render.payload.noCodeExtracted,
    svgLike: !render.payload.notSvgLike,
  };
}

/** One Coder rollout's outcome and the easy answer of the proposal it drew (the solvability label). */
export function coderOutcome(
  graph: SampleGraph,
  code: EventOf<"CodeSampled">,
): { readonly outcome: CoderOutcome; readonly easyAnswer: string } {
  const prompt = graph.event(code.payload.proposalId, "ProposalSampled", `Coder sample ${code.id}`);
  const proposal = graph.proposalOf(prompt);
  if (proposal === null)
    throw new IncompleteLogError(`Coder sample ${code.id}`, "its prompt is not a valid proposal");
  const render = graph.renderOf(code);
  const answers = graph.answersOf(render);
  const outcome: CoderOutcome =
    answers.easy !== null && answers.hard !== null
      ? {
          kind: "rendered",
          easyAnswers: answers.easy.payload.samples.map((sample) => sample.answer),
          hardAnswers: answers.hard.payload.samples.map((sample) => sample.answer),
        }
      : failedOutcome(render);
  return { outcome, easyAnswer: proposal.easyAnswer };
}

export interface CoderStepScores {
  /** The step's rollouts, in log order. */
  readonly samples: readonly EventOf<"CodeSampled">[];
  readonly rewards: readonly CoderReward[];
  readonly events: readonly EventSpec<"RewardScored">[];
}

/** Scores a Coder step's rollouts (phase coder, purpose rollout) under `config`. */
export function scoreCoderStep(
  graph: SampleGraph,
  position: StepPosition,
  config: DecisionConfig,
): CoderStepScores {
  const { iteration, step } = position;
  const samples = graph.codesAt({ iteration, phase: "coder", step, purpose: "rollout" });
  // A group is the step's rollouts of one proposal (the consensus anchor pools their Solver answers).
  const rollouts = samples.map((code) => ({ group: code.payload.proposalId, ...coderOutcome(graph, code) }));
  const anchors = solvabilityAnchors(rollouts, config.rewards);
  const rewards = rollouts.map((rollout, index) =>
    scoreCoder(rollout.outcome, anchors[index]!, config.rewards),
  );
  const events = rewardEvents(
    position,
    config,
    samples.map((code, index) => ({
      key: code.payload.sampleKey,
      role: "coder",
      sampleId: code.id,
      total: rewards[index]!.total,
      components: rewardComponents.coder(rewards[index]!),
    })),
  );
  return { samples, rewards, events };
}
