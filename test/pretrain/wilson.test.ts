// Goal: `mmzero eval`'s proportions carry the 95% Wilson interval (the report's statistic, in eval's
// low/high shape): it contains the point estimate, stays in [0, 1], narrows as the sample grows, and
// is symmetric under swapping successes and failures. Method: fast-check over counts, plus textbook values.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { proportion } from "../../src/pretrain/index.ts";

const countsArbitrary = fc
  .integer({ min: 1, max: 5000 })
  .chain((total) => fc.record({ total: fc.constant(total), successes: fc.integer({ min: 0, max: total }) }));

test("contains the point estimate and lies within [0, 1]", () => {
  fc.assert(
    fc.property(countsArbitrary, ({ successes, total }) => {
      const { low, high } = proportion(successes, total);
      const estimate = successes / total;
      assert.ok(0 <= low && low <= estimate && estimate <= high && high <= 1, `${low} ${estimate} ${high}`);
      assert.ok(high > low);
    }),
    { seed: 20260106 },
  );
});

test("narrows as n grows at the same proportion", () => {
  fc.assert(
    fc.property(countsArbitrary, fc.integer({ min: 2, max: 10 }), ({ successes, total }, factor) => {
      const small = proportion(successes, total);
      const large = proportion(successes * factor, total * factor);
      assert.ok(large.high - large.low < small.high - small.low);
    }),
    { seed: 20260107 },
  );
});

test("swapping successes and failures mirrors the interval", () => {
  fc.assert(
    fc.property(countsArbitrary, ({ successes, total }) => {
      const forward = proportion(successes, total);
      const mirrored = proportion(total - successes, total);
      assert.ok(Math.abs(forward.low - (1 - mirrored.high)) < 1e-12);
      assert.ok(Math.abs(forward.high - (1 - mirrored.low)) < 1e-12);
    }),
    { seed: 20260108 },
  );
});

test("textbook values and the empty sample", () => {
  // 8 of 10: Wilson 95% interval 0.4902 to 0.9433 (Newcombe 1998, method 3).
  const eight = proportion(8, 10);
  assert.ok(
    Math.abs(eight.low - 0.4902) < 5e-5 && Math.abs(eight.high - 0.9433) < 5e-5,
    JSON.stringify(eight),
  );
  // 0 of 10: [0, 0.2775].
  const none = proportion(0, 10);
  assert.equal(none.low, 0);
  assert.ok(Math.abs(none.high - 0.2775) < 5e-5);
  assert.deepEqual(proportion(0, 0), { correct: 0, total: 0, accuracy: 0, low: 0, high: 1 });
  assert.throws(() => proportion(3, 2), /outside/);
});
