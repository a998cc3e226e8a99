import assert from "node:assert/strict";
import { type ModelConfig, patchCount, patchValues } from "./config.ts";
import { noRow } from "./layers.ts";

/**
 * Packs a batch of sequences into flat arrays for the forward pass. Layout per row:
 *
 *   [left padding][prompt][image patches][response inputs][right padding]
 *
 * Prompts are left-padded to a common length so the image and the response start at the same slot in
 * every row: patches are then one concat along the time axis (no per-row slicing), and batched
 * generation appends one slot per step for every row. Position ids count real slots only, so a row's
 * result does not depend on its padding (up to float summation order).
 */

/** A prompt (question first) and the optional image that follows it. */
export interface PromptInput {
  /** Prompt token ids; at least one (start with BOS). */
  readonly prompt: readonly number[];
  /** Raw RGBA pixels, imageSize x imageSize x 4 (resvg's output); alpha is dropped. */
  readonly image?: Uint8Array | undefined;
}

/** A prompt with a response to score or train on. */
export interface ResponseInput extends PromptInput {
  readonly response: readonly number[];
}

/** Additive attention mask value for hidden slots: exp underflows to exactly 0, never NaN. */
export const maskedScore = -1e9;

/** A sequence longer than the model's context. */
export class ContextOverflowError extends Error {
  override readonly name = "ContextOverflowError";
  constructor(
    readonly index: number,
    readonly slots: number,
    readonly contextLength: number,
  ) {
    super(
      `sequence ${index} needs ${slots} slots (prompt + image + response) but the context holds ` +
        `${contextLength}; shorten the prompt, lower the token limit, or use a larger preset`,
    );
  }
}

/** An image whose byte length is not the model's imageSize^2 RGBA. */
export class ImageShapeError extends Error {
  override readonly name = "ImageShapeError";
  constructor(
    readonly index: number,
    readonly bytes: number,
    readonly imageSize: number,
  ) {
    super(
      `image of sequence ${index} has ${bytes} bytes; the model expects ${imageSize}x${imageSize} RGBA ` +
        `(${imageSize * imageSize * 4} bytes): render at the model's image size`,
    );
  }
}

export interface PackedBatch {
  readonly batchSize: number;
  readonly promptSlots: number;
  /** Patch slots per row (0 for a text-only batch). */
  readonly imageSlots: number;
  /** Response targets per row (the longest response); 0 when packing prompts for generation. */
  readonly responseSlots: number;
  /** Input slots per row: prompt + image + response minus its last token. */
  readonly inputSlots: number;
  /**
   * [batch, inputSlots] input token ids: left padding and prompt, `noRow` at image slots, then the
   * response without its last token, pad-filled on the right.
   */
  readonly tokenIds: Int32Array;
  /** [batch, inputSlots] position ids: index among the row's real slots. */
  readonly positionIds: Int32Array;
  /** [batch, inputSlots] 0 for real slots, maskedScore for left padding. */
  readonly keyMask: Float32Array;
  /** [batch * imageSlots, patchValues] patches in [0, 1], or null when text-only. */
  readonly patches: Float32Array | null;
  /** [batch, responseSlots] target ids (pad past each response's end). */
  readonly targets: Int32Array;
  /** [batch, responseSlots] 1 for real targets, 0 for padding. */
  readonly targetMask: Float32Array;
  /** Left padding of each row. */
  readonly leftPadding: readonly number[];
}

/** Splits one RGBA image into row-major patches of row-major RGB pixels scaled to [0, 1]. */
export function imageToPatches(config: ModelConfig, rgba: Uint8Array, index = 0): Float32Array {
  const { imageSize, patchSize } = config;
  if (rgba.length !== imageSize * imageSize * 4) throw new ImageShapeError(index, rgba.length, imageSize);
  const grid = imageSize / patchSize;
  const perPatch = patchValues(config);
  const patches = new Float32Array(grid * grid * perPatch);
  for (let pixelRow = 0; pixelRow < imageSize; pixelRow++) {
    for (let pixelColumn = 0; pixelColumn < imageSize; pixelColumn++) {
      const patch = Math.floor(pixelRow / patchSize) * grid + Math.floor(pixelColumn / patchSize);
      const within = (pixelRow % patchSize) * patchSize + (pixelColumn % patchSize);
      const source = (pixelRow * imageSize + pixelColumn) * 4;
      const target = patch * perPatch + within * 3;
      for (let channel = 0; channel < 3; channel++) patches[target + channel] = rgba[source + channel]! / 255;
    }
  }
  return patches;
}

type PackRow = PromptInput & { readonly response?: readonly number[] };

function checkRows(config: ModelConfig, rows: readonly PackRow[], imageSlots: number): void {
  rows.forEach((row, index) => {
    assert(row.prompt.length > 0, `row ${index}: the prompt needs at least one token (BOS)`);
    assert(
      (row.image !== undefined) === imageSlots > 0,
      "a batch is all image+text or all text: split mixed batches",
    );
    const slots = row.prompt.length + imageSlots + (row.response?.length ?? 0);
    if (slots > config.contextLength) throw new ContextOverflowError(index, slots, config.contextLength);
    for (const id of [...row.prompt, ...(row.response ?? [])]) {
      assert(
        Number.isInteger(id) && id >= 0 && id < config.vocabularySize,
        `row ${index}: token id ${id} out of range`,
      );
    }
  });
}

/** Packs prompts (and responses, when given) into one batch; see the module comment for the layout. */
export function packBatch(config: ModelConfig, rows: readonly PackRow[], padId: number): PackedBatch {
  const batchSize = rows.length;
  assert(batchSize > 0, "a batch needs at least one row");
  const imageSlots = rows[0]!.image === undefined ? 0 : patchCount(config);
  checkRows(config, rows, imageSlots);
  const promptSlots = Math.max(...rows.map((row) => row.prompt.length));
  const responseSlots = Math.max(...rows.map((row) => row.response?.length ?? 0));
  const inputSlots = promptSlots + imageSlots + Math.max(responseSlots - 1, 0);
  const tokenIds = new Int32Array(batchSize * inputSlots).fill(padId);
  const positionIds = new Int32Array(batchSize * inputSlots);
  const keyMask = new Float32Array(batchSize * inputSlots);
  const targets = new Int32Array(batchSize * responseSlots).fill(padId);
  const targetMask = new Float32Array(batchSize * responseSlots);
  const perImage = imageSlots * patchValues(config);
  const patches = imageSlots > 0 ? new Float32Array(batchSize * perImage) : null;
  const leftPadding = rows.map((row) => promptSlots - row.prompt.length);
  rows.forEach((row, index) => {
    const padding = leftPadding[index]!;
    const rowStart = index * inputSlots;
    const response = row.response ?? [];
    tokenIds.set(row.prompt, rowStart + padding);
    tokenIds.fill(noRow, rowStart + promptSlots, rowStart + promptSlots + imageSlots);
    tokenIds.set(
      response.slice(0, inputSlots - promptSlots - imageSlots),
      rowStart + promptSlots + imageSlots,
    );
    for (let slot = 0; slot < inputSlots; slot++) positionIds[rowStart + slot] = Math.max(slot - padding, 0);
    keyMask.fill(maskedScore, rowStart, rowStart + padding);
    targets.set(response, index * responseSlots);
    targetMask.fill(1, index * responseSlots, index * responseSlots + response.length);
    if (patches !== null) patches.set(imageToPatches(config, row.image!, index), index * perImage);
  });
  return {
    batchSize,
    promptSlots,
    imageSlots,
    responseSlots,
    inputSlots,
    tokenIds,
    positionIds,
    keyMask,
    patches,
    targets,
    targetMask,
    leftPadding,
  };
}
