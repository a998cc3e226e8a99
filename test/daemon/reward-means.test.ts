// Goal: the reward gauges show, per role, the mean of each component over the samples of the latest
// step only (a component missing from a sample counts as 0 for it; the total is a component too).
// Method: fast-check (seeded) over sample sequences with few distinct steps, against the mean of the
// trailing samples that share the last sample's step, computed directly.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  addRewardSample,
  type RewardSample,
  type RewardWindow,
  rewardMeans,
  totalComponent,
} from "../../src/daemon/index.ts";

const sample = fc.record({
  iteration: fc.integer({ min: 1, max: 2 }),
  step: fc.integer({ min: 0, max: 1 }),
  total: fc.integer({ min: -4, max: 4 }).map((value) => value / 4),
  components: fc.dictionary(
    fc.constantFrom("renderable", "solvable", "difficulty"),
    fc.integer({ min: 0, max: 4 }).map((value) => value / 4),
  ),
});

function stepOf(value: RewardSample): string {
  return `${value.iteration}/${value.step}`;
}

test("the window's means are those of the latest step's samples", () => {
  fc.assert(
    fc.property(fc.array(sample, { minLength: 1, maxLength: 20 }), (samples) => {
      let window: RewardWindow | undefined;
      for (const value of samples) window = addRewardSample(window, value);
      const last = stepOf(samples.at(-1)!);
      let start = samples.length - 1;
      while (start > 0 && stepOf(samples[start - 1]!) === last) start -= 1;
      const latest = samples.slice(start);
      const names = new Set([totalComponent, ...latest.flatMap((value) => Object.keys(value.components))]);
      const expected: Record<string, number> = {};
      for (const name of names) {
        const sum = latest.reduce(
          (total, value) => total + (name === totalComponent ? value.total : (value.components[name] ?? 0)),
          0,
        );
        expected[name] = sum / latest.length;
      }
      const means = rewardMeans(window!);
      assert.deepEqual(Object.keys(means).sort(), [...names].sort());
      for (const name of names) assert.ok(Math.abs(means[name]! - expected[name]!) < 1e-12, name);
      assert.equal(window!.count, latest.length);
    }),
    { seed: 2026, numRuns: 200 },
  );
});
