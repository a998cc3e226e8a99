// Goal: the experiment's paired statistics obey their laws: the delta of identical results is 0 with
// a zero-width interval; swapping A and B negates the delta and mirrors the interval; intervals
// contain their mean; the seed-averaged delta is the mean of the per-seed deltas; the t quantiles
// match published values; per-group counts of every breakdown sum to the total.
// Method: fast-check properties (seeded) over random 0/1 scores for several seeds, known-answer checks.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { breakdownRows, itemGroups, mapGroups } from "../../src/experiment/item-groups.ts";
import {
  meanAccuracy,
  meanInterval,
  pairedDelta,
  type SeedScores,
  tQuantile975,
} from "../../src/experiment/paired-delta.ts";

const seed = 20261204;

/** A and B: `seeds` seeds each, the same number of items, scores 0 or 1. */
const pairedScores = fc
  .record({ items: fc.integer({ min: 0, max: 40 }), seeds: fc.integer({ min: 1, max: 4 }) })
  .chain(({ items, seeds }) => {
    const side = fc.array(fc.array(fc.constantFrom(0, 1), { minLength: items, maxLength: items }), {
      minLength: seeds,
      maxLength: seeds,
    });
    return fc.tuple(side, side);
  })
  .map(([a, b]) => [toSeeds(a), toSeeds(b)] as const);

function toSeeds(scores: readonly (readonly number[])[]): SeedScores[] {
  return scores.map((values, index) => ({ seed: String(index + 1), scores: values }));
}

/** Equal as numbers (0 and -0 are the same delta), or both null. */
function same(actual: number | null, expected: number | null): void {
  assert.ok(actual === expected, `${actual} !== ${expected}`);
}

function contains(low: number | null, high: number | null, value: number): boolean {
  return low !== null && high !== null && low <= value && value <= high;
}

test("the delta of identical results is 0 with a zero-width interval", () => {
  fc.assert(
    fc.property(pairedScores, ([a]) => {
      const delta = pairedDelta(a, a);
      same(delta.mean, 0);
      if (delta.n >= 2) {
        same(delta.low, 0);
        same(delta.high, 0);
      }
      for (const perSeed of delta.perSeed) same(perSeed.mean, 0);
    }),
    { seed },
  );
});

test("swapping A and B negates the delta and mirrors its interval, per seed too", () => {
  fc.assert(
    fc.property(pairedScores, ([a, b]) => {
      const forward = pairedDelta(a, b);
      const backward = pairedDelta(b, a);
      same(backward.mean, -forward.mean);
      same(backward.low, forward.high === null ? null : -forward.high);
      same(backward.high, forward.low === null ? null : -forward.low);
      forward.perSeed.forEach((entry, index) => {
        const other = backward.perSeed[index]!;
        same(other.mean, -entry.mean);
        same(other.low, entry.high === null ? null : -entry.high);
      });
    }),
    { seed },
  );
});

test("intervals contain their mean; deltas lie in [-1, 1]", () => {
  fc.assert(
    fc.property(pairedScores, ([a, b]) => {
      const delta = pairedDelta(a, b);
      assert.ok(delta.mean >= -1 && delta.mean <= 1);
      if (delta.n >= 2) assert.ok(contains(delta.low, delta.high, delta.mean), JSON.stringify(delta));
      else assert.equal(delta.low, null);
      for (const entry of delta.perSeed)
        if (entry.n >= 2) assert.ok(contains(entry.low, entry.high, entry.mean));
      const accuracy = meanAccuracy(b);
      if (accuracy.n >= 2) assert.ok(contains(accuracy.low, accuracy.high, accuracy.mean));
    }),
    { seed },
  );
});

test("the seed-averaged delta is the mean of the per-seed deltas and equals accuracy B minus accuracy A", () => {
  fc.assert(
    fc.property(pairedScores, ([a, b]) => {
      const delta = pairedDelta(a, b);
      if (delta.n === 0) return;
      const perSeedMean = delta.perSeed.reduce((sum, entry) => sum + entry.mean, 0) / delta.perSeed.length;
      assert.ok(Math.abs(delta.mean - perSeedMean) < 1e-12);
      assert.ok(Math.abs(delta.mean - (meanAccuracy(b).mean - meanAccuracy(a).mean)) < 1e-12);
      assert.equal(delta.seeds, a.length);
    }),
    { seed },
  );
});

test("across seeds: the same mean, a t interval over the per-seed deltas, no bounds below 2 seeds", () => {
  fc.assert(
    fc.property(pairedScores, ([a, b]) => {
      const delta = pairedDelta(a, b);
      if (delta.n === 0) return;
      const { acrossSeeds } = delta;
      assert.ok(Math.abs(acrossSeeds.mean - delta.mean) < 1e-12);
      assert.equal(acrossSeeds.n, delta.seeds);
      if (delta.seeds < 2) {
        same(acrossSeeds.low, null);
        same(acrossSeeds.high, null);
        return;
      }
      assert.ok(contains(acrossSeeds.low, acrossSeeds.high, acrossSeeds.mean));
      const swapped = pairedDelta(b, a).acrossSeeds;
      assert.ok(Math.abs(swapped.low! + acrossSeeds.high!) < 1e-12, "swapping mirrors the interval");
    }),
    { seed },
  );
});

test("a known case across seeds: per-seed deltas 0, -0.01, -0.12 (as in E18) give t(2) = 4.303 bounds", () => {
  // 100 items, A right on all of them; B's seeds miss 0, 1 and 12 items.
  const rightBut = (misses: number) => Array.from({ length: 100 }, (_, index) => (index < misses ? 0 : 1));
  const a = toSeeds([rightBut(0), rightBut(0), rightBut(0)]);
  const b = toSeeds([rightBut(0), rightBut(1), rightBut(12)]);
  const { acrossSeeds } = pairedDelta(a, b);
  const deltas = [0, -0.01, -0.12];
  const mean = deltas.reduce((sum, value) => sum + value, 0) / 3;
  const sd = Math.sqrt(deltas.reduce((sum, value) => sum + (value - mean) ** 2, 0) / 2);
  const half = (4.303 * sd) / Math.sqrt(3);
  assert.ok(Math.abs(acrossSeeds.mean - mean) < 1e-12);
  assert.ok(Math.abs(acrossSeeds.low! - (mean - half)) < 1e-9, `low ${acrossSeeds.low}`);
  assert.ok(Math.abs(acrossSeeds.high! - (mean + half)) < 1e-9, `high ${acrossSeeds.high}`);
  assert.ok(acrossSeeds.low! < 0 && acrossSeeds.high! > 0, "one seed's loss is not a configuration's");
});

test("pairs only the seeds both sides ran", () => {
  const a = toSeeds([
    [1, 0, 1],
    [0, 0, 0],
  ]);
  const b = [{ seed: "2", scores: [1, 1, 1] }];
  const delta = pairedDelta(a, b);
  assert.equal(delta.seeds, 1);
  assert.equal(delta.mean, 1);
  assert.deepEqual(
    delta.perSeed.map((entry) => entry.seed),
    ["2"],
  );
});

test("a known case: t interval over items with df = n - 1", () => {
  // Deltas 1, 0, 0, 1: mean 0.5, sd 0.57735, se 0.288675, t(3) = 3.182.
  const interval = meanInterval([1, 0, 0, 1]);
  assert.equal(interval.mean, 0.5);
  assert.ok(Math.abs(interval.low! - (0.5 - 3.182 * 0.2886751345948129)) < 1e-12);
  assert.ok(Math.abs(interval.high! - (0.5 + 3.182 * 0.2886751345948129)) < 1e-12);
});

test("t quantiles match published values and fall towards z", () => {
  assert.equal(tQuantile975(1), 12.706);
  assert.equal(tQuantile975(30), 2.042);
  // Published: t(0.975; 40) = 2.0211, t(0.975; 60) = 2.0003, t(0.975; 120) = 1.9799.
  assert.ok(Math.abs(tQuantile975(40) - 2.0211) < 2e-4);
  assert.ok(Math.abs(tQuantile975(60) - 2.0003) < 2e-4);
  assert.ok(Math.abs(tQuantile975(120) - 1.9799) < 2e-4);
  for (let df = 2; df < 400; df += 1) assert.ok(tQuantile975(df) < tQuantile975(df - 1));
  assert.ok(tQuantile975(100000) > 1.959963);
});

const facets = fc.array(
  fc.record({
    id: fc.string(),
    level: fc.constantFrom("easy", "hard"),
    contentType: fc.constantFrom("data_chart", "diagram", "geometry", "table"),
    steps: fc.integer({ min: 1, max: 6 }),
  }),
  { maxLength: 60 },
);

test("every breakdown partitions the items: group counts sum to the total, each item once", () => {
  fc.assert(
    fc.property(facets, (items) => {
      const groups = itemGroups(items);
      const sizes = mapGroups(groups, (indices) => indices.length);
      assert.equal(sizes.overall, items.length);
      for (const named of [groups.byLevel, groups.byContentType, groups.bySteps]) {
        const members = Object.values(named).flat();
        assert.equal(members.length, items.length);
        assert.deepEqual(
          [...members].sort((x, y) => x - y),
          items.map((_, index) => index),
        );
      }
      for (const [name, indices] of Object.entries(groups.bySteps))
        for (const index of indices) assert.equal(String(items[index]!.steps), name);
      const steps = Object.keys(groups.bySteps).map(Number);
      assert.deepEqual(
        steps,
        [...steps].sort((x, y) => x - y),
      );
      assert.equal(breakdownRows(sizes)[0]![0], "overall");
    }),
    { seed },
  );
});

test("group deltas weighted by group size give the overall delta", () => {
  fc.assert(
    fc.property(
      facets.filter((items) => items.length > 0),
      fc.integer(),
      (items, salt) => {
        const score = (side: number) => [
          { seed: "1", scores: items.map((_, index) => ((index * 7 + salt + side) % 3 === 0 ? 1 : 0)) },
        ];
        const groups = itemGroups(items);
        const deltas = mapGroups(groups, (indices) => pairedDelta(score(0), score(1), indices));
        for (const named of [deltas.byLevel, deltas.byContentType, deltas.bySteps]) {
          const weighted =
            Object.values(named).reduce((sum, delta) => sum + delta.mean * delta.n, 0) / items.length;
          assert.ok(Math.abs(weighted - deltas.overall.mean) < 1e-12);
        }
      },
    ),
    { seed },
  );
});
