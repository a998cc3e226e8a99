/**
 * The loop's data filters re-decided under a reward configuration from the recorded samples: the
 * Coder prompt render-rate band (coder-phase.ts `buildCoderPrompts`) and the Solver dataset
 * consistency bands (solver-phase.ts `buildSolverDataset`).
 */
import type { EventOf } from "../events/index.ts";
import {
  type CoderPromptDecision,
  filterCoderPrompt,
  filterSolverItem,
  type RewardConfig,
  type SolverItemDecision,
} from "../rewards/index.ts";
import { IncompleteLogError } from "./errors.ts";
import { codesFor, proposalOf } from "./rebuild.ts";
import { answersOf, answerTexts, type RecordedIndex, renderOf } from "./recorded-index.ts";

export interface CoderPromptCandidate {
  readonly iteration: number;
  readonly proposalId: string;
  readonly decision: CoderPromptDecision;
}

export interface SolverItemCandidate {
  readonly iteration: number;
  readonly proposalId: string;
  readonly imageId: string;
  readonly question: string;
  readonly decision: SolverItemDecision;
}

export type DatasetItem = EventOf<"DatasetBuilt">["payload"]["items"][number];

/** Format-valid candidate prompts of the Coder phases, in log order, each decided by the band. */
export function coderPromptCandidates(index: RecordedIndex, config: RewardConfig): CoderPromptCandidate[] {
  return index.proposals.flatMap((event) => {
    const { phase, purpose, iteration } = event.payload;
    if (phase !== "coder" || purpose !== "prompt" || proposalOf(event) === null) return [];
    const renders = codesFor(index, event.id, "judge").map((code) => renderOf(index, code));
    const decision = filterCoderPrompt(
      renders.map((render) => render.type === "ImageRendered"),
      config,
    );
    return [{ iteration, proposalId: event.id, decision }];
  });
}

/** Rendered and answered dataset proposals of the Solver phases, in log order, each decided by the bands. */
export function solverItemCandidates(index: RecordedIndex, config: RewardConfig): SolverItemCandidate[] {
  return index.proposals.flatMap((event) => {
    const { phase, purpose, iteration } = event.payload;
    if (phase !== "solver" || purpose !== "dataset") return [];
    const proposal = proposalOf(event);
    if (proposal === null) return [];
    const [code, ...extra] = codesFor(index, event.id, "dataset");
    if (code === undefined || extra.length > 0) {
      throw new IncompleteLogError(
        `dataset proposal ${event.id}`,
        `expected one dataset code, found ${extra.length + (code === undefined ? 0 : 1)}`,
      );
    }
    const render = renderOf(index, code);
    const answers = answersOf(index, render);
    if (answers.easy === null || answers.hard === null) return [];
    const decision = filterSolverItem(answerTexts(answers.easy), answerTexts(answers.hard), config);
    return [
      { iteration, proposalId: event.id, imageId: render.id, question: proposal.hardQuestion, decision },
    ];
  });
}

/** The dataset items a set of decisions keeps, shaped as DatasetBuilt records them. */
export function keptDatasetItems(candidates: readonly SolverItemCandidate[]): DatasetItem[] {
  return candidates.flatMap((candidate) =>
    candidate.decision.kept
      ? [
          {
            imageId: candidate.imageId,
            question: candidate.question,
            pseudoLabel: candidate.decision.pseudoLabel,
            easyConsistency: candidate.decision.easyConsistency,
            hardConsistency: candidate.decision.hardConsistency,
          },
        ]
      : [],
  );
}
