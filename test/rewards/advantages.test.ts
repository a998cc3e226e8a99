// Goal: group-normalised advantages follow EasyR1 (unbiased std + 1e-6) and Dr. GRPO (no std), with
// DAPO's dynamic-sampling predicate. Method: hand-computed groups; fast-check laws with tolerances
// derived from the epsilon (it makes the rescaling law approximate by design).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  groupAdvantages,
  groupsForUpdate,
  InconsistentInputError,
  isInformativeGroup,
  resolveGrpoConfig,
} from "../../src/rewards/index.ts";

const seed = 3_008;
const release = resolveGrpoConfig("release");
const drGrpo = resolveGrpoConfig("dr-grpo");
const dapo = resolveGrpoConfig("dapo");

function closeTo(actual: number, expected: number, tolerance = 1e-12): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not within ${tolerance} of ${expected}`);
}

function allClose(actual: readonly number[], expected: readonly number[], tolerance: number): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((value, index) => {
    closeTo(value, expected[index]!, tolerance);
  });
}

/** Rewards on a 0.05 grid in [-1, 3], as reward sums produce; groups of 2 to 8 responses. */
const groupArbitrary = fc.array(
  fc.integer({ min: -20, max: 60 }).map((step) => step * 0.05),
  { minLength: 2, maxLength: 8 },
);

describe("groupAdvantages", () => {
  test("golden: [1, 0, 0, 1] gives +-0.5 / (sqrt(1/3) + 1e-6) with std, +-0.5 without", () => {
    const scaled = 0.5 / (Math.sqrt(1 / 3) + 1e-6);
    allClose(groupAdvantages([1, 0, 0, 1], release), [scaled, -scaled, -scaled, scaled], 1e-12);
    assert.deepEqual(groupAdvantages([1, 0, 0, 1], drGrpo), [0.5, -0.5, -0.5, 0.5]);
  });
  test("golden: identical rewards give exact zeros (not 1e-11 noise, never NaN)", () => {
    assert.deepEqual(groupAdvantages([0.1, 0.1, 0.1], release), [0, 0, 0]);
  });
  test("a group of fewer than 2 or with a non-finite reward is an error", () => {
    assert.throws(() => groupAdvantages([1], release), InconsistentInputError);
    assert.throws(() => groupAdvantages([1, Number.NaN], release), InconsistentInputError);
  });
  test("law: advantages have zero mean in every group, with or without std scaling", () => {
    fc.assert(
      fc.property(groupArbitrary, fc.boolean(), (rewards, scale) => {
        const advantages = groupAdvantages(rewards, scale ? release : drGrpo);
        closeTo(
          advantages.reduce((sum, value) => sum + value, 0),
          0,
          1e-9,
        );
        assert.ok(advantages.every(Number.isFinite));
      }),
      { seed },
    );
  });
  test("law: adding a constant to a group's rewards changes nothing", () => {
    fc.assert(
      fc.property(
        groupArbitrary,
        fc.integer({ min: -100, max: 100 }),
        fc.boolean(),
        (rewards, shift, scale) => {
          const config = scale ? release : drGrpo;
          const original = groupAdvantages(rewards, config);
          const shifted = groupAdvantages(
            rewards.map((reward) => reward + shift),
            config,
          );
          allClose(shifted, original, 1e-6);
        },
      ),
      { seed },
    );
  });
  test("law: with std scaling, positive rescaling changes nothing up to the epsilon's share", () => {
    fc.assert(
      fc.property(groupArbitrary, fc.double({ min: 0.5, max: 20, noNaN: true }), (rewards, factor) => {
        const original = groupAdvantages(rewards, release);
        const rescaled = groupAdvantages(
          rewards.map((reward) => reward * factor),
          release,
        );
        const mean = rewards.reduce((sum, reward) => sum + reward, 0) / rewards.length;
        const std = Math.sqrt(rewards.reduce((sum, r) => sum + (r - mean) ** 2, 0) / (rewards.length - 1));
        // A/(s + e) vs A/(s + e/k): they differ by about |A| * e * |1 - 1/k| / s.
        rescaled.forEach((value, index) => {
          const tolerance =
            std === 0 ? 0 : (4 * 1e-6 * (Math.abs(original[index]!) + 1)) / (std * Math.min(1, factor));
          closeTo(value, original[index]!, tolerance + 1e-12);
        });
      }),
      { seed },
    );
  });
  test("law: identical rewards give zeros", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -5, max: 5, noNaN: true }),
        fc.integer({ min: 2, max: 8 }),
        (reward, size) => {
          assert.deepEqual(groupAdvantages(Array(size).fill(reward), release), Array(size).fill(0));
        },
      ),
      { seed },
    );
  });
});

describe("dynamic sampling", () => {
  test("a group is informative iff its rewards are not all identical", () => {
    assert.equal(isInformativeGroup([1, 1, 1]), false);
    assert.equal(isInformativeGroup([1, 1, 0]), true);
  });
  test("dapo drops identical-reward groups from the update; release keeps every group", () => {
    const groups = [
      [1, 1],
      [0, 1],
      [0.5, 0.5],
      [2, 0],
    ];
    assert.deepEqual(groupsForUpdate(groups, dapo), [1, 3]);
    assert.deepEqual(groupsForUpdate(groups, release), [0, 1, 2, 3]);
  });
});
