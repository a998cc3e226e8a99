// Goal: the report's statistics obey their laws: shares sum to 1, normalised entropy lies in [0, 1]
// (0 for one category, 1 for an even spread), Wilson intervals contain their estimate inside [0, 1]
// and match published values, tallies merge like sums.
// Method: fast-check properties (seeded) over random counts, plus known-answer checks.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  emptyTally,
  normalisedEntropy,
  shares,
  tallyAdd,
  tallyMean,
  tallyMerge,
  unitIntervalBin,
  wilsonInterval,
} from "../../src/report/statistics.ts";

const seed = 20260109;
const counts = fc.dictionary(fc.constantFrom("a", "b", "c", "d", "e", "f", "g"), fc.nat({ max: 1000 }));

test("shares of positive counts sum to 1 and each lies in [0, 1]", () => {
  fc.assert(
    fc.property(counts, (named) => {
      const result = shares(named);
      const total = Object.values(named).reduce((sum, count) => sum + count, 0);
      if (total === 0) return assert.deepEqual(result, {});
      const sum = Object.values(result).reduce((accumulated, share) => accumulated + share, 0);
      assert.ok(Math.abs(sum - 1) < 1e-12, `shares sum to ${sum}`);
      for (const share of Object.values(result)) assert.ok(share >= 0 && share <= 1);
    }),
    { seed },
  );
});

test("normalised entropy lies in [0, 1], is 0 for one category and 1 for an even spread", () => {
  fc.assert(
    fc.property(counts, fc.integer({ min: 1, max: 9 }), (named, categoryCount) => {
      const entropy = normalisedEntropy(named, categoryCount);
      const seen = Object.values(named).filter((count) => count > 0).length;
      if (seen === 0) return assert.equal(entropy, null);
      assert.ok(entropy !== null && entropy >= 0 && entropy <= 1, `entropy ${entropy}`);
      if (seen === 1) assert.equal(entropy, 0);
    }),
    { seed },
  );
  fc.assert(
    fc.property(fc.integer({ min: 2, max: 9 }), fc.integer({ min: 1, max: 50 }), (categoryCount, each) => {
      const even = Object.fromEntries(
        Array.from({ length: categoryCount }, (_, index) => [`t${index}`, each]),
      );
      assert.ok(Math.abs(normalisedEntropy(even, categoryCount)! - 1) < 1e-12);
      // Half the categories evenly: log(k/2)/log(k) < 1.
      const half = Object.fromEntries(
        Object.entries(even).slice(0, Math.max(1, Math.floor(categoryCount / 2))),
      );
      assert.ok(normalisedEntropy(half, categoryCount)! < 1 - 1e-9);
    }),
    { seed },
  );
});

test("Wilson intervals contain the estimate and stay inside [0, 1]", () => {
  fc.assert(
    fc.property(
      fc
        .integer({ min: 1, max: 5000 })
        .chain((total) => fc.tuple(fc.integer({ min: 0, max: total }), fc.constant(total))),
      ([successes, total]) => {
        const interval = wilsonInterval(successes, total)!;
        assert.equal(interval.estimate, successes / total);
        assert.ok(interval.lower >= 0 && interval.lower <= interval.estimate, JSON.stringify(interval));
        assert.ok(interval.upper <= 1 && interval.upper >= interval.estimate, JSON.stringify(interval));
        if (successes > 0 && successes < total) assert.ok(interval.upper - interval.lower > 0);
      },
    ),
    { seed },
  );
  assert.equal(wilsonInterval(0, 0), null);
});

test("Wilson intervals match published values and narrow with more trials", () => {
  // Newcombe (1998), Table I: 81/263 -> 0.2553 to 0.3662; 15/148 -> 0.0624 to 0.1605.
  const first = wilsonInterval(81, 263)!;
  assert.ok(
    Math.abs(first.lower - 0.2553) < 5e-5 && Math.abs(first.upper - 0.3662) < 5e-5,
    JSON.stringify(first),
  );
  const second = wilsonInterval(15, 148)!;
  assert.ok(
    Math.abs(second.lower - 0.0624) < 5e-5 && Math.abs(second.upper - 0.1605) < 5e-5,
    JSON.stringify(second),
  );
  const small = wilsonInterval(8, 10)!;
  const large = wilsonInterval(800, 1000)!;
  assert.ok(large.upper - large.lower < small.upper - small.lower);
  assert.equal(wilsonInterval(0, 10)!.lower, 0);
  assert.equal(wilsonInterval(10, 10)!.upper, 1);
});

test("tallies merge like sums, and their mean is the mean of the values", () => {
  const values = fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { maxLength: 30 });
  fc.assert(
    fc.property(values, values, (first, second) => {
      const tallyOf = (list: readonly number[]) => list.reduce(tallyAdd, emptyTally);
      const merged = tallyMerge(tallyOf(first), tallyOf(second));
      const all = tallyOf([...first, ...second]);
      assert.equal(merged.count, all.count);
      assert.ok(Math.abs(merged.sum - all.sum) < 1e-9);
      const mean = tallyMean(all);
      if (all.count === 0) assert.equal(mean, null);
      else assert.ok(Math.abs(mean! - [...first, ...second].reduce((a, b) => a + b, 0) / all.count) < 1e-9);
    }),
    { seed },
  );
});

test("unit-interval bins cover [0, 1] with 1 in the last bin", () => {
  assert.equal(unitIntervalBin(0, 10), 0);
  assert.equal(unitIntervalBin(0.5, 10), 5);
  assert.equal(unitIntervalBin(0.999, 10), 9);
  assert.equal(unitIntervalBin(1, 10), 9);
  assert.throws(() => unitIntervalBin(1.5, 10));
});
