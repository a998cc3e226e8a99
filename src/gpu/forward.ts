import * as tf from "@tensorflow/tfjs";
import { patchValues } from "./config.ts";
import { embeddingSum, layerNorm, matMul2d } from "./layers.ts";
import { blockParameter, type VisionLanguageModel } from "./model.ts";
import { maskedScore, type PackedBatch } from "./pack.ts";

/**
 * The transformer's computation: pre-LN blocks (attention, then a ReLU MLP) over the packed layout
 * of pack.ts. Every dense product is a 2-D `matMul2d` over [rows, width]; only attention's score and
 * mix products are batched. The last block computes queries and the MLP only for the slots whose
 * logits are wanted. Callers own tidying: these functions allocate freely.
 */

/** One block's keys and values for cached decoding: [batch, heads, slots, headWidth] each. */
export type LayerCache = {
  readonly keys: tf.Tensor4D;
  readonly values: tf.Tensor4D;
};

/** A type alias, not an interface, so tf.tidy accepts it as a tensor container. */
export type ForwardOutput = {
  /** [batch * outputSlots, vocabulary] logits of the trailing slots, row-major by (row, slot). */
  readonly logits: tf.Tensor2D;
  /** Keys and values of every block over all input slots (for cached decoding). */
  readonly caches: LayerCache[];
};

/** Splits [batch * slots, width] into heads: [batch, heads, slots, headWidth]. */
function splitHeads(model: VisionLanguageModel, x: tf.Tensor2D, batchSize: number): tf.Tensor4D {
  const { heads, width } = model.config;
  const slots = x.shape[0] / batchSize;
  return tf.transpose(tf.reshape(x, [batchSize, slots, heads, width / heads]), [0, 2, 1, 3]);
}

/** Merges heads back: [batch, heads, slots, headWidth] to [batch * slots, width]. */
function mergeHeads(model: VisionLanguageModel, x: tf.Tensor4D): tf.Tensor2D {
  const [batchSize, , slots] = x.shape;
  return tf.reshape(tf.transpose(x, [0, 2, 1, 3]), [batchSize * slots, model.config.width]);
}

/** The last `slots` slots of each row of [batch * totalSlots, width]. */
function trailingSlots(x: tf.Tensor2D, batchSize: number, slots: number): tf.Tensor2D {
  const totalSlots = x.shape[0] / batchSize;
  if (slots === totalSlots) return x;
  const width = x.shape[1];
  const rows = tf.reshape(x, [batchSize, totalSlots, width]);
  return tf.reshape(tf.slice(rows, [0, totalSlots - slots, 0], [batchSize, slots, width]), [
    batchSize * slots,
    width,
  ]);
}

/**
 * Additive mask [batch, 1, querySlots, keySlots] for the trailing query slots: causal, plus each
 * row's key mask (its left padding), given as [batch, keySlots].
 */
function attentionMask(keyMask: tf.Tensor2D, querySlots: number): tf.Tensor4D {
  const [batchSize, keySlots] = keyMask.shape;
  const causal = new Float32Array(querySlots * keySlots);
  const firstQuery = keySlots - querySlots;
  for (let query = 0; query < querySlots; query++) {
    causal.fill(maskedScore, query * keySlots + firstQuery + query + 1, (query + 1) * keySlots);
  }
  const causalTensor = tf.tensor4d(causal, [1, 1, querySlots, keySlots]);
  return tf.add(causalTensor, tf.reshape(keyMask, [batchSize, 1, 1, keySlots]));
}

/**
 * One pre-LN block over the new slots `x` ([batch * newSlots, width]), attending to `past` keys and
 * values plus the new ones; outputs only the trailing `querySlots` slots.
 */
function block(
  model: VisionLanguageModel,
  layer: number,
  x: tf.Tensor2D,
  mask: tf.Tensor4D,
  past: LayerCache | null,
): { output: tf.Tensor2D; cache: LayerCache } {
  const matrix = (part: string) => model.matrix(blockParameter(layer, part));
  const vector = (part: string) => model.vector(blockParameter(layer, part));
  const batchSize = mask.shape[0];
  const querySlots = mask.shape[2];
  const headWidth = model.config.width / model.config.heads;
  const normed = layerNorm(x, vector("attention_norm.gain"), vector("attention_norm.bias"));
  const keys = splitHeads(model, matMul2d(normed, matrix("attention.key")), batchSize);
  const values = splitHeads(model, matMul2d(normed, matrix("attention.value")), batchSize);
  const cache: LayerCache =
    past === null
      ? { keys, values }
      : { keys: tf.concat([past.keys, keys], 2), values: tf.concat([past.values, values], 2) };
  const queryInput = trailingSlots(normed, batchSize, querySlots);
  // The 1/sqrt(headWidth) score scale is applied to the queries: fewer values than the scores.
  const queries = splitHeads(
    model,
    tf.mul(matMul2d(queryInput, matrix("attention.query")), 1 / Math.sqrt(headWidth)),
    batchSize,
  );
  const scores = tf.add(tf.matMul(queries, cache.keys, false, true), mask);
  const mixed = mergeHeads(model, tf.matMul(tf.softmax(scores), cache.values));
  const residual = tf.add<tf.Tensor2D>(
    trailingSlots(x, batchSize, querySlots),
    matMul2d(mixed, matrix("attention.output")),
  );
  const mlpInput = layerNorm(residual, vector("mlp_norm.gain"), vector("mlp_norm.bias"));
  const hidden = tf.relu(matMul2d(mlpInput, matrix("mlp.up")));
  return { output: tf.add<tf.Tensor2D>(residual, matMul2d(hidden, matrix("mlp.down"))), cache };
}

/** Final norm and output head. */
function head(model: VisionLanguageModel, x: tf.Tensor2D): tf.Tensor2D {
  const normed = layerNorm(x, model.vector("final_norm.gain"), model.vector("final_norm.bias"));
  return matMul2d(normed, model.matrix("output"));
}

/** Token, patch and position embeddings of a packed batch: [batch * inputSlots, width]. */
function embedInputs(model: VisionLanguageModel, batch: PackedBatch): tf.Tensor2D {
  const { batchSize, promptSlots, imageSlots, inputSlots } = batch;
  const { width } = model.config;
  const text = embeddingSum([
    { table: model.matrix("token_embedding"), ids: batch.tokenIds },
    { table: model.matrix("position_embedding"), ids: batch.positionIds },
  ]);
  if (batch.patches === null) return text;
  const patches = tf.tensor2d(batch.patches, [batchSize * imageSlots, patchValues(model.config)]);
  const projected = tf.reshape(
    tf.add(matMul2d(patches, model.matrix("patch_projection.weight")), model.vector("patch_projection.bias")),
    [batchSize, imageSlots, width],
  );
  // The patch's own place in the image, the same whatever the prompt's length (ModelConfig.patchPositions).
  const embedded =
    model.config.patchPositions === true
      ? tf.add(projected, model.matrix("patch_position_embedding"))
      : projected;
  // Zero rows around the image slots: one pad op instead of slicing the text embeddings apart.
  const placed = tf.pad(embedded, [
    [0, 0],
    [promptSlots, inputSlots - promptSlots - imageSlots],
    [0, 0],
  ]);
  return tf.add<tf.Tensor2D>(text, tf.reshape(placed, [batchSize * inputSlots, width]));
}

/** The whole packed batch in one pass; logits for the trailing `outputSlots` slots of every row. */
export function forward(model: VisionLanguageModel, batch: PackedBatch, outputSlots: number): ForwardOutput {
  const keyMask = tf.tensor2d(batch.keyMask, [batch.batchSize, batch.inputSlots]);
  const fullMask = attentionMask(keyMask, batch.inputSlots);
  const lastMask = outputSlots === batch.inputSlots ? fullMask : attentionMask(keyMask, outputSlots);
  let x = embedInputs(model, batch);
  const caches: LayerCache[] = [];
  for (let layer = 0; layer < model.config.depth; layer++) {
    const isLast = layer === model.config.depth - 1;
    const { output, cache } = block(model, layer, x, isLast ? lastMask : fullMask, null);
    caches.push(cache);
    x = output;
  }
  return { logits: head(model, x), caches };
}

/**
 * One cached decoding step: the new token of every row at its position, attending to the cache.
 * `keyMask` is [batch, cachedSlots + 1] (left padding stays masked).
 */
export function decodeStep(
  model: VisionLanguageModel,
  tokens: Int32Array,
  positions: Int32Array,
  keyMask: Float32Array,
  past: readonly LayerCache[],
): ForwardOutput {
  const batchSize = tokens.length;
  const mask = attentionMask(tf.tensor2d(keyMask, [batchSize, keyMask.length / batchSize]), 1);
  let x = embeddingSum([
    { table: model.matrix("token_embedding"), ids: tokens },
    { table: model.matrix("position_embedding"), ids: positions },
  ]);
  const caches: LayerCache[] = [];
  past.forEach((layerCache, layer) => {
    const { output, cache } = block(model, layer, x, mask, layerCache);
    caches.push(cache);
    x = output;
  });
  return { logits: head(model, x), caches };
}
