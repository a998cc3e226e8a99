/**
 * The GRPO loss for one mini-batch as scalar reference functions on plain arrays (EasyR1's
 * `compute_policy_loss` with loss_type "default" plus its KL loss). A tensor implementation must match
 * {@link grpoLoss} on golden inputs; every constant it needs is named here or in GrpoConfig.
 *
 * Per token t of sequence i, with A_i the sequence's advantage and log-ratio x = logp - oldLogp:
 *   ratio = exp(clamp(x, -20, 20)), clippedRatio = exp(clamp(x, log(1 - low), log(1 + high)))
 *   higher = max(-A * ratio, -A * clippedRatio)
 *   policy_t = A < 0 ? min(higher, -A * dual) : higher
 *   kl_t = clamp(k3(ref - logp), -klClamp, klClamp), k3(y) = exp(y) - y - 1 with y clamped to [-20, 20]
 * loss = aggregate(policy) + klCoefficient * aggregate(kl), both aggregated by the configured mode.
 */
import { InconsistentInputError } from "./errors.ts";
import type { GrpoConfig, LossAggregation } from "./grpo-config.ts";

/** EasyR1 clamps log-ratios to this magnitude before `exp` so that neither overflows. */
export const logRatioClampMaximum = 20;
/** EasyR1's `eps` in masked means: an all-padding sequence averages to 0 instead of NaN. */
export const maskedMeanEpsilon = 1e-8;

function clamp(value: number, minimum: number, maximum: number): number {
  return Math.min(maximum, Math.max(minimum, value));
}

export interface TokenSurrogate {
  /** The per-token policy loss (to minimise). */
  readonly loss: number;
  /** exp(clamped log-ratio). */
  readonly ratio: number;
  /** The PPO clip bound (not the unclipped term) set the loss: EasyR1's `pg_clipfrac_higher` event. */
  readonly clippedHigher: boolean;
  /** The dual clip set the loss (negative advantage only): EasyR1's `pg_clipfrac_lower` event. */
  readonly clippedLower: boolean;
}

/** The asymmetric, dual-clipped PPO surrogate of one token. */
export function clippedSurrogate(
  logProb: number,
  oldLogProb: number,
  advantage: number,
  clip: GrpoConfig["clip"],
): TokenSurrogate {
  const logRatio = logProb - oldLogProb;
  const ratio = Math.exp(clamp(logRatio, -logRatioClampMaximum, logRatioClampMaximum));
  const clippedRatio = Math.exp(clamp(logRatio, Math.log(1 - clip.low), Math.log(1 + clip.high)));
  const unclippedLoss = -advantage * ratio;
  const clippedLoss = -advantage * clippedRatio;
  const dualLoss = -advantage * clip.dual;
  const higher = Math.max(unclippedLoss, clippedLoss);
  return {
    loss: advantage < 0 ? Math.min(higher, dualLoss) : higher,
    ratio,
    clippedHigher: unclippedLoss < clippedLoss,
    clippedLower: advantage < 0 && higher > dualLoss,
  };
}

/**
 * The k3 estimator of KL(policy || reference) for one token, `exp(y) - y - 1` with y = ref - logp,
 * computed as `expm1(y) - y` so that it is never negative through rounding, then clamped.
 */
export function k3Kl(logProb: number, referenceLogProb: number, clampMaximum: number): number {
  const logRatio = clamp(referenceLogProb - logProb, -logRatioClampMaximum, logRatioClampMaximum);
  return clamp(Math.expm1(logRatio) - logRatio, -clampMaximum, clampMaximum);
}

/** One response of the mini-batch, padded or not; every array has one entry per token. */
export interface SequenceLogProbs {
  /** Log-probabilities of the sampled tokens under the policy being optimised. */
  readonly logProbs: readonly number[];
  /** The same under the policy that sampled them (fixed during the update). */
  readonly oldLogProbs: readonly number[];
  /** The same under the reference policy (the weights at the start of the phase). */
  readonly referenceLogProbs: readonly number[];
  /** 1 for a response token that counts, 0 for padding. */
  readonly mask: readonly number[];
  /** The sequence's group-relative advantage, broadcast to its tokens. */
  readonly advantage: number;
}

export interface GrpoLoss {
  /** policyLoss + kl.coefficient * klLoss: the scalar to minimise. */
  readonly loss: number;
  readonly policyLoss: number;
  /** The aggregated k3 KL to the reference policy (before the coefficient). */
  readonly klLoss: number;
  /** Token means over the mini-batch (EasyR1's metrics use token means whatever the loss mode). */
  readonly clipFractionHigher: number;
  readonly clipFractionLower: number;
  /** Token mean of oldLogp - logp (EasyR1's `ppo_kl`). */
  readonly approximateKlToOld: number;
  readonly tokenCount: number;
}

function validateSequence(sequence: SequenceLogProbs, index: number): void {
  const length = sequence.logProbs.length;
  const arrays = {
    oldLogProbs: sequence.oldLogProbs,
    referenceLogProbs: sequence.referenceLogProbs,
    mask: sequence.mask,
  };
  for (const [name, values] of Object.entries(arrays)) {
    if (values.length !== length) {
      throw new InconsistentInputError(
        `sequence ${index} ${name}`,
        `${length} tokens (as logProbs)`,
        `${values.length}`,
      );
    }
  }
  if (!sequence.mask.every((value) => value === 0 || value === 1)) {
    throw new InconsistentInputError(`sequence ${index} mask`, "only 0 and 1", JSON.stringify(sequence.mask));
  }
  const numbers = [
    ...sequence.logProbs,
    ...sequence.oldLogProbs,
    ...sequence.referenceLogProbs,
    sequence.advantage,
  ];
  if (!numbers.every(Number.isFinite)) {
    throw new InconsistentInputError(
      `sequence ${index}`,
      "finite log-probabilities and advantage",
      "a non-finite value",
    );
  }
}

/** Aggregates per-token values of every sequence by `mode` (the mask selects the tokens that count). */
export function aggregateTokens(
  values: readonly (readonly number[])[],
  masks: readonly (readonly number[])[],
  aggregation: GrpoConfig["aggregation"],
): number {
  const sums = values.map((row, index) =>
    row.reduce((sum, value, token) => sum + value * masks[index]![token]!, 0),
  );
  const counts = masks.map((mask) => mask.reduce((sum, value) => sum + value, 0));
  const mode: LossAggregation = aggregation.mode;
  switch (mode) {
    case "token-mean":
      return sums.reduce((a, b) => a + b, 0) / (counts.reduce((a, b) => a + b, 0) + maskedMeanEpsilon);
    case "sequence-mean-token-mean":
      return (
        sums.reduce((total, sum, index) => total + sum / (counts[index]! + maskedMeanEpsilon), 0) /
        sums.length
      );
    case "sequence-sum-constant-normaliser":
      return sums.reduce((a, b) => a + b, 0) / sums.length / aggregation.constantNormaliserTokens;
    default: {
      const unknownMode: never = mode;
      throw new Error(`unknown aggregation ${String(unknownMode)}`);
    }
  }
}

/** The GRPO loss of one mini-batch and its parts. Throws InconsistentInputError on ragged or bad input. */
export function grpoLoss(sequences: readonly SequenceLogProbs[], config: GrpoConfig): GrpoLoss {
  if (sequences.length === 0)
    throw new InconsistentInputError("GRPO mini-batch", "at least one sequence", "none");
  sequences.forEach(validateSequence);
  const surrogates = sequences.map((sequence) =>
    sequence.logProbs.map((logProb, token) =>
      clippedSurrogate(logProb, sequence.oldLogProbs[token]!, sequence.advantage, config.clip),
    ),
  );
  const kl = sequences.map((sequence) =>
    sequence.logProbs.map((logProb, token) =>
      k3Kl(logProb, sequence.referenceLogProbs[token]!, config.kl.clampMaximum),
    ),
  );
  const masks = sequences.map((sequence) => sequence.mask);
  const tokenMean = (values: readonly (readonly number[])[]) =>
    aggregateTokens(values, masks, { mode: "token-mean", constantNormaliserTokens: 1 });
  const policyLoss = aggregateTokens(
    surrogates.map((row) => row.map((token) => token.loss)),
    masks,
    config.aggregation,
  );
  const klLoss = aggregateTokens(kl, masks, config.aggregation);
  return {
    loss: policyLoss + config.kl.coefficient * klLoss,
    policyLoss,
    klLoss,
    clipFractionHigher: tokenMean(surrogates.map((row) => row.map((token) => (token.clippedHigher ? 1 : 0)))),
    clipFractionLower: tokenMean(surrogates.map((row) => row.map((token) => (token.clippedLower ? 1 : 0)))),
    approximateKlToOld: tokenMean(
      sequences.map((sequence) =>
        sequence.logProbs.map((logProb, token) => sequence.oldLogProbs[token]! - logProb),
      ),
    ),
    tokenCount: masks.reduce((total, mask) => total + mask.reduce((sum, value) => sum + value, 0), 0),
  };
}
