// Goal: GRPO's mini-batch split covers every sample once, in order, in chunks that differ by at most
// one, and never makes an empty mini-batch.
// Method: fast-check over sample and mini-batch counts.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { miniBatchSizes } from "../../src/gpu/index.ts";

describe("miniBatchSizes", () => {
  test("sizes sum to the samples, differ by at most one, larger first, none empty", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 1, max: 64 }),
        (samples, miniBatches) => {
          const sizes = miniBatchSizes(samples, miniBatches);
          assert.equal(sizes.length, Math.min(samples, miniBatches));
          assert.equal(
            sizes.reduce((sum, size) => sum + size, 0),
            samples,
          );
          assert(sizes.every((size) => size >= 1));
          assert(Math.max(...sizes) - Math.min(...sizes) <= 1);
          assert.deepEqual(
            sizes,
            [...sizes].sort((a, b) => b - a),
          );
        },
      ),
      { seed: 51 },
    );
    assert.throws(() => miniBatchSizes(4, 0));
  });
});
