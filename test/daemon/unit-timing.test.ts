// Goal: unit latencies are labelled exactly (every schedule unit's description maps back to one
// unit) and timed from one unit's start to the next; a unit cut by a failure is not timed; the
// wrapped sink still gets every call.
// Method: schedules of many shapes (fast-check, seeded); a hand-driven clock for the timings.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { buildSchedule } from "../../src/actors/index.ts";
import { resolveRunConfig } from "../../src/config/index.ts";
import { createTimedProgress, type UnitLabels, unitLabelsByDescription } from "../../src/daemon/index.ts";

describe("unit timing", () => {
  test("every unit of a schedule has its own description and labels", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 3 }),
        (iterations, proposer, coder, solver) => {
          const config = resolveRunConfig("smoke", {
            iterations,
            proposer: { steps: proposer },
            coder: { steps: coder },
            solver: { steps: solver },
          });
          const labels = unitLabelsByDescription(config);
          const units = buildSchedule({ iterations, steps: { proposer, coder, solver } });
          assert.equal(labels.size, units.length, "descriptions are unique within a schedule");
          assert.deepEqual(
            [...labels.values()].map((unit) => unit.position),
            units.map((_, position) => position),
            "positions follow the schedule",
          );
          const steps = [...labels.values()].filter((label) => label.unitKind === "step");
          assert.equal(steps.length, iterations * (proposer + coder + solver));
          for (const label of steps) assert.ok(["proposer", "coder", "solver"].includes(label.actor));
        },
      ),
      { seed: 2026, numRuns: 40 },
    );
  });

  test("a unit lasts from its start to the next unit's; a cut last unit is not timed", () => {
    const labels = unitLabelsByDescription(resolveRunConfig("smoke"));
    let nowMs = 0;
    const timed: Array<[UnitLabels, number]> = [];
    const forwarded: string[] = [];
    const progress = createTimedProgress(
      labels,
      { nowMs: () => nowMs },
      (unit, seconds) => timed.push([{ actor: unit.actor, unitKind: unit.unitKind }, seconds]),
      { unit: (description) => forwarded.push(description), metrics: (label) => forwarded.push(label) },
    );
    progress.unit("benchmark: base Solver");
    nowMs += 1500;
    progress.metrics("iteration 0 benchmark", { accuracy: 0 });
    progress.unit("iteration 1 starts");
    nowMs += 250;
    progress.unit("iteration 1 · proposer · step 1");
    nowMs += 4000;
    progress.finish(false);
    assert.deepEqual(timed, [
      [{ actor: "evaluator", unitKind: "evaluate" }, 1.5],
      [{ actor: "coordinator", unitKind: "iterationStart" }, 0.25],
    ]);
    assert.deepEqual(forwarded, [
      "benchmark: base Solver",
      "iteration 0 benchmark",
      "iteration 1 starts",
      "iteration 1 · proposer · step 1",
    ]);
    progress.unit("iteration 1 · proposer · step 1");
    nowMs += 2000;
    progress.finish(true);
    assert.deepEqual(timed.at(-1), [{ actor: "proposer", unitKind: "step" }, 2]);
  });
});
