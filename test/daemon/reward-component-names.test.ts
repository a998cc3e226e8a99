// Goal: the reward gauges export rewards only: each role's reward terms pass the filter unchanged,
// the bookkeeping values the loop records beside them (the Solver's `sample`, the Proposer's
// `renderedCount`) and any unknown name are dropped, whatever else a sample holds.
// Method: the named cases, and fast-check (seeded) over component records mixing allowed and other names.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { rewardComponentNames, rewardComponentsOnly } from "../../src/daemon/index.ts";

const roles = ["proposer", "coder", "solver"] as const;

describe("reward components exported", () => {
  test("bookkeeping values are dropped, reward terms kept", () => {
    assert.deepEqual(rewardComponentsOnly("solver", { correct: 1, formatOk: 0, sample: 3 }), {
      correct: 1,
      formatOk: 0,
    });
    assert.deepEqual(
      rewardComponentsOnly("proposer", { formatValid: 1, base: 0.5, diversity: -0.1, renderedCount: 4 }),
      { formatValid: 1, base: 0.5, diversity: -0.1 },
    );
    assert.deepEqual(rewardComponentsOnly("coder", { rendered: 1, solvability: 0.25, sample: 2 }), {
      rendered: 1,
      solvability: 0.25,
    });
    for (const role of roles) {
      assert.ok(!rewardComponentNames[role].has("sample"), role);
      assert.ok(!rewardComponentNames[role].has("renderedCount"), role);
    }
  });

  test("the filter keeps exactly the allowed names, with their values", () => {
    const name = fc.oneof(
      fc.constantFrom(...roles.flatMap((role) => [...rewardComponentNames[role]])),
      fc.constantFrom("sample", "renderedCount"),
      fc.string({ maxLength: 8 }),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...roles),
        fc.dictionary(name, fc.double({ noNaN: true, noDefaultInfinity: true })),
        (role, components) => {
          const kept = rewardComponentsOnly(role, components);
          const expected = Object.keys(components).filter((key) => rewardComponentNames[role].has(key));
          assert.deepEqual(Object.keys(kept).sort(), expected.sort());
          for (const key of expected) assert.equal(kept[key], components[key]);
        },
      ),
      { seed: 2026, numRuns: 200 },
    );
  });
});
