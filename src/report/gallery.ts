import assert from "node:assert/strict";
import type { SamplePurpose } from "../decisions/index.ts";
import { type PolicyRole, type payloads, policyRoles } from "../events/index.ts";
import { eventIdIndexGet, eventIdIndexValues } from "./event-id-index.ts";
import type { AnswerVerdict, DepictionVerdict } from "./oracle-checks.ts";
import type { ReportState } from "./projection.ts";
import type {
  CodeRecord,
  DatasetItemRecord,
  Judgement,
  ProposalRecord,
  SampleIndex,
} from "./sample-index.ts";
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
  readonly purpose: SamplePurpose;
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

function clipped(text: string): string {
  return text.length <= galleryTextCharactersMax ? text : `${text.slice(0, galleryTextCharactersMax)}…`;
}

function rewardOf(index: SampleIndex, id: string): number | null {
  return eventIdIndexGet(index.rewards, id)?.total ?? null;
}

function proposalFields(index: SampleIndex, proposal: ProposalRecord | undefined) {
  return {
    topic: proposal?.topic ?? "",
    proposal: proposal?.proposal ?? null,
    proposalText: proposal === undefined || proposal.proposal !== null ? null : clipped(proposal.text),
    proposerAnswers: { easy: proposal?.easyAnswerVerdict ?? null, hard: proposal?.hardAnswerVerdict ?? null },
    keptAsCoderPrompt: proposal !== undefined && eventIdIndexGet(index.keptPrompts, proposal.id) === true,
  };
}

function codeSample(index: SampleIndex, code: CodeRecord): GallerySample {
  const render = eventIdIndexGet(index.renders, code.id);
  const image = render?.kind === "rendered" ? eventIdIndexGet(index.images, render.imageId) : undefined;
  const proposal = eventIdIndexGet(index.proposals, code.proposalId);
  const proposalReward = proposal === undefined ? null : rewardOf(index, proposal.id);
  return {
    id: code.id,
    seq: code.seq,
    iteration: code.iteration,
    phase: code.phase,
    stage: code.stage,
    step: code.step,
    purpose: code.purpose,
    sampleKey: code.sampleKey,
    outcome: render === undefined ? "pending" : render.kind === "rendered" ? "rendered" : "render-failed",
    failure: render?.kind === "failed" ? { kind: render.outcome, message: clipped(render.message) } : null,
    image:
      render?.kind === "rendered" ? { png: render.png, width: render.width, height: render.height } : null,
    ...proposalFields(index, proposal),
    code: clipped(code.text),
    votes: { easy: image?.easy ?? null, hard: image?.hard ?? null },
    rewards: { proposer: proposalReward, coder: rewardOf(index, code.id) },
    datasetItem: image?.datasetItem ?? null,
    depiction: render?.kind === "rendered" ? render.depiction : null,
  };
}

function invalidProposalSample(index: SampleIndex, proposal: ProposalRecord): GallerySample {
  return {
    id: proposal.id,
    seq: proposal.seq,
    iteration: proposal.iteration,
    phase: proposal.phase,
    stage: proposal.stage,
    step: proposal.step,
    purpose: proposal.purpose,
    sampleKey: proposal.sampleKey,
    outcome: "invalid-proposal",
    failure: null,
    image: null,
    ...proposalFields(index, proposal),
    code: null,
    votes: { easy: null, hard: null },
    rewards: { proposer: rewardOf(index, proposal.id), coder: null },
    datasetItem: null,
    depiction: null,
  };
}

/** Every gallery candidate of the run, in log order. */
export function gallerySamples(state: ReportState): GallerySample[] {
  const index = state.index;
  const samples: GallerySample[] = [];
  for (const code of eventIdIndexValues(index.codes)) samples.push(codeSample(index, code));
  for (const proposal of eventIdIndexValues(index.proposals))
    if (proposal.proposal === null) samples.push(invalidProposalSample(index, proposal));
  return samples.sort((first, second) => first.seq - second.seq);
}

function stratumOf(sample: GallerySample): string {
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
export function selectGallerySamples(candidates: readonly GallerySample[], limit: number): GallerySample[] {
  assert(Number.isInteger(limit) && limit >= 0, `gallery limit ${limit} must be a whole number`);
  const strata = new Map<string, GallerySample[]>();
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
