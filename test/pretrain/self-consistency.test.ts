// Goal: `mmzero eval`'s precondition report is right: the paired difference is the mean of per-item
// differences with the project's t interval, antisymmetric in its arguments, zero for identical
// outcomes; the band analysis looks only at items whose consistency lies inside the band.
// Method: fast-check over random paired outcomes.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { analyseSelfConsistency, pairedDifference } from "../../src/pretrain/index.ts";

const outcomes = fc.array(
  fc.record({
    greedyCorrect: fc.boolean(),
    majorityCorrect: fc.boolean(),
    consistency: fc.double({ min: 0, max: 1, noNaN: true }),
  }),
  { minLength: 2, maxLength: 60 },
);

describe("self-consistency analysis", () => {
  test("the paired difference is the difference of the counts over n, antisymmetric, zero for equal outcomes", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.boolean()), { minLength: 2, maxLength: 80 }),
        (pairs) => {
          const before = pairs.map(([first]) => first);
          const after = pairs.map(([, second]) => second);
          const forward = pairedDifference(before, after);
          const count = (list: boolean[]) => list.filter(Boolean).length;
          assert.ok(Math.abs(forward.mean - (count(after) - count(before)) / pairs.length) < 1e-12);
          assert.ok(forward.low !== null && forward.high !== null);
          assert.ok(forward.low <= forward.mean && forward.mean <= forward.high);
          const backward = pairedDifference(after, before);
          assert.ok(Math.abs(backward.mean + forward.mean) < 1e-12);
          assert.ok(
            Math.abs(backward.low! + forward.high) < 1e-12 && Math.abs(backward.high! + forward.low) < 1e-12,
          );
          const same = pairedDifference(before, before);
          assert.deepEqual([same.mean, same.low, same.high], [0, 0, 0]);
        },
      ),
      { seed: 11, numRuns: 300 },
    );
    assert.throws(() => pairedDifference([true], [true, false]), RangeError);
  });

  test("the band counts exactly the items whose consistency lies inside it", () => {
    fc.assert(
      fc.property(outcomes, (items) => {
        const span = { minimum: 0.25, maximum: 0.75 };
        const analysis = analyseSelfConsistency(items, span);
        const inBand = items.filter((item) => item.consistency >= 0.25 && item.consistency <= 0.75);
        assert.equal(analysis.band.pseudoLabelRight.total, inBand.length);
        assert.equal(
          analysis.band.pseudoLabelRight.correct,
          inBand.filter((item) => item.majorityCorrect).length,
        );
        assert.equal(analysis.band.greedyRight.correct, inBand.filter((item) => item.greedyCorrect).length);
        assert.equal(analysis.greedy.total, items.length);
        assert.equal(analysis.majorityMinusGreedy.n, items.length);
      }),
      { seed: 12, numRuns: 300 },
    );
  });
});
