/**
 * Rebuilds each reward's inputs from the log exactly as the loop assembled them
 * (src/actors/loop/proposer-phase.ts, coder-phase.ts, solver-phase.ts): the same parse, the same
 * K judge results in code order, the same render-failure flags, the same pseudo-label.
 */
import type { EventOf } from "../events/index.ts";
import {
  type CoderOutcome,
  type JudgeResult,
  type Proposal,
  type ProposerOutcome,
  parseProposal,
} from "../rewards/index.ts";
import { IncompleteLogError } from "./errors.ts";
import {
  answersOf,
  answerTexts,
  datasetKey,
  type RecordedIndex,
  type RenderEvent,
  recordedEvent,
  renderOf,
} from "./recorded-index.ts";

/**
 * The proposal a ProposalSampled carries, parsed from its text as the loop did (the recorded
 * `proposal` field is the same parse; a disagreement means another engine wrote the log).
 */
export function proposalOf(event: EventOf<"ProposalSampled">): Proposal | null {
  const parse = parseProposal(event.payload.text);
  if (parse.ok !== (event.payload.proposal !== null)) {
    throw new IncompleteLogError(
      `proposal ${event.id}`,
      "its recorded parse disagrees with this version's parser",
    );
  }
  return parse.ok ? parse.proposal : null;
}

/** Codes of one purpose written for a proposal, in the order the loop sampled them. */
export function codesFor(
  index: RecordedIndex,
  proposalId: string,
  purpose: EventOf<"CodeSampled">["payload"]["purpose"],
): EventOf<"CodeSampled">[] {
  return (index.codesByProposal.get(proposalId) ?? []).filter((code) => code.payload.purpose === purpose);
}

/** proposer-phase.ts `judgeResultOf`: a render without both answer sets counts as failed. */
function judgeResultOf(index: RecordedIndex, code: EventOf<"CodeSampled">): JudgeResult {
  const answers = answersOf(index, renderOf(index, code));
  if (answers.easy === null || answers.hard === null) return { kind: "render-failed" };
  return { kind: "judged", easyAnswers: answerTexts(answers.easy), hardAnswers: answerTexts(answers.hard) };
}

/** One Proposer rollout's outcome: unparsable, or its proposal with the K frozen-Coder judge results. */
export function proposerOutcome(index: RecordedIndex, proposalId: string): ProposerOutcome {
  const event = recordedEvent(index, proposalId, "ProposalSampled", "Proposer reward");
  const proposal = proposalOf(event);
  if (proposal === null) return { kind: "unparsable" };
  const judges = codesFor(index, proposalId, "judge").map((code) => judgeResultOf(index, code));
  return { kind: "parsed", proposal, judges };
}

/** coder-phase.ts `failedOutcome`: a rendered image must have been answered. */
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
  index: RecordedIndex,
  codeId: string,
): { readonly outcome: CoderOutcome; readonly easyAnswer: string } {
  const code = recordedEvent(index, codeId, "CodeSampled", "Coder reward");
  const prompt = recordedEvent(index, code.payload.proposalId, "ProposalSampled", `Coder sample ${codeId}`);
  const proposal = proposalOf(prompt);
  if (proposal === null)
    throw new IncompleteLogError(`Coder sample ${codeId}`, "its prompt is not a valid proposal");
  const render = renderOf(index, code);
  const answers = answersOf(index, render);
  const outcome: CoderOutcome =
    answers.easy !== null && answers.hard !== null
      ? { kind: "rendered", easyAnswers: answerTexts(answers.easy), hardAnswers: answerTexts(answers.hard) }
      : failedOutcome(render);
  return { outcome, easyAnswer: proposal.easyAnswer };
}

/** The dataset item a Solver rollout answered: its image in the iteration's recorded Solver dataset. */
export function solverDatasetItem(
  index: RecordedIndex,
  iteration: number,
  imageId: string,
): EventOf<"DatasetBuilt">["payload"]["items"][number] {
  const dataset = index.datasets.get(datasetKey(iteration, "solver"));
  const item = dataset?.payload.items.find((candidate) => candidate.imageId === imageId);
  if (item === undefined) {
    throw new IncompleteLogError(
      `Solver rollout on image ${imageId}`,
      `iteration ${iteration}'s dataset lacks it`,
    );
  }
  return item;
}

/** One Solver rollout's response text and the pseudo-label of the dataset item it answered. */
export function solverResponse(
  index: RecordedIndex,
  reward: EventOf<"RewardScored">,
): { readonly response: string; readonly pseudoLabel: string; readonly sample: number } {
  const answers = recordedEvent(index, reward.payload.sampleId, "AnswersSampled", "Solver reward");
  const sample = reward.payload.components.sample;
  const recordedSample = sample === undefined ? undefined : answers.payload.samples[sample];
  if (sample === undefined || recordedSample === undefined) {
    throw new IncompleteLogError(`Solver reward ${reward.id}`, "its sample index is missing or out of range");
  }
  const item = solverDatasetItem(index, reward.payload.iteration, answers.payload.imageId);
  return { response: recordedSample.text, pseudoLabel: item.pseudoLabel, sample };
}
