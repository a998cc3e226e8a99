// Goal: the schedule is a pure, complete walk of the algorithm's loop, and resuming from any set of
// completed units continues at the first unit not done.
// Method: fast-check over schedule shapes; each unit key is unique; the order is start, base
// evaluation, then per iteration Proposer, Coder, Solver phases and an evaluation; resumeIndex
// returns the first missing unit for every prefix.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { buildSchedule, phaseOrder, resumeIndex, unitKey } from "../../src/actors/index.ts";

const shape = fc.record({
  iterations: fc.integer({ min: 1, max: 4 }),
  steps: fc.record({ proposer: fc.nat(3), coder: fc.nat(3), solver: fc.nat(3) }),
});

describe("schedule", () => {
  test("has one unit per iteration boundary, phase boundary and step, with unique keys", () => {
    fc.assert(
      fc.property(shape, (input) => {
        const units = buildSchedule(input);
        const stepsPerIteration = input.steps.proposer + input.steps.coder + input.steps.solver;
        assert.equal(units.length, 3 + input.iterations * (3 + 2 * phaseOrder.length + stepsPerIteration));
        assert.equal(new Set(units.map(unitKey)).size, units.length);
        assert.equal(units[0]!.kind, "start");
        assert.deepEqual(units[1], { kind: "evaluate", iteration: 0 });
        assert.equal(units.at(-1)!.kind, "complete");
      }),
    );
  });

  test("phases run Proposer, Coder, Solver in each iteration, then an evaluation", () => {
    const units = buildSchedule({ iterations: 2, steps: { proposer: 1, coder: 2, solver: 1 } });
    const phases = units.flatMap((unit) =>
      unit.kind === "phaseStart" ? [`${unit.iteration}:${unit.phase}`] : [],
    );
    assert.deepEqual(phases, ["1:proposer", "1:coder", "1:solver", "2:proposer", "2:coder", "2:solver"]);
    const evaluations = units.flatMap((unit) => (unit.kind === "evaluate" ? [unit.iteration] : []));
    assert.deepEqual(evaluations, [0, 1, 2]);
  });

  test("resumeIndex is the first unit not completed, for every completed prefix", () => {
    fc.assert(
      fc.property(shape, fc.nat(), (input, cut) => {
        const units = buildSchedule(input);
        const done = cut % (units.length + 1);
        const completed = new Set(units.slice(0, done).map(unitKey));
        assert.equal(resumeIndex(units, completed), done);
      }),
    );
  });
});
