import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { type GrpoConfig, logRatioClampMaximum, maskedMeanEpsilon } from "../rewards/index.ts";

/**
 * The GRPO loss of one mini-batch on tensors: the same formulas as the scalar reference
 * `grpoLoss` in src/rewards/policy-loss.ts (EasyR1's dual-clipped PPO surrogate plus the k3 KL loss),
 * with the reference's constants imported, so the two cannot drift apart silently
 * (test/gpu/grpo-golden.test.ts compares them). Every input is [sequences, responseSlots] except the
 * advantages, [sequences].
 */

export interface GrpoLossInputs {
  /** Policy log-probs (differentiable). */
  readonly logProbs: tf.Tensor2D;
  /** Rollout-time log-probs (constants). */
  readonly oldLogProbs: tf.Tensor2D;
  /** Reference-policy log-probs (constants); null when the KL term is off. */
  readonly referenceLogProbs: tf.Tensor2D | null;
  /** 1 for response tokens, 0 for padding. */
  readonly mask: tf.Tensor2D;
  readonly advantages: tf.Tensor1D;
  /**
   * Set when these rows are one shard of a larger mini-batch (data-parallel training): the whole
   * mini-batch's totals replace the shard's own as normalisers, so each shard's loss is its additive
   * share and the shards' gradients sum to the whole mini-batch's gradient (to float summation order).
   */
  readonly whole?: BatchTotals;
}

/** A mini-batch's response tokens and sequences: the normalisers of every aggregation mode. */
export interface BatchTotals {
  readonly tokens: number;
  readonly sequences: number;
}

/** Scalars of the loss; field meanings as in the scalar reference's `GrpoLoss`. */
export interface GrpoLossTensors {
  readonly loss: tf.Scalar;
  readonly policyLoss: tf.Scalar;
  readonly klLoss: tf.Scalar;
  readonly clipFractionHigher: tf.Scalar;
  readonly clipFractionLower: tf.Scalar;
  readonly approximateKlToOld: tf.Scalar;
}

/**
 * Aggregates per-token values by the configured mode (the reference's `aggregateTokens`). With
 * `whole`, the rows are a shard and the whole mini-batch's totals normalise (see `GrpoLossInputs`);
 * without it the tensors are normalised by their own totals, as they always were.
 */
export function aggregateTokenTensor(
  values: tf.Tensor2D,
  mask: tf.Tensor2D,
  aggregation: GrpoConfig["aggregation"],
  whole?: BatchTotals,
): tf.Scalar {
  const masked = tf.mul(values, mask);
  const sequences = whole?.sequences ?? values.shape[0];
  switch (aggregation.mode) {
    case "token-mean":
      return tf.div(
        tf.sum(masked),
        whole === undefined ? tf.add(tf.sum(mask), maskedMeanEpsilon) : whole.tokens + maskedMeanEpsilon,
      );
    case "sequence-mean-token-mean": {
      const perSequence = tf.div(tf.sum(masked, 1), tf.add(tf.sum(mask, 1), maskedMeanEpsilon));
      return whole === undefined ? tf.mean(perSequence) : tf.div(tf.sum(perSequence), sequences);
    }
    case "sequence-sum-constant-normaliser":
      return tf.div(tf.sum(masked), sequences * aggregation.constantNormaliserTokens);
  }
}

function tokenMean(values: tf.Tensor2D, mask: tf.Tensor2D, whole: BatchTotals | undefined): tf.Scalar {
  return aggregateTokenTensor(values, mask, { mode: "token-mean", constantNormaliserTokens: 1 }, whole);
}

/** The dual-clipped surrogate per token, and the clip events the metrics count. */
function surrogate(inputs: GrpoLossInputs, clip: GrpoConfig["clip"]) {
  const sequences = inputs.advantages.shape[0];
  const negativeAdvantage = tf.reshape<tf.Rank.R2>(tf.neg(inputs.advantages), [sequences, 1]);
  const logRatio = tf.sub<tf.Tensor2D>(inputs.logProbs, inputs.oldLogProbs);
  const ratio = tf.exp(tf.clipByValue(logRatio, -logRatioClampMaximum, logRatioClampMaximum));
  const clippedRatio = tf.exp(tf.clipByValue(logRatio, Math.log(1 - clip.low), Math.log(1 + clip.high)));
  const unclippedLoss = tf.mul<tf.Tensor2D>(negativeAdvantage, ratio);
  const clippedLoss = tf.mul<tf.Tensor2D>(negativeAdvantage, clippedRatio);
  const dualLoss = tf.mul<tf.Tensor2D>(negativeAdvantage, clip.dual);
  const higher = tf.maximum<tf.Tensor2D>(unclippedLoss, clippedLoss);
  const isNegative = tf.less(tf.reshape(inputs.advantages, [sequences, 1]), 0);
  const loss = tf.where<tf.Tensor2D>(isNegative, tf.minimum<tf.Tensor2D>(higher, dualLoss), higher);
  const clippedHigher = tf.cast<tf.Tensor2D>(tf.less(unclippedLoss, clippedLoss), "float32");
  const clippedLower = tf.cast<tf.Tensor2D>(
    tf.logicalAnd(isNegative, tf.greater(higher, dualLoss)),
    "float32",
  );
  return { loss, clippedHigher, clippedLower };
}

/** k3 = exp(y) - y - 1 with y = ref - logp clamped like the reference, then clamped to the KL bound. */
function k3(logProbs: tf.Tensor2D, referenceLogProbs: tf.Tensor2D, clampMaximum: number): tf.Tensor2D {
  const y = tf.clipByValue(tf.sub(referenceLogProbs, logProbs), -logRatioClampMaximum, logRatioClampMaximum);
  return tf.clipByValue(tf.sub<tf.Tensor2D>(tf.sub(tf.exp(y), 1), y), -clampMaximum, clampMaximum);
}

/** The mini-batch loss and its parts. */
export function grpoLossTensors(inputs: GrpoLossInputs, config: GrpoConfig): GrpoLossTensors {
  const { mask, whole } = inputs;
  assert(
    inputs.referenceLogProbs !== null || config.kl.coefficient === 0,
    "a KL coefficient above 0 needs the reference policy's log-probs",
  );
  const { loss: tokenLoss, clippedHigher, clippedLower } = surrogate(inputs, config.clip);
  const policyLoss = aggregateTokenTensor(tokenLoss, mask, config.aggregation, whole);
  const klLoss =
    inputs.referenceLogProbs === null
      ? tf.scalar(0)
      : aggregateTokenTensor(
          k3(inputs.logProbs, inputs.referenceLogProbs, config.kl.clampMaximum),
          mask,
          config.aggregation,
          whole,
        );
  return {
    loss: tf.add(policyLoss, tf.mul(klLoss, config.kl.coefficient)),
    policyLoss,
    klLoss,
    clipFractionHigher: tokenMean(clippedHigher, mask, whole),
    clipFractionLower: tokenMean(clippedLower, mask, whole),
    approximateKlToOld: tokenMean(tf.sub<tf.Tensor2D>(inputs.oldLogProbs, inputs.logProbs), mask, whole),
  };
}
