import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { type KeyPart, keyedRandom } from "../rng/index.ts";
import { patchCount } from "./config.ts";
import { decodeStep, type ForwardOutput, forward } from "./forward.ts";
import { readFloat32 } from "./layers.ts";
import type { VisionLanguageModel } from "./model.ts";
import { ContextOverflowError, maskedScore, type PackedBatch, type PromptInput, packBatch } from "./pack.ts";
import { chooseToken } from "./token-choice.ts";
import { specialTokenIds } from "./tokenizer.ts";

/**
 * Batched autoregressive generation. Each step pulls the last slot's logits to the CPU and picks
 * tokens there with the keyed generator: row r's draw for its n-th new token is
 * `keyedRandom(seed, ...sampleKey_r).uniformAt(n)`, so a sample depends on its key and the logits,
 * never on the backend's random ops or on which other rows share the batch.
 */

/** Allowed next tokens for a row given its response so far (truthy = allowed), or null for all. */
export type TokenConstraint = (
  responsePrefix: readonly number[],
  row: number,
) => ArrayLike<boolean | number> | null;

export interface GenerationRequest extends PromptInput {
  /** Logical key of this sample (with the seed, it fixes every draw). */
  readonly sampleKey: readonly KeyPart[];
}

export interface SamplingOptions {
  /** Run seed (first key part of every draw). */
  readonly seed: KeyPart;
  readonly maxNewTokens: number;
  /** Softmax temperature, > 0 (ignored when greedy). */
  readonly temperature: number;
  /** Nucleus mass in (0, 1]. Default 1 (off). */
  readonly topP?: number;
  /** Argmax instead of drawing. Default false. */
  readonly greedy?: boolean;
  readonly constraint?: TokenConstraint;
  /** Default: the tokenizer's ids. */
  readonly eosId?: number;
  readonly padId?: number;
  /** Reuse keys and values between steps. Default true; false recomputes the prefix (benchmarks, checks). */
  readonly useCache?: boolean;
}

export interface Generation {
  /** New tokens, ending with eos when the row stopped. */
  readonly tokens: number[];
  /** log p(token) under the temperature-1, unconstrained policy: what scoreResponses returns. */
  readonly logProbs: number[];
  /** Whether the row emitted eos (false: it hit maxNewTokens). */
  readonly stopped: boolean;
}

/** The device side of decoding: produces next-token logits [batch, vocabulary] for the rows' tokens so far. */
interface Decoder {
  next(generated: readonly (readonly number[])[]): Promise<Float32Array>;
  dispose(): void;
}

function cachedDecoder(model: VisionLanguageModel, packed: PackedBatch): Decoder {
  let state: ForwardOutput = tf.tidy(() => forward(model, packed, 1));
  let fed = 0; // new tokens already in the cache
  return {
    async next(generated) {
      if (generated[0]!.length > fed) {
        const tokens = Int32Array.from(generated, (row) => row[fed]!);
        const slot = packed.inputSlots + fed;
        const positions = Int32Array.from(packed.leftPadding, (padding) => slot - padding);
        const keyMask = new Float32Array(packed.batchSize * (slot + 1));
        for (const [row, padding] of packed.leftPadding.entries()) {
          keyMask.fill(maskedScore, row * (slot + 1), row * (slot + 1) + padding);
        }
        const previous = state;
        state = tf.tidy(() => decodeStep(model, tokens, positions, keyMask, previous.caches));
        tf.dispose(previous);
        fed += 1;
      }
      return readFloat32(state.logits);
    },
    dispose: () => tf.dispose(state),
  };
}

function recomputingDecoder(
  model: VisionLanguageModel,
  requests: readonly GenerationRequest[],
  padId: number,
): Decoder {
  return {
    async next(generated) {
      // A placeholder last token: packing feeds every response token but the last as input.
      const rows = requests.map((request, row) => ({ ...request, response: [...generated[row]!, padId] }));
      const logits = tf.tidy(() => forward(model, packBatch(model.config, rows, padId), 1).logits);
      const values = await readFloat32(logits);
      logits.dispose();
      return values;
    },
    dispose() {},
  };
}

/** Samples up to maxNewTokens per request, all rows in one batch; results in request order. */
export async function generate(
  model: VisionLanguageModel,
  requests: readonly GenerationRequest[],
  options: SamplingOptions,
): Promise<Generation[]> {
  const padId = options.padId ?? specialTokenIds.pad;
  const eosId = options.eosId ?? specialTokenIds.eos;
  const settings = {
    greedy: options.greedy ?? false,
    temperature: options.temperature,
    topP: options.topP ?? 1,
  };
  assert(
    Number.isInteger(options.maxNewTokens) && options.maxNewTokens > 0,
    "maxNewTokens must be a positive integer",
  );
  if (requests.length === 0) return [];
  requests.forEach((request, row) => {
    const slots =
      request.prompt.length +
      (request.image === undefined ? 0 : patchCount(model.config)) +
      options.maxNewTokens;
    if (slots > model.config.contextLength)
      throw new ContextOverflowError(row, slots, model.config.contextLength);
  });
  const randoms = requests.map((request) => keyedRandom(options.seed, ...request.sampleKey));
  const generated: number[][] = requests.map(() => []);
  const logProbs: number[][] = requests.map(() => []);
  const stopped = requests.map(() => false);
  const vocabularySize = model.config.vocabularySize;
  const decoder =
    options.useCache === false
      ? recomputingDecoder(model, requests, padId)
      : cachedDecoder(model, packBatch(model.config, requests, padId));
  try {
    for (let step = 0; step < options.maxNewTokens && stopped.includes(false); step++) {
      const logits = await decoder.next(generated);
      requests.forEach((_, row) => {
        if (stopped[row]) {
          generated[row]!.push(padId); // keeps rows aligned; never reported
          return;
        }
        const rowLogits = logits.subarray(row * vocabularySize, (row + 1) * vocabularySize);
        const allowed = options.constraint?.(generated[row]!, row) ?? null;
        const choice = chooseToken(rowLogits, allowed, settings, randoms[row]!.uniformAt(step), {
          row,
          step,
        });
        generated[row]!.push(choice.token);
        logProbs[row]!.push(choice.logProb);
        stopped[row] = choice.token === eosId;
      });
    }
  } finally {
    decoder.dispose();
  }
  return requests.map((_, row) => ({
    tokens: generated[row]!.slice(0, logProbs[row]!.length),
    logProbs: logProbs[row]!,
    stopped: stopped[row]!,
  }));
}
