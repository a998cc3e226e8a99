// Goal: the role cycle gives each role exactly its share of every cycle, spread evenly, and numbers
// each role's batches 0, 1, 2, ... with no gap or repeat (so each batch reads fresh corpus indices).
// Method: fast-check over mixes and step ranges.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { type RoleMix, roleBatchAt, roleCycle } from "../../src/pretrain/index.ts";
import { corpusRoles } from "../../src/world/index.ts";

const mixArbitrary: fc.Arbitrary<RoleMix> = fc
  .record({
    proposer: fc.integer({ min: 0, max: 9 }),
    coder: fc.integer({ min: 0, max: 9 }),
    solver: fc.integer({ min: 0, max: 9 }),
  })
  .filter((mix) => mix.proposer + mix.coder + mix.solver > 0);

test("every cycle holds each role exactly its number of steps", () => {
  fc.assert(
    fc.property(mixArbitrary, fc.integer({ min: 0, max: 20 }), (mix, cycleIndex) => {
      const cycle = roleCycle(mix);
      const length = mix.proposer + mix.coder + mix.solver;
      assert.equal(cycle.roles.length, length);
      const counts = { proposer: 0, coder: 0, solver: 0 };
      for (let offset = 0; offset < length; offset++)
        counts[roleBatchAt(cycle, cycleIndex * length + offset).role] += 1;
      assert.deepEqual(counts, { ...mix });
    }),
    { seed: 20260103 },
  );
});

test("each role's batch indices over the first steps are 0, 1, 2, ... in order", () => {
  fc.assert(
    fc.property(mixArbitrary, fc.integer({ min: 1, max: 200 }), (mix, steps) => {
      const cycle = roleCycle(mix);
      const next = { proposer: 0, coder: 0, solver: 0 };
      for (let step = 0; step < steps; step++) {
        const { role, roleBatch } = roleBatchAt(cycle, step);
        assert.equal(roleBatch, next[role], `step ${step}`);
        next[role] += 1;
      }
    }),
    { seed: 20260104 },
  );
});

test("roles are spread: in any prefix each role's count is within 1 of its share", () => {
  fc.assert(
    fc.property(mixArbitrary, (mix) => {
      const cycle = roleCycle(mix);
      const length = cycle.roles.length;
      const counts = { proposer: 0, coder: 0, solver: 0 };
      for (let step = 0; step < length; step++) {
        counts[cycle.roles[step]!] += 1;
        for (const role of corpusRoles) {
          assert.ok(
            Math.abs(counts[role] - ((step + 1) * mix[role]) / length) < 1,
            `${role} after ${step + 1}`,
          );
        }
      }
    }),
    { seed: 20260105 },
  );
});

test("the presets' mixes: 2:2:4 (test) and 1:1:8 (small) spread the text roles between Solver steps", () => {
  const testCycle = roleCycle({ proposer: 2, coder: 2, solver: 4 });
  assert.deepEqual(testCycle.roles, [
    "solver",
    "proposer",
    "coder",
    "solver",
    "solver",
    "proposer",
    "coder",
    "solver",
  ]);
  const smallCycle = roleCycle({ proposer: 1, coder: 1, solver: 8 });
  assert.equal(smallCycle.roles.indexOf("proposer"), 3);
  assert.equal(smallCycle.roles.indexOf("coder"), 6);
  assert.throws(() => roleCycle({ proposer: 0, coder: 0, solver: 0 }), /no role any steps/);
});
