/**
 * The Solver's decisions (mm-zero-algorithm.md, "The loop" step 3): which rendered and answered
 * dataset proposals become training items (easy consistency and hard consistency in the bands, with
 * the hard majority answer as pseudo-label), which items a step draws, and each response's reward.
 */
import type { EventOf, EventSpec, payloads } from "../events/index.ts";
import {
  filterSolverItem,
  type SolverItemDecision,
  type SolverReward,
  scoreSolverResponse,
} from "../rewards/index.ts";
import { type DecisionConfig, datasetEvent, rewardEvents, type StepPosition } from "./config.ts";
import { IncompleteLogError } from "./errors.ts";
import { rewardComponents } from "./reward-components.ts";
import type { SampleGraph } from "./sample-graph.ts";

type DatasetItem = typeof payloads.DatasetItem.Type;

/** One rendered and answered dataset proposal and the bands' decision on it. */
export interface SolverItemCandidate {
  readonly iteration: number;
  readonly proposalId: string;
  readonly imageId: string;
  /** The hard question (the release's item). */
  readonly question: string;
  readonly easyQuestion: string;
  readonly decision: SolverItemDecision;
}

export interface SolverDatasetDecision {
  readonly candidates: readonly SolverItemCandidate[];
  readonly dataset: EventSpec<"DatasetBuilt">;
}

/**
 * The dataset items a set of decisions keeps, shaped as DatasetBuilt records them: the kept hard items,
 * then (with the `easyReplayRatio` deviation) easy items, `round(ratio * hard kept)` of them, taken in
 * candidate order from the images whose easy majority agrees with the Proposer's easy answer.
 */
export function keptDatasetItems(
  candidates: readonly SolverItemCandidate[],
  config: DecisionConfig,
): DatasetItem[] {
  const consistencies = (candidate: SolverItemCandidate) => ({
    easyConsistency: candidate.decision.easyConsistency,
    hardConsistency: candidate.decision.hardConsistency,
  });
  const hard = candidates
    .filter((candidate) => candidate.decision.kept)
    .map((candidate) => ({
      imageId: candidate.imageId,
      question: candidate.question,
      pseudoLabel: candidate.decision.pseudoLabel,
      ...consistencies(candidate),
    }));
  const { easyReplayRatio = 0, minimumEasyConsistency } = config.rewards.filters;
  const easyWanted = Math.round(easyReplayRatio * hard.length);
  const easy = candidates
    .filter(
      (candidate) =>
        candidate.decision.easyAgreesWithProposer &&
        candidate.decision.easyConsistency >= minimumEasyConsistency,
    )
    .slice(0, easyWanted)
    .map((candidate) => ({
      imageId: candidate.imageId,
      question: candidate.easyQuestion,
      pseudoLabel: candidate.decision.easyLabel,
      ...consistencies(candidate),
      level: "easy" as const,
    }));
  return [...hard, ...easy];
}

/**
 * Decides an iteration's Solver dataset from its dataset proposals (phase solver, purpose dataset),
 * each with one dataset code, its render and the Solver's answers to both questions.
 */
export function decideSolverDataset(
  graph: SampleGraph,
  iteration: number,
  config: DecisionConfig,
): SolverDatasetDecision {
  const proposals = graph.proposalsAt({ iteration, phase: "solver", step: 0, purpose: "dataset" });
  const candidates = proposals.flatMap((event): SolverItemCandidate[] => {
    const proposal = graph.proposalOf(event);
    if (proposal === null) return [];
    const [code, ...extra] = graph.codesOf(event, "dataset");
    if (code === undefined || extra.length > 0) {
      throw new IncompleteLogError(
        `dataset proposal ${event.id}`,
        `expected one dataset code, found ${extra.length + (code === undefined ? 0 : 1)}`,
      );
    }
    const render = graph.renderOf(code);
    const answers = graph.answersOf(render);
    if (answers.easy === null || answers.hard === null) return [];
    const decision = filterSolverItem(
      answers.easy.payload.samples.map((sample) => sample.answer),
      answers.hard.payload.samples,
      proposal,
      config.rewards,
    );
    return [
      {
        iteration,
        proposalId: event.id,
        imageId: render.id,
        question: proposal.hardQuestion,
        easyQuestion: proposal.easyQuestion,
        decision,
      },
    ];
  });
  const items = keptDatasetItems(candidates, config);
  return {
    candidates,
    dataset: datasetEvent({
      iteration,
      phase: "solver",
      funnel: {
        proposals: proposals.length,
        rendered: candidates.length,
        evaluated: candidates.length,
        kept: items.length,
      },
      items,
      promptIds: [],
    }),
  };
}

/** The recorded Solver dataset of an iteration. */
export function solverDataset(graph: SampleGraph, iteration: number): EventOf<"DatasetBuilt"> {
  const dataset = graph.dataset(iteration, "solver");
  if (dataset === undefined)
    throw new IncompleteLogError(`iteration ${iteration}`, "its Solver dataset is not in the log");
  return dataset;
}

export interface SolverStepItem {
  readonly item: DatasetItem;
  readonly image: EventOf<"ImageRendered">;
}

/** The items a Solver step draws: the next `count` dataset items, cycling through the dataset. */
export function solverStepItems(graph: SampleGraph, position: StepPosition, count: number): SolverStepItem[] {
  const items = solverDataset(graph, position.iteration).payload.items;
  if (items.length === 0) return [];
  return Array.from({ length: count }, (_, index) => {
    const item = items[(position.step * count + index) % items.length]!;
    return { item, image: graph.event(item.imageId, "ImageRendered", `dataset item ${item.imageId}`) };
  });
}

export interface SolverStepScores {
  /** The step's answer sets, in log order (one per drawn item; each holds the item's rollouts). */
  readonly samples: readonly EventOf<"AnswersSampled">[];
  /** Each response's reward: `rewards[i][j]` is response j of answer set i. */
  readonly rewards: readonly (readonly SolverReward[])[];
  /** One RewardScored per response, answer set by answer set. */
  readonly events: readonly EventSpec<"RewardScored">[];
}

/** Scores a Solver step's responses (phase solver, purpose rollout) against the dataset's pseudo-labels. */
export function scoreSolverStep(
  graph: SampleGraph,
  position: StepPosition,
  config: DecisionConfig,
): SolverStepScores {
  const { iteration, step } = position;
  const samples = graph.answersAt({ iteration, phase: "solver", step, purpose: "rollout" });
  // An image may carry an easy and a hard item, so a label is found by image and question.
  const itemKey = (imageId: string, question: string) => JSON.stringify([imageId, question]);
  const labels = new Map(
    samples.length === 0
      ? []
      : solverDataset(graph, iteration).payload.items.map((item) => [
          itemKey(item.imageId, item.question),
          item.pseudoLabel,
        ]),
  );
  const rewards = samples.map((answers) => {
    const pseudoLabel = labels.get(itemKey(answers.payload.imageId, answers.payload.questionText));
    if (pseudoLabel === undefined) {
      throw new IncompleteLogError(
        `Solver rollout on image ${answers.payload.imageId} (${answers.payload.questionText})`,
        `iteration ${iteration}'s dataset lacks it`,
      );
    }
    return answers.payload.samples.map((sample) =>
      scoreSolverResponse(sample.text, pseudoLabel, config.rewards),
    );
  });
  const events = rewardEvents(
    position,
    config,
    samples.flatMap((answers, index) =>
      rewards[index]!.map((reward, sampleIndex) => ({
        key: `${answers.payload.sampleKey}/${sampleIndex}`,
        role: "solver",
        sampleId: answers.id,
        sampleIndex,
        total: reward.total,
        components: rewardComponents.solver(reward),
      })),
    ),
  );
  return { samples, rewards, events };
}
