// Goal: the comparison statistics obey their laws: Kendall's tau-b lies in [-1, 1], is 1 for the same
// ordering (any increasing transform) and -1 for the reversed one, and is symmetric; a distribution
// compared with itself shifts by exactly 0; quantiles are ordered and bounded by the extremes;
// shifting every value by c shifts the mean and quantiles by c and leaves the spread.
// Method: fast-check properties over small integer-valued reward vectors (ties are common, as with
// real rewards), seeded; a few hand-computed cases pin the definitions.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  distributionShift,
  kendallTauB,
  orderingChanged,
  quantileOfSorted,
  signChanged,
  summariseDistribution,
  summaryQuantiles,
} from "../../src/rescore/index.ts";

const seed = 20260309;
const reward = fc.integer({ min: -20, max: 20 }).map((value) => value / 10);
const group = fc.array(reward, { minLength: 2, maxLength: 8 });
const pairedGroups = group.chain((left) =>
  fc.tuple(fc.constant(left), fc.array(reward, { minLength: left.length, maxLength: left.length })),
);
const distribution = fc.array(reward, { minLength: 1, maxLength: 40 });

describe("Kendall's tau-b", () => {
  test("lies in [-1, 1] or is undefined only when exactly one side is all tied", () => {
    fc.assert(
      fc.property(pairedGroups, ([left, right]) => {
        const tau = kendallTauB(left, right);
        const leftTied = left.every((value) => value === left[0]);
        const rightTied = right.every((value) => value === right[0]);
        if (tau === null) return leftTied !== rightTied;
        return tau >= -1 && tau <= 1 && leftTied === rightTied;
      }),
      { seed },
    );
  });

  test("is 1 for identical orderings (an increasing transform) and -1 for reversed untied ones", () => {
    fc.assert(
      fc.property(group, (values) => {
        assert.equal(
          kendallTauB(
            values,
            values.map((value) => 3 * value + 1),
          ),
          1,
        );
        if (new Set(values).size === values.length) {
          assert.equal(
            kendallTauB(
              values,
              values.map((value) => -value),
            ),
            -1,
          );
        }
      }),
      { seed },
    );
  });

  test("is symmetric in its arguments", () => {
    fc.assert(
      fc.property(pairedGroups, ([left, right]) => kendallTauB(left, right) === kendallTauB(right, left)),
      { seed },
    );
  });

  test("matches a hand count with ties", () => {
    // Pairs: (0,1) tie on the left; (0,2) +,+; (1,2) +,+. Concordance 2; untied pairs 2 and 3.
    assert.equal(kendallTauB([1, 1, 2], [1, 2, 3]), 2 / Math.sqrt(2 * 3));
    assert.equal(kendallTauB([1, 1, 1], [1, 2, 3]), null);
    assert.equal(kendallTauB([5, 5], [0, 0]), 1);
  });
});

describe("distribution summaries and shifts", () => {
  test("a distribution compared with itself shifts by exactly 0", () => {
    fc.assert(
      fc.property(distribution, (values) => {
        const shift = distributionShift(values, [...values]);
        assert.equal(shift.meanShift, 0);
        assert.equal(shift.standardDeviationShift, 0);
        assert.deepEqual(
          shift.quantileShifts,
          summaryQuantiles.map(() => 0),
        );
      }),
      { seed },
    );
  });

  test("quantiles are non-decreasing and run from the minimum to the maximum", () => {
    fc.assert(
      fc.property(distribution, (values) => {
        const summary = summariseDistribution(values);
        const quantiles = summary.quantiles;
        assert.equal(quantiles[0], Math.min(...values));
        assert.equal(quantiles.at(-1), Math.max(...values));
        for (let index = 1; index < quantiles.length; index++)
          assert.ok(quantiles[index]! >= quantiles[index - 1]!);
        assert.ok(summary.mean! >= quantiles[0]! && summary.mean! <= quantiles.at(-1)!);
        assert.ok(summary.standardDeviation! >= 0);
      }),
      { seed },
    );
  });

  test("adding c to every value shifts mean and quantiles by c and keeps the spread", () => {
    fc.assert(
      fc.property(distribution, reward, (values, offset) => {
        const shift = distributionShift(
          values,
          values.map((value) => value + offset),
        );
        const close = (actual: number | null, expected: number) => Math.abs(actual! - expected) < 1e-9;
        assert.ok(close(shift.meanShift, offset));
        assert.ok(close(shift.standardDeviationShift, 0));
        for (const quantileShift of shift.quantileShifts) assert.ok(close(quantileShift, offset));
      }),
      { seed },
    );
  });

  test("an empty side has no summary and no shift", () => {
    const shift = distributionShift([], [1, 2]);
    assert.equal(shift.before.mean, null);
    assert.equal(shift.meanShift, null);
    assert.deepEqual(shift.quantileShifts, []);
    assert.equal(shift.after.mean, 1.5);
  });

  test("the median of an even count interpolates its two middle values", () => {
    assert.equal(quantileOfSorted([0, 1, 3, 10], 0.5), 2);
    assert.equal(quantileOfSorted([0, 1, 3, 10], 0.25), 0.75);
  });
});

describe("sign and ordering changes", () => {
  test("nothing changes against itself; any sign flip or swapped pair is seen", () => {
    fc.assert(
      fc.property(group, (values) => {
        assert.equal(signChanged(values, values), false);
        assert.equal(orderingChanged(values, values), false);
        const flipped = values.map((value, index) => (index === 0 ? (value > 0 ? -1 : 1) : value));
        assert.equal(signChanged(values, flipped), true);
      }),
      { seed },
    );
    assert.equal(orderingChanged([1, 2, 3], [1, 3, 2]), true);
    assert.equal(orderingChanged([1, 2, 3], [10, 20, 30]), false);
    assert.equal(orderingChanged([1, 1], [1, 2]), true);
  });
});
