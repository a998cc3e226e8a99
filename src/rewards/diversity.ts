/**
 * The Proposer's diversity term. For caption, easy question and hard question separately, the
 * batch's valid proposals are clustered by 1 - BLEU (average linkage, threshold 0.25); a proposal's
 * share is its cluster's size over n. `excess = sum_f weight_f * (share_f - 1/n)` and the term is
 * `-clip(weight * n * excess, -weight, +weight)`: proposals in big clusters lose up to `weight`.
 * Skipped (0, no shares) when n <= 1. The reference calls the term two-sided ("unique proposals in a
 * clumpy batch gain"), but since share >= 1/n the excess is never negative: the term lies in
 * [-weight, 0] and unique proposals gain only relative to clustered ones.
 */
import assert from "node:assert/strict";
import { bleuDistanceMatrix } from "./bleu.ts";
import { averageLinkageClusters, clusterShares } from "./clustering.ts";
import type { DiversityConfig } from "./config.ts";

export interface DiversityTexts {
  readonly caption: string;
  readonly easyQuestion: string;
  readonly hardQuestion: string;
}

/** Own-cluster share per field, each in (0, 1]. */
export interface ClusterShares {
  readonly caption: number;
  readonly easyQuestion: number;
  readonly hardQuestion: number;
}

export interface DiversityResult {
  /** The signed term added to the reward, in [-weight, +weight]. */
  readonly adjustment: number;
  /** Null when the term is skipped (n <= 1). */
  readonly shares: ClusterShares | null;
}

/** Own-cluster shares of one text field across the batch. */
export function fieldClusterShares(texts: readonly string[], config: DiversityConfig): number[] {
  const distances = bleuDistanceMatrix(texts, {
    maxOrder: config.bleuMaxOrder,
    smoothingEpsilon: config.bleuSmoothingEpsilon,
  });
  return clusterShares(averageLinkageClusters(distances, config.distanceThreshold));
}

/** The diversity term of every valid proposal in a batch, in batch order. */
export function diversityAdjustments(
  proposals: readonly DiversityTexts[],
  config: DiversityConfig,
): DiversityResult[] {
  const count = proposals.length;
  if (count <= 1) return proposals.map(() => ({ adjustment: 0, shares: null }));
  const captionShares = fieldClusterShares(
    proposals.map((proposal) => proposal.caption),
    config,
  );
  const easyShares = fieldClusterShares(
    proposals.map((proposal) => proposal.easyQuestion),
    config,
  );
  const hardShares = fieldClusterShares(
    proposals.map((proposal) => proposal.hardQuestion),
    config,
  );
  const uniformShare = 1 / count;
  return proposals.map((_, index) => {
    const shares = {
      caption: captionShares[index]!,
      easyQuestion: easyShares[index]!,
      hardQuestion: hardShares[index]!,
    };
    const excess =
      config.captionWeight * (shares.caption - uniformShare) +
      config.easyQuestionWeight * (shares.easyQuestion - uniformShare) +
      config.hardQuestionWeight * (shares.hardQuestion - uniformShare);
    // A share is never below 1/n and the weights are not negative, so the excess is never negative and
    // the release's lower clip bound (-weight) can never bind: only the upper bound is applied.
    assert(excess >= 0, `diversity excess ${excess} is negative`);
    const penalty = Math.min(config.weight, excess * count * config.weight);
    // `0 - penalty` rather than `-penalty`: no negative zero in logged components.
    return { adjustment: 0 - penalty, shares };
  });
}
