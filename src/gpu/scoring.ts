import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { forward } from "./forward.ts";
import { readFloat32 } from "./layers.ts";
import type { VisionLanguageModel } from "./model.ts";
import { type PackedBatch, packBatch, type ResponseInput } from "./pack.ts";
import { specialTokenIds } from "./tokenizer.ts";

/**
 * Token log-probs of given responses under a model: the quantity GRPO's ratio and KL compare. It is
 * the temperature-1 distribution of the raw logits (no top-p, no grammar mask), the same one the
 * sampler reports for each token it draws, so rollout-time and update-time log-probs agree.
 */

/** Rows scored per forward pass by default (memory grows with rows x slots^2 for attention). */
export const scoringBatchSizeDefault = 64;

export interface ScoringOptions {
  /** Rows per forward pass. Default: scoringBatchSizeDefault. */
  readonly batchSize?: number;
  /** Token id used for padding. Default: the tokenizer's pad id. */
  readonly padId?: number;
}

/** [batch, responseSlots] log-probs of the packed targets (padding slots hold garbage: mask them). */
export function responseLogProbs(model: VisionLanguageModel, batch: PackedBatch): tf.Tensor2D {
  assert(batch.responseSlots > 0, "scoring needs responses");
  const { logits } = forward(model, batch, batch.responseSlots);
  const targets = tf.oneHot(tf.tensor1d(batch.targets, "int32"), model.config.vocabularySize);
  const picked = tf.sum(tf.mul(tf.logSoftmax(logits), targets), 1);
  return tf.reshape(picked, [batch.batchSize, batch.responseSlots]);
}

/** Log-probs of every response token, one array per item, in item order. */
export async function scoreResponses(
  model: VisionLanguageModel,
  items: readonly ResponseInput[],
  options: ScoringOptions = {},
): Promise<number[][]> {
  const batchSize = options.batchSize ?? scoringBatchSizeDefault;
  const padId = options.padId ?? specialTokenIds.pad;
  assert(
    Number.isInteger(batchSize) && batchSize > 0,
    `scoring batch size ${batchSize} must be a positive integer`,
  );
  const scored: number[][] = [];
  for (let start = 0; start < items.length; start += batchSize) {
    const chunk = items.slice(start, start + batchSize);
    assert(
      chunk.every((item) => item.response.length > 0),
      "every scored response needs at least one token",
    );
    const batch = packBatch(model.config, chunk, padId);
    // Tensors, not typed arrays, leave the tidy: reading data inside it makes tfjs walk every element.
    const logProbs = tf.tidy(() => responseLogProbs(model, batch));
    const values = await readFloat32(logProbs);
    logProbs.dispose();
    chunk.forEach((item, row) => {
      const offset = row * batch.responseSlots;
      scored.push(Array.from(values.subarray(offset, offset + item.response.length)));
    });
  }
  return scored;
}
