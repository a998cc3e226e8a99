// The benches' pooled ratio: the figure every engine/bare comparison of bench/loop.ts prints.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { pooledRatio } from "../../bench/common.ts";

const time = fc.double({ min: 1e-3, max: 1e3, noNaN: true });
const pairs = fc.array(fc.record({ baseline: time, measured: time }), { minLength: 1, maxLength: 20 });
const ratiosOf = (list: readonly { baseline: number; measured: number }[]) =>
  list.map((pair) => pair.baseline / pair.measured);
const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

describe("pooledRatio", () => {
  test("lies between the smallest and the largest of the pairs' own ratios", () => {
    fc.assert(
      fc.property(pairs, (list) => {
        const pooled = pooledRatio(list);
        const ratios = ratiosOf(list);
        assert.ok(pooled >= Math.min(...ratios) * (1 - 1e-12) && pooled <= Math.max(...ratios) * (1 + 1e-12));
      }),
    );
  });

  test("does not depend on the pairs' order, and scales with the baseline", () => {
    fc.assert(
      fc.property(pairs, fc.double({ min: 0.1, max: 10, noNaN: true }), (list, factor) => {
        assert.ok(close(pooledRatio([...list].reverse()), pooledRatio(list)));
        const scaled = list.map((pair) => ({ ...pair, baseline: pair.baseline * factor }));
        assert.ok(close(pooledRatio(scaled), factor * pooledRatio(list)));
      }),
    );
  });

  test("weighs each pair by its size, unlike the mean of ratios", () => {
    // A 1 s pair at ratio 0.5 and a 9 s pair at ratio 1: (0.5 + 9) / (1 + 9) = 0.95.
    assert.equal(
      pooledRatio([
        { baseline: 0.5, measured: 1 },
        { baseline: 9, measured: 9 },
      ]),
      0.95,
    );
  });
});
