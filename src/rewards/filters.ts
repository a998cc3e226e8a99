/**
 * The loop's data filters. Coder prompts are kept only if the previous Coder's render rate over a few
 * samples lies in a band (neither always nor never renderable). Solver dataset items are kept only if
 * the Solver agrees with itself on the easy question, is torn on the hard one, and the hard question
 * has a majority answer to serve as pseudo-label (plus the named deviations of FilterConfig).
 */
import { answersEquivalent } from "./answers.ts";
import type { ProbabilityBand, RewardConfig } from "./config.ts";
import { InconsistentInputError } from "./errors.ts";
import { majorityVote } from "./majority.ts";
import { workingsOperations } from "./workings.ts";

export interface CoderPromptDecision {
  readonly kept: boolean;
  readonly renderRate: number;
}

function inBand(value: number, band: ProbabilityBand): boolean {
  return value >= band.minimum && value <= band.maximum;
}

/** Keeps a Coder prompt iff the render rate of its `coderRenderSamples` attempts is inside the band. */
export function filterCoderPrompt(
  renderSucceeded: readonly boolean[],
  config: RewardConfig,
): CoderPromptDecision {
  const { coderRenderSamples, coderRenderRateBand } = config.filters;
  if (renderSucceeded.length !== coderRenderSamples) {
    throw new InconsistentInputError(
      "Coder prompt render attempts",
      `${coderRenderSamples}`,
      `${renderSucceeded.length}`,
    );
  }
  const renderRate = renderSucceeded.filter(Boolean).length / renderSucceeded.length;
  return { kept: inBand(renderRate, coderRenderRateBand), renderRate };
}

export type SolverItemRejection =
  | "easy-inconsistent"
  | "hard-too-inconsistent"
  | "hard-too-consistent"
  | "no-majority"
  | "proposer-disagrees"
  | "hard-not-composition";

/** One of the Solver's dataset answers to a hard question: its extracted answer and its full text. */
export interface HardSample {
  readonly answer: string;
  /** The whole response, read only by deviations that look at the workings (`minimumHardOperations`). */
  readonly text: string;
}

/** What the Proposer claimed for the image's two questions (its easy and hard answers). */
export interface ProposerAnswers {
  readonly easyAnswer: string;
  readonly hardAnswer: string;
}

export interface SolverItemDecision {
  readonly kept: boolean;
  /** Why the item was dropped (the first failing test in the release's order); null when kept. */
  readonly rejection: SolverItemRejection | null;
  readonly easyConsistency: number;
  readonly hardConsistency: number;
  /** The hard question's majority answer: the Solver's training label when kept. */
  readonly pseudoLabel: string;
  /** The easy question's majority answer. */
  readonly easyLabel: string;
  /** Whether the easy majority agrees with the Proposer's easy answer (visual verification passed). */
  readonly easyAgreesWithProposer: boolean;
}

/** Whether at least half of the responses work through at least `minimum` operations. */
export function answeredAsComposition(hardResponses: readonly string[], minimum: number): boolean {
  const composing = hardResponses.filter((response) => workingsOperations(response) >= minimum).length;
  return hardResponses.length > 0 && 2 * composing >= hardResponses.length;
}

function solverItemRejection(
  easyConsistency: number,
  hardConsistency: number,
  pseudoLabel: string,
  proposerHardAnswer: string,
  hardSamples: readonly HardSample[],
  filters: RewardConfig["filters"],
): SolverItemRejection | null {
  if (filters.requireMajorityLabel && pseudoLabel === "") return "no-majority";
  if (easyConsistency < filters.minimumEasyConsistency) return "easy-inconsistent";
  if (hardConsistency < filters.hardConsistencyBand.minimum) return "hard-too-inconsistent";
  if (hardConsistency > filters.hardConsistencyBand.maximum) return "hard-too-consistent";
  if (filters.requireProposerAgreement === true && !answersEquivalent(pseudoLabel, proposerHardAnswer))
    return "proposer-disagrees";
  if (
    filters.minimumHardOperations !== undefined &&
    !answeredAsComposition(
      hardSamples.map((sample) => sample.text),
      filters.minimumHardOperations,
    )
  )
    return "hard-not-composition";
  return null;
}

/** Decides one Solver dataset item from the Solver's answers to its easy and hard questions. */
export function filterSolverItem(
  easyAnswers: readonly string[],
  hardSamples: readonly HardSample[],
  proposer: ProposerAnswers,
  config: RewardConfig,
): SolverItemDecision {
  const samples = config.filters.solverDatasetSamples;
  if (easyAnswers.length !== samples) {
    throw new InconsistentInputError("Solver dataset easy answers", `${samples}`, `${easyAnswers.length}`);
  }
  if (hardSamples.length !== samples) {
    throw new InconsistentInputError("Solver dataset hard answers", `${samples}`, `${hardSamples.length}`);
  }
  const easy = majorityVote(easyAnswers);
  const hard = majorityVote(hardSamples.map((sample) => sample.answer));
  const rejection = solverItemRejection(
    easy.consistency,
    hard.consistency,
    hard.label,
    proposer.hardAnswer,
    hardSamples,
    config.filters,
  );
  return {
    kept: rejection === null,
    rejection,
    easyConsistency: easy.consistency,
    hardConsistency: hard.consistency,
    pseudoLabel: hard.label,
    easyLabel: easy.label,
    easyAgreesWithProposer: easy.label !== "" && answersEquivalent(easy.label, proposer.easyAnswer),
  };
}
