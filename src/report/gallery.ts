import assert from "node:assert/strict";
import type { RenderEvent, SampleGraph } from "../decisions/index.ts";
import { type EventOf, type PolicyRole, type payloads, policyRoles } from "../events/index.ts";
import { majorityVote } from "../rewards/index.ts";
import { type AnswerVerdict, type DepictionVerdict, depictionVerdict } from "./oracle-checks.ts";
import {
  captionOfCode,
  type DatasetItemRecord,
  proposerAnswerVerdicts,
  type ReportState,
} from "./projection.ts";
import { samplePosition } from "./sample-position.ts";
import type { Stage } from "./unit-metrics.ts";

/**
 * The gallery: one sample per Coder output (with its render, the proposal behind it, the frozen
 * Solver's votes and the rewards) and one per format-invalid proposal, and a deterministic choice
 * of at most a few of them that covers every (iteration, phase, outcome).
 */

export const galleryOutcomes = ["rendered", "render-failed", "invalid-proposal", "pending"] as const;
/** "pending": the code is in the log but its render is not (yet). */
export type GalleryOutcome = (typeof galleryOutcomes)[number];

/** Why: model outputs can be long; a card shows the start, the log keeps the rest. */
export const galleryTextCharactersMax = 1200;
/** Why: each card embeds a PNG; a few hundred keep the page light (about 1.5 kB per 32x32 image). */
export const gallerySamplesMaxDefault = 120;

export interface GallerySample {
  /** The code sample's event id, or the proposal's for an invalid proposal. */
  readonly id: string;
  readonly seq: number;
  readonly iteration: number;
  readonly phase: PolicyRole;
  readonly stage: Stage;
  readonly step: number;
  readonly purpose: payloads.SamplePurpose;
  readonly sampleKey: string;
  readonly outcome: GalleryOutcome;
  readonly failure: { readonly kind: string; readonly message: string } | null;
  readonly image: { readonly png: string; readonly width: number; readonly height: number } | null;
  readonly topic: string;
  readonly proposal: typeof payloads.ParsedProposal.Type | null;
  /** The raw Proposer output, shown when it does not parse. */
  readonly proposalText: string | null;
  readonly code: string | null;
  readonly votes: { readonly easy: Judgement | null; readonly hard: Judgement | null };
  readonly rewards: { readonly proposer: number | null; readonly coder: number | null };
  readonly datasetItem: DatasetItemRecord | null;
  readonly keptAsCoderPrompt: boolean;
  /** Analysis only (oracle). */
  readonly depiction: DepictionVerdict | null;
  readonly proposerAnswers: { readonly easy: AnswerVerdict | null; readonly hard: AnswerVerdict | null };
}

/** The frozen Solver's votes on one question of one image, with their majority. */
export interface Judgement {
  readonly answers: readonly string[];
  readonly label: string;
  readonly consistency: number;
}

function clipped(text: string): string {
  return text.length <= galleryTextCharactersMax ? text : `${text.slice(0, galleryTextCharactersMax)}…`;
}

function judgement(answers: EventOf<"AnswersSampled"> | null): Judgement | null {
  if (answers === null) return null;
  const votes = answers.payload.samples.map((sample) => sample.answer);
  const vote = majorityVote(votes);
  return { answers: votes, label: vote.label, consistency: vote.consistency };
}

/**
 * A gallery candidate before its details: enough to choose among candidates
 * ({@link selectGallerySamples}), so the oracle checks and votes are worked out only for the chosen.
 */
export interface GalleryCandidate {
  readonly seq: number;
  readonly iteration: number;
  readonly phase: PolicyRole;
  readonly outcome: GalleryOutcome;
  readonly sample: EventOf<"CodeSampled"> | EventOf<"ProposalSampled">;
}

function renderOutcome(render: RenderEvent | undefined): GalleryOutcome {
  if (render === undefined) return "pending";
  return render.type === "ImageRendered" ? "rendered" : "render-failed";
}

/** Every gallery candidate of the run, in log order: each code sample, and each format-invalid proposal. */
export function galleryCandidates(state: ReportState): GalleryCandidate[] {
  const samples = state.samples;
  const candidates: GalleryCandidate[] = [];
  for (const code of samples.codes()) {
    candidates.push({
      seq: code.seq,
      iteration: code.payload.iteration,
      phase: code.payload.phase,
      outcome: renderOutcome(samples.findRender(code)),
      sample: code,
    });
  }
  for (const proposal of samples.proposals())
    if (proposal.payload.proposal === null)
      candidates.push({
        seq: proposal.seq,
        iteration: proposal.payload.iteration,
        phase: proposal.payload.phase,
        outcome: "invalid-proposal",
        sample: proposal,
      });
  return candidates.sort((first, second) => first.seq - second.seq);
}

/** What the run's datasets say about samples: the Coder prompts kept, the Solver items by image. */
interface DatasetMembership {
  readonly keptPrompts: ReadonlySet<string>;
  readonly itemsByImage: ReadonlyMap<string, DatasetItemRecord>;
}

function datasetMembership(state: ReportState): DatasetMembership {
  const keptPrompts = new Set<string>();
  for (const dataset of state.samples.datasets())
    for (const id of dataset.payload.promptIds) keptPrompts.add(id);
  const itemsByImage = new Map<string, DatasetItemRecord>();
  for (const record of state.datasets) for (const item of record.items) itemsByImage.set(item.imageId, item);
  return { keptPrompts, itemsByImage };
}

function rewardOf(samples: SampleGraph, id: string): number | null {
  const reward = samples.rewardsOf(id).find((event) => event.payload.role !== "solver");
  return reward?.payload.total ?? null;
}

function proposalFields(
  samples: SampleGraph,
  membership: DatasetMembership,
  proposal: EventOf<"ProposalSampled"> | undefined,
) {
  const parsed = proposal?.payload.proposal ?? null;
  const verdicts = proposal === undefined ? { easy: null, hard: null } : proposerAnswerVerdicts(proposal);
  return {
    topic: proposal?.payload.topic ?? "",
    proposal: parsed,
    proposalText: proposal === undefined || parsed !== null ? null : clipped(proposal.payload.text),
    proposerAnswers: verdicts,
    keptAsCoderPrompt: proposal !== undefined && membership.keptPrompts.has(proposal.id),
    proposerReward: proposal === undefined ? null : rewardOf(samples, proposal.id),
  };
}

function codeSample(
  samples: SampleGraph,
  membership: DatasetMembership,
  code: EventOf<"CodeSampled">,
): GallerySample {
  const render = samples.findRender(code);
  const proposal = samples.find(code.payload.proposalId, "ProposalSampled");
  const { proposerReward, ...fromProposal } = proposalFields(samples, membership, proposal);
  const rendered = render?.type === "ImageRendered" ? render : undefined;
  const votes = rendered === undefined ? { easy: null, hard: null } : samples.answersOf(rendered);
  const caption = captionOfCode(samples, code);
  return {
    id: code.id,
    ...samplePosition(code),
    outcome: renderOutcome(render),
    failure:
      render?.type === "RenderFailed"
        ? { kind: render.payload.outcome, message: clipped(render.payload.message) }
        : null,
    image:
      rendered === undefined
        ? null
        : { png: rendered.payload.png, width: rendered.payload.width, height: rendered.payload.height },
    ...fromProposal,
    code: clipped(code.payload.text),
    votes: { easy: judgement(votes.easy), hard: judgement(votes.hard) },
    rewards: { proposer: proposerReward, coder: rewardOf(samples, code.id) },
    datasetItem: rendered === undefined ? null : (membership.itemsByImage.get(rendered.id) ?? null),
    depiction:
      rendered === undefined || caption === null ? null : depictionVerdict(caption, code.payload.text),
  };
}

function invalidProposalSample(
  samples: SampleGraph,
  membership: DatasetMembership,
  proposal: EventOf<"ProposalSampled">,
): GallerySample {
  const { proposerReward, ...fromProposal } = proposalFields(samples, membership, proposal);
  return {
    id: proposal.id,
    ...samplePosition(proposal),
    outcome: "invalid-proposal",
    failure: null,
    image: null,
    ...fromProposal,
    code: null,
    votes: { easy: null, hard: null },
    rewards: { proposer: proposerReward, coder: null },
    datasetItem: null,
    depiction: null,
  };
}

/** The chosen candidates with everything a gallery card shows, in the order given. */
export function galleryDetails(state: ReportState, candidates: readonly GalleryCandidate[]): GallerySample[] {
  const membership = datasetMembership(state);
  return candidates.map(({ sample }) =>
    sample.type === "CodeSampled"
      ? codeSample(state.samples, membership, sample)
      : invalidProposalSample(state.samples, membership, sample),
  );
}

/** Every gallery sample of the run with its details, in log order. */
export function gallerySamples(state: ReportState): GallerySample[] {
  return galleryDetails(state, galleryCandidates(state));
}

/** What choosing needs of a sample: its place in the log and its stratum. */
type Choosable = Pick<GallerySample, "seq" | "iteration" | "phase" | "outcome">;

function stratumOf(sample: Choosable): string {
  return `${sample.iteration}|${policyRoles.indexOf(sample.phase)}|${galleryOutcomes.indexOf(sample.outcome)}`;
}

/** `count` indices spread evenly over [0, length), centred in their slices. */
function spreadIndices(length: number, count: number): number[] {
  return Array.from({ length: count }, (_, position) =>
    Math.floor(((2 * position + 1) * length) / (2 * count)),
  );
}

/**
 * At most `limit` samples: every (iteration, phase, outcome) stratum gets a turn in round-robin until
 * the limit is reached, and each stratum's picks are spread evenly over its samples in log order.
 * Deterministic: the same candidates give the same choice. Returned in log order.
 */
export function selectGallerySamples<Sample extends Choosable>(
  candidates: readonly Sample[],
  limit: number,
): Sample[] {
  assert(Number.isInteger(limit) && limit >= 0, `gallery limit ${limit} must be a whole number`);
  const strata = new Map<string, Sample[]>();
  for (const sample of [...candidates].sort((a, b) => a.seq - b.seq)) {
    const name = stratumOf(sample);
    const stratum = strata.get(name);
    if (stratum === undefined) strata.set(name, [sample]);
    else stratum.push(sample);
  }
  const groups = [...strata.values()];
  const quotas = groups.map(() => 0);
  let remaining = Math.min(limit, candidates.length);
  while (remaining > 0) {
    for (const [position, group] of groups.entries()) {
      if (remaining === 0) break;
      if (quotas[position]! >= group.length) continue;
      quotas[position]! += 1;
      remaining -= 1;
    }
  }
  const chosen = groups.flatMap((group, position) =>
    spreadIndices(group.length, quotas[position]!).map((index) => group[index]!),
  );
  return chosen.sort((a, b) => a.seq - b.seq);
}
