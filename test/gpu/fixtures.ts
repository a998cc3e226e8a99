import assert from "node:assert/strict";
import { modelPreset, Tokenizer, VisionLanguageModel } from "../../src/gpu/index.ts";
import { keyedRandom } from "../../src/rng/index.ts";

/** A small closed vocabulary for model tests (the world's own lives in src/world). */
export const toyTokenizer = new Tokenizer([
  "red",
  "blue",
  "green",
  "one",
  "two",
  "three",
  " ",
  "?",
  "circle",
  "square",
]);

/** A `test`-preset model over the toy vocabulary. */
export function testModel(seed: string): VisionLanguageModel {
  return VisionLanguageModel.create(modelPreset("test", toyTokenizer.size), seed);
}

/** BOS + the encoded text. */
export function promptOf(text: string): number[] {
  return [toyTokenizer.bosId, ...toyTokenizer.encode(text)];
}

/** A deterministic pseudo-random RGBA image of the given side (alpha opaque). */
export function imageOf(seed: string, side = 32): Uint8Array {
  const random = keyedRandom(seed, "image");
  return Uint8Array.from({ length: side * side * 4 }, (_, index) =>
    index % 4 === 3 ? 255 : Math.floor(random.uniformAt(index) * 256),
  );
}

/** Asserts two sequences have the same length and agree entry by entry within `tolerance`. */
export function assertAllClose(
  actual: readonly number[],
  expected: readonly number[],
  tolerance: number,
  what: string,
): void {
  assert.equal(actual.length, expected.length, `${what}: lengths differ`);
  for (const [index, value] of actual.entries()) {
    assert(
      Math.abs(value - expected[index]!) < tolerance,
      `${what}[${index}]: ${value} vs ${expected[index]}`,
    );
  }
}
