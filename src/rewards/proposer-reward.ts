/**
 * The Proposer reward over a rollout batch. Per proposal: an unparsable output scores
 * `formatFailureReward`; otherwise `base = (1/K) sum_{rendered j} [min(s_j, cap) + d_j]` (failed
 * renders add 0), minus the trivial-hard penalty, minus the content-type spread penalty, plus the
 * two-sided diversity term. The batch terms are permutation-equivariant: permuting the batch permutes
 * the rewards.
 *
 * Inputs are typed so that a missing Solver or Coder result cannot be scored: a judge result is either
 * a failed render or the M answers to each question, and wrong counts throw InconsistentInputError.
 */
import type { RewardConfig } from "./config.ts";
import { type ClusterShares, diversityAdjustments } from "./diversity.ts";
import { InconsistentInputError } from "./errors.ts";
import { gatedDifficulty, type ImageJudgement, judgeImage } from "./measures.ts";
import { type ContentType, type Proposal, resolveContentType } from "./proposal.ts";

/** What happened to one of the K SVGs the frozen Coder wrote for a proposal. */
export type JudgeResult =
  | { readonly kind: "render-failed" }
  | {
      readonly kind: "judged";
      /** The M Solver answers (already extracted) to the easy question on this image. */
      readonly easyAnswers: readonly string[];
      /** The M Solver answers to the hard question on this image. */
      readonly hardAnswers: readonly string[];
    };

/** One rollout of the Proposer: a parse failure, or the parsed proposal with its K judge results. */
export type ProposerOutcome =
  | { readonly kind: "unparsable" }
  | { readonly kind: "parsed"; readonly proposal: Proposal; readonly judges: readonly JudgeResult[] };

/** A rendered image's measures and what it adds to the base before dividing by K. */
export interface RenderScore extends ImageJudgement {
  readonly contribution: number;
}

export type ProposerReward =
  | { readonly kind: "unparsable"; readonly total: number }
  | {
      readonly kind: "scored";
      /** base + trivialHardPenalty + contentTypePenalty + diversity. */
      readonly total: number;
      readonly base: number;
      /** 0 or -trivialHardPenalty. */
      readonly trivialHardPenalty: number;
      /** 0 or negative. */
      readonly contentTypePenalty: number;
      /** In [-weight, +weight]. */
      readonly diversity: number;
      /** One entry per judge result, null for a failed render. */
      readonly renders: readonly (RenderScore | null)[];
      readonly renderedCount: number;
      /** Means over rendered images (0 when none rendered). */
      readonly meanSolvability: number;
      readonly meanDifficulty: number;
      /** The type used for the spread: declared, or the caption classifier's when declared "other". */
      readonly contentType: ContentType;
      readonly clusterShares: ClusterShares | null;
    };

interface ProposalScore {
  readonly base: number;
  readonly trivialHardPenalty: number;
  readonly renders: readonly (RenderScore | null)[];
  readonly renderedCount: number;
  readonly meanSolvability: number;
  readonly meanDifficulty: number;
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}

function scoreRender(judgement: ImageJudgement, proposer: RewardConfig["proposer"]): RenderScore {
  const capped = Math.min(judgement.solvability, proposer.solvabilityCap);
  const gate = proposer.combination === "additive" ? undefined : proposer.easyGateThreshold;
  return { ...judgement, contribution: capped + gatedDifficulty(judgement, gate) };
}

/** The per-proposal terms: base over K judges and the trivial-hard penalty. */
function scoreProposal(
  proposal: Proposal,
  judges: readonly JudgeResult[],
  config: RewardConfig,
): ProposalScore {
  const { codeSamplesPerProposal, solverSamplesPerImage, difficultyShape } = config.judging;
  if (judges.length !== codeSamplesPerProposal) {
    throw new InconsistentInputError(
      "Proposer judge results",
      `${codeSamplesPerProposal} (K)`,
      `${judges.length}`,
    );
  }
  const renders = judges.map((judge) =>
    judge.kind === "render-failed"
      ? null
      : scoreRender(
          judgeImage(judge.easyAnswers, judge.hardAnswers, proposal.easyAnswer, {
            samplesPerImage: solverSamplesPerImage,
            difficultyShape,
          }),
          config.proposer,
        ),
  );
  const rendered = renders.filter((render) => render !== null);
  const base = rendered.reduce((sum, render) => sum + render.contribution, 0) / codeSamplesPerProposal;
  const meanDifficulty = mean(rendered.map((render) => render.difficulty));
  const trivial = rendered.length > 0 && meanDifficulty < config.proposer.trivialHardThreshold;
  return {
    base,
    trivialHardPenalty: trivial ? -config.proposer.trivialHardPenalty : 0,
    renders,
    renderedCount: rendered.length,
    meanSolvability: mean(rendered.map((render) => render.solvability)),
    meanDifficulty,
  };
}

/**
 * Content-type spread over the valid proposals: with at least two types present, a type holding a
 * share f above the threshold costs each of its proposals `weight * (f - threshold) / (1 - threshold)`.
 */
export function contentTypePenalties(
  types: readonly ContentType[],
  proposer: RewardConfig["proposer"],
): number[] {
  const counts = new Map<ContentType, number>();
  for (const type of types) counts.set(type, (counts.get(type) ?? 0) + 1);
  if (types.length <= 1 || counts.size < 2) return types.map(() => 0);
  const threshold = proposer.contentTypeShareThreshold;
  return types.map((type) => {
    const share = (counts.get(type) ?? 0) / types.length;
    return share > threshold
      ? -proposer.contentTypeSpreadWeight * ((share - threshold) / (1 - threshold))
      : 0;
  });
}

/** Rewards for a whole Proposer rollout batch, in batch order, each with its components. */
export function scoreProposerBatch(
  outcomes: readonly ProposerOutcome[],
  config: RewardConfig,
): ProposerReward[] {
  const valid = outcomes.flatMap((outcome) => (outcome.kind === "parsed" ? [outcome] : []));
  const scores = valid.map((outcome) => scoreProposal(outcome.proposal, outcome.judges, config));
  const types = valid.map((outcome) => resolveContentType(outcome.proposal));
  const typePenalties = contentTypePenalties(types, config.proposer);
  const diversity = diversityAdjustments(
    valid.map((outcome) => outcome.proposal),
    config.proposer.diversity,
  );
  let validIndex = 0;
  return outcomes.map((outcome): ProposerReward => {
    if (outcome.kind === "unparsable")
      return { kind: "unparsable", total: config.proposer.formatFailureReward };
    const index = validIndex;
    validIndex += 1;
    const score = scores[index]!;
    const contentTypePenalty = typePenalties[index]!;
    const { adjustment, shares } = diversity[index]!;
    return {
      kind: "scored",
      total: score.base + score.trivialHardPenalty + contentTypePenalty + adjustment,
      ...score,
      contentTypePenalty,
      diversity: adjustment,
      contentType: types[index]!,
      clusterShares: shares,
    };
  });
}
