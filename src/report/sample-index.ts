import type { SamplePurpose } from "../decisions/index.ts";
import type { PolicyRole, payloads } from "../events/index.ts";
import { type EventIdIndex, emptyEventIdIndex, eventIdIndexGet, eventIdIndexSet } from "./event-id-index.ts";
import type { AnswerVerdict, DepictionVerdict } from "./oracle-checks.ts";
import type { Stage, UnitKey } from "./unit-metrics.ts";

/**
 * The run's samples joined by id, as the report's fold sees them: each proposal, each code sample
 * with its render, each rendered image with the frozen Solver's judging votes and its dataset
 * label, and the rewards. Built from the log alone; the gallery and the oracle analyses read it.
 */

type ParsedProposal = typeof payloads.ParsedProposal.Type;

export interface SamplePosition extends UnitKey {
  readonly seq: number;
  readonly purpose: SamplePurpose;
  readonly sampleKey: string;
}

export interface ProposalRecord extends SamplePosition {
  readonly id: string;
  readonly topic: string;
  /** The raw output (what people need to see when it does not parse). */
  readonly text: string;
  readonly proposal: ParsedProposal | null;
  /** Analysis only: the oracle's verdict on the Proposer's own answers (null for invalid proposals). */
  readonly easyAnswerVerdict: AnswerVerdict | null;
  readonly hardAnswerVerdict: AnswerVerdict | null;
}

export interface CodeRecord extends SamplePosition {
  readonly id: string;
  readonly proposalId: string;
  readonly text: string;
}

export type RenderRecord =
  | {
      readonly kind: "rendered";
      readonly imageId: string;
      readonly png: string;
      readonly width: number;
      readonly height: number;
      /** Analysis only: does the SVG draw exactly the proposal's caption (null: no caption to compare). */
      readonly depiction: DepictionVerdict | null;
    }
  | { readonly kind: "failed"; readonly outcome: string; readonly message: string };

/** The frozen Solver's votes on one question of one image, with their majority. */
export interface Judgement {
  readonly answers: readonly string[];
  readonly label: string;
  readonly consistency: number;
}

export interface DatasetItemRecord {
  readonly question: string;
  readonly pseudoLabel: string;
  /** Analysis only: is the pseudo-label the true answer. */
  readonly verdict: AnswerVerdict | null;
}

export interface ImageRecord {
  readonly codeId: string;
  readonly easy: Judgement | null;
  readonly hard: Judgement | null;
  /** Set when the image became a Solver dataset item. */
  readonly datasetItem: DatasetItemRecord | null;
}

export interface SampleIndex {
  readonly proposals: EventIdIndex<ProposalRecord>;
  readonly codes: EventIdIndex<CodeRecord>;
  /** By code id. */
  readonly renders: EventIdIndex<RenderRecord>;
  readonly images: EventIdIndex<ImageRecord>;
  /** Proposer and Coder rewards by sample id (the Solver's are per answer set, see the unit metrics). */
  readonly rewards: EventIdIndex<{ readonly role: PolicyRole; readonly total: number }>;
  /** Proposals the Coder prompt filter kept. */
  readonly keptPrompts: EventIdIndex<true>;
}

export const emptySampleIndex: SampleIndex = {
  proposals: emptyEventIdIndex(),
  codes: emptyEventIdIndex(),
  renders: emptyEventIdIndex(),
  images: emptyEventIdIndex(),
  rewards: emptyEventIdIndex(),
  keptPrompts: emptyEventIdIndex(),
};

const stepSegmentPattern = /^s\d+$/;

/**
 * Whether a sample belongs to a GRPO step or to dataset building, from its logical key: the loop
 * keys step samples `i<iteration>/<phase>/s<step>/...` and dataset samples
 * `i<iteration>/<phase>/candidates|dataset/...` (src/actors/loop).
 */
export function stageOfSampleKey(sampleKey: string): Stage {
  return stepSegmentPattern.test(sampleKey.split("/")[2] ?? "") ? "step" : "dataset";
}

/** Where a sample event sits: its unit (dataset samples share step 0) and its order in the log. */
export function samplePosition(
  seq: number,
  payload: {
    readonly iteration: number;
    readonly phase: PolicyRole;
    readonly step: number;
    readonly purpose: SamplePurpose;
    readonly sampleKey: string;
  },
): SamplePosition {
  const stage = stageOfSampleKey(payload.sampleKey);
  return {
    seq,
    iteration: payload.iteration,
    phase: payload.phase,
    stage,
    step: stage === "dataset" ? 0 : payload.step,
    purpose: payload.purpose,
    sampleKey: payload.sampleKey,
  };
}

/** The proposal behind a code sample, when both are in the log. */
export function proposalOfCode(index: SampleIndex, codeId: string): ProposalRecord | undefined {
  const code = eventIdIndexGet(index.codes, codeId);
  return code === undefined ? undefined : eventIdIndexGet(index.proposals, code.proposalId);
}

/** The caption behind a rendered image: image -> code -> proposal (null when any link is missing). */
export function captionOfImage(index: SampleIndex, imageId: string): string | null {
  const image = eventIdIndexGet(index.images, imageId);
  if (image === undefined) return null;
  return proposalOfCode(index, image.codeId)?.proposal?.caption ?? null;
}

export function withImageUpdate(
  index: SampleIndex,
  imageId: string,
  update: (image: ImageRecord) => ImageRecord,
): SampleIndex {
  const image = eventIdIndexGet(index.images, imageId);
  if (image === undefined) return index;
  return { ...index, images: eventIdIndexSet(index.images, imageId, update(image)) };
}
