import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import type { GrpoConfig } from "../rewards/index.ts";
import { type BatchTotals, type GrpoLossTensors, grpoLossTensors } from "./grpo-loss.ts";
import type { VisionLanguageModel } from "./model.ts";
import { type AdamW, clipByGlobalNorm, type Gradients, readGradients } from "./optimizer.ts";
import { type PackedBatch, packBatch, type ResponseInput } from "./pack.ts";
import { responseLogProbs } from "./scoring.ts";
import { specialTokenIds } from "./tokenizer.ts";

/**
 * Optimisation steps: supervised cross-entropy on response tokens (pretraining) and the GRPO update
 * (one epoch over the rollout batch in mini-batches, one AdamW step each). Both clip the global
 * gradient norm and skip a step whose norm is not finite, as veRL does.
 */

export interface StepStats {
  readonly loss: number;
  /** Global gradient norm before clipping. */
  readonly gradNorm: number;
  readonly tokenCount: number;
  /** True when the gradient norm was not finite and the weights were left unchanged. */
  readonly skipped: boolean;
}

export interface SupervisedOptions {
  readonly gradientClipNorm: number;
  readonly padId?: number;
}

/** A rollout with what the update needs: its rollout-time token log-probs and its group advantage. */
export interface GrpoSample extends ResponseInput {
  readonly oldLogProbs: readonly number[];
  readonly advantage: number;
}

export interface GrpoUpdateOptions {
  readonly config: GrpoConfig;
  /** Optimiser steps per update: the samples are split, in order, into this many mini-batches. */
  readonly miniBatches: number;
  readonly gradientClipNorm: number;
  readonly padId?: number;
  /**
   * Data-parallel updates: each mini-batch's first half of the sequences goes to the helper, the
   * rest is computed here, and the summed gradients are applied here. The same inputs give the same
   * bits every time; against no helper they differ by float summation order only.
   */
  readonly helper?: GradientHelper;
}

export interface GrpoMiniBatchStats extends StepStats {
  readonly policyLoss: number;
  readonly klLoss: number;
  readonly clipFractionHigher: number;
  readonly clipFractionLower: number;
  readonly approximateKlToOld: number;
}

/** Means over the mini-batches (token counts summed), and each mini-batch's own figures. */
export interface GrpoUpdateStats extends GrpoMiniBatchStats {
  readonly miniBatches: readonly GrpoMiniBatchStats[];
}

/**
 * Gradients of `lossFunction` for every parameter it reaches, keyed by parameter name in sorted
 * order (a plain object, so tf.tidy keeps them when returned).
 */
function gradientsOf(model: VisionLanguageModel, lossFunction: () => tf.Scalar) {
  const { value, grads } = tf.variableGrads(lossFunction, [...model.parameters.values()]);
  const gradients: tf.NamedTensorMap = {};
  for (const [name, variable] of model.parameters) {
    const gradient = grads[variable.name];
    if (gradient !== undefined) gradients[name] = gradient;
  }
  return { loss: value, gradients };
}

/** Clips the gradients and applies them when their norm is finite. */
async function applyGradients(
  optimizer: AdamW,
  values: Gradients,
  clipNorm: number,
): Promise<{ gradNorm: number; skipped: boolean }> {
  const { norm, scale } = clipByGlobalNorm(values, clipNorm);
  const skipped = !Number.isFinite(norm);
  if (!skipped) await optimizer.apply(values, scale);
  return { gradNorm: norm, skipped };
}

/** One supervised step: mean cross-entropy over every response token of the batch. */
export async function supervisedStep(
  model: VisionLanguageModel,
  optimizer: AdamW,
  examples: readonly ResponseInput[],
  options: SupervisedOptions,
): Promise<StepStats> {
  const batch = packBatch(model.config, examples, options.padId ?? specialTokenIds.pad);
  const { loss, gradients } = tf.tidy(() => {
    const mask = tf.tensor2d(batch.targetMask, [batch.batchSize, batch.responseSlots]);
    return gradientsOf(model, () =>
      tf.neg(tf.div(tf.sum(tf.mul(responseLogProbs(model, batch), mask)), tf.sum(mask))),
    );
  });
  const lossValue = (await loss.data())[0]!;
  loss.dispose();
  const applied = await applyGradients(optimizer, await readGradients(gradients), options.gradientClipNorm);
  const tokenCount = batch.targetMask.reduce((sum, value) => sum + value, 0);
  return { loss: lossValue, tokenCount, ...applied };
}

/** Contiguous chunk sizes as equal as possible, larger first. */
export function miniBatchSizes(samples: number, miniBatches: number): number[] {
  assert(
    Number.isInteger(miniBatches) && miniBatches > 0,
    `mini-batches ${miniBatches} must be a positive integer`,
  );
  const count = Math.min(samples, miniBatches);
  return Array.from(
    { length: count },
    (_, index) => Math.floor(samples / count) + (index < samples % count ? 1 : 0),
  );
}

/** [sequences, responseSlots] rollout log-probs, zero on padding. */
function oldLogProbTensor(samples: readonly GrpoSample[], batch: PackedBatch): tf.Tensor2D {
  const values = new Float32Array(batch.batchSize * batch.responseSlots);
  samples.forEach((sample, row) => {
    assert.equal(
      sample.oldLogProbs.length,
      sample.response.length,
      `sample ${row}: one old log-prob per response token`,
    );
    values.set(sample.oldLogProbs, row * batch.responseSlots);
  });
  return tf.tensor2d(values, [batch.batchSize, batch.responseSlots]);
}

const lossPartOrder = [
  "loss",
  "policyLoss",
  "klLoss",
  "clipFractionHigher",
  "clipFractionLower",
  "approximateKlToOld",
] as const satisfies readonly (keyof GrpoLossTensors)[];

/** How one shard's loss is computed: the GRPO settings, and the whole mini-batch's totals if it is a shard. */
export interface ShardOptions {
  readonly config: GrpoConfig;
  readonly padId: number;
  /** Absent: the rows are the whole mini-batch (normalised by their own totals). */
  readonly whole?: BatchTotals;
}

/** The gradients (by parameter name) and loss parts of some rows, read to the CPU. */
export interface ShardGradients {
  readonly gradients: Map<string, Float32Array>;
  /** The loss parts in `lossPartOrder`; a shard's are additive shares of the mini-batch's. */
  readonly parts: readonly number[];
}

/**
 * Computes one shard's gradients somewhere else (a worker thread holding a replica of the policy),
 * from the models' current weights.
 */
export interface GradientHelper {
  shardGradients(
    policy: VisionLanguageModel,
    reference: VisionLanguageModel | null,
    samples: readonly GrpoSample[],
    options: ShardOptions,
  ): Promise<ShardGradients>;
}

/** The GRPO loss of `samples` and its gradients with respect to every policy parameter it reaches. */
export async function grpoShardGradients(
  policy: VisionLanguageModel,
  reference: VisionLanguageModel | null,
  samples: readonly GrpoSample[],
  options: ShardOptions,
): Promise<ShardGradients> {
  const { config } = options;
  assert(
    reference !== null || config.kl.coefficient === 0,
    "a KL coefficient above 0 needs the reference policy",
  );
  const batch = packBatch(policy.config, samples, options.padId);
  const { parts, gradients } = tf.tidy(() => {
    const fixed = {
      oldLogProbs: oldLogProbTensor(samples, batch),
      referenceLogProbs: reference === null ? null : responseLogProbs(reference, batch),
      mask: tf.tensor2d(batch.targetMask, [batch.batchSize, batch.responseSlots]),
      advantages: tf.tensor1d(samples.map((sample) => sample.advantage)),
      ...(options.whole === undefined ? {} : { whole: options.whole }),
    };
    let parts: tf.Tensor | undefined;
    const { gradients } = gradientsOf(policy, () => {
      const losses = grpoLossTensors({ ...fixed, logProbs: responseLogProbs(policy, batch) }, config);
      // One tensor for all six scalars (one read); kept, or the gradient scope would free it.
      parts = tf.keep(tf.stack(lossPartOrder.map((part) => losses[part])));
      return losses.loss;
    });
    assert(parts !== undefined);
    return { parts, gradients };
  });
  const partValues = Array.from(await parts.data());
  parts.dispose();
  return { gradients: await readGradients(gradients), parts: partValues };
}

/**
 * Shard gradients summed in the shards' order (float32 sums of float32 values, so the same inputs
 * always give the same bits); a parameter one shard does not reach counts as zero there.
 */
export function sumShardGradients(shards: readonly ShardGradients[]): ShardGradients {
  const names = [...new Set(shards.flatMap((shard) => [...shard.gradients.keys()]))].sort();
  const gradients = new Map<string, Float32Array>();
  for (const name of names) {
    let sum: Float32Array | undefined;
    for (const shard of shards) {
      const gradient = shard.gradients.get(name);
      if (gradient === undefined) continue;
      if (sum === undefined) sum = Float32Array.from(gradient);
      else {
        assert.equal(gradient.length, sum.length, `shards disagree on the size of ${name}'s gradient`);
        for (let index = 0; index < sum.length; index++) sum[index] = sum[index]! + gradient[index]!;
      }
    }
    gradients.set(name, sum!);
  }
  const parts = lossPartOrder.map((_, index) => shards.reduce((sum, shard) => sum + shard.parts[index]!, 0));
  return { gradients, parts };
}

/** The response tokens the loss is taken over (a mini-batch's or a shard's). */
function responseTokenCount(samples: readonly GrpoSample[]): number {
  return samples.reduce((sum, sample) => sum + sample.response.length, 0);
}

/** The mini-batch's shard gradients: all here, or the first shard on the helper while this thread computes the second. */
async function miniBatchGradients(
  policy: VisionLanguageModel,
  reference: VisionLanguageModel | null,
  samples: readonly GrpoSample[],
  shard: ShardOptions,
  helper: GradientHelper | undefined,
): Promise<ShardGradients> {
  if (helper === undefined || samples.length < 2) {
    return grpoShardGradients(policy, reference, samples, shard);
  }
  const [first] = miniBatchSizes(samples.length, 2);
  const whole: BatchTotals = {
    tokens: responseTokenCount(samples),
    sequences: samples.length,
  };
  // Started first, so the worker computes while this thread does; awaited after, so neither blocks the other.
  const away = helper.shardGradients(policy, reference, samples.slice(0, first), { ...shard, whole });
  // Why allSettled: a failure here must not leave the helper's rejection unobserved, and vice versa.
  const [there, here] = await Promise.allSettled([
    away,
    grpoShardGradients(policy, reference, samples.slice(first), { ...shard, whole }),
  ]);
  if (there.status === "rejected") throw there.reason;
  if (here.status === "rejected") throw here.reason;
  return sumShardGradients([there.value, here.value]);
}

async function grpoMiniBatch(
  policy: VisionLanguageModel,
  reference: VisionLanguageModel | null,
  optimizer: AdamW,
  samples: readonly GrpoSample[],
  options: GrpoUpdateOptions,
): Promise<GrpoMiniBatchStats> {
  const shard = { config: options.config, padId: options.padId ?? specialTokenIds.pad };
  const { gradients, parts } = await miniBatchGradients(policy, reference, samples, shard, options.helper);
  const [loss, policyLoss, klLoss, clipFractionHigher, clipFractionLower, approximateKlToOld] = parts;
  const applied = await applyGradients(optimizer, gradients, options.gradientClipNorm);
  const tokenCount = responseTokenCount(samples);
  return {
    loss: loss!,
    policyLoss: policyLoss!,
    klLoss: klLoss!,
    clipFractionHigher: clipFractionHigher!,
    clipFractionLower: clipFractionLower!,
    approximateKlToOld: approximateKlToOld!,
    tokenCount,
    ...applied,
  };
}

/**
 * One GRPO update: the samples (already in logical-key order) split into mini-batches, one optimiser
 * step per mini-batch. `reference` is the frozen copy taken at the start of the phase.
 */
export async function grpoUpdate(
  policy: VisionLanguageModel,
  reference: VisionLanguageModel | null,
  optimizer: AdamW,
  samples: readonly GrpoSample[],
  options: GrpoUpdateOptions,
): Promise<GrpoUpdateStats> {
  assert(samples.length > 0, "a GRPO update needs samples");
  const stats: GrpoMiniBatchStats[] = [];
  let start = 0;
  for (const size of miniBatchSizes(samples.length, options.miniBatches)) {
    stats.push(
      await grpoMiniBatch(policy, reference, optimizer, samples.slice(start, start + size), options),
    );
    start += size;
  }
  const mean = (pick: (entry: GrpoMiniBatchStats) => number) =>
    stats.reduce((sum, entry) => sum + pick(entry), 0) / stats.length;
  return {
    loss: mean((entry) => entry.loss),
    policyLoss: mean((entry) => entry.policyLoss),
    klLoss: mean((entry) => entry.klLoss),
    clipFractionHigher: mean((entry) => entry.clipFractionHigher),
    clipFractionLower: mean((entry) => entry.clipFractionLower),
    approximateKlToOld: mean((entry) => entry.approximateKlToOld),
    gradNorm: mean((entry) => entry.gradNorm),
    tokenCount: stats.reduce((sum, entry) => sum + entry.tokenCount, 0),
    skipped: stats.some((entry) => entry.skipped),
    miniBatches: stats,
  };
}
