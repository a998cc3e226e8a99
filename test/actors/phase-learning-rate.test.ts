// Goal: a role's own `learningRate` overrides `optimizer.learningRate` for that role's updates only,
// and is opt-in: absent from every preset, so a configuration without it is what it was before.
// Method: the resolved presets and `phaseOptimizer`; three smoke runs on the keyed-random `test` base
// (the optimizer's rate, the Proposer's rate set to the same value, and to ten times it), compared by
// their PolicyUpdated events.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { runIdOf } from "../../src/actors/runtime.ts";
import {
  InvalidRunConfigError,
  phaseOptimizer,
  resolveRunConfig,
  runPresetNames,
} from "../../src/config/index.ts";
import type { PayloadOf } from "../../src/events/index.ts";
import { readFileLogReadOnly } from "../../src/store/index.ts";
import { quietRun, smokeOverrides, testBaseWorkspace } from "../support/loop-fixture.ts";

const roles = ["proposer", "coder", "solver"] as const;

describe("a role's own learning rate", () => {
  test("absent from every preset; overrides only its role; a positive number or refused", () => {
    for (const preset of runPresetNames) {
      const config = resolveRunConfig(preset);
      for (const role of roles) {
        assert(!("learningRate" in config[role]), `${preset} ${role}`);
        assert.deepEqual(phaseOptimizer(config, role), config.optimizer);
      }
    }
    const config = resolveRunConfig("smoke", { coder: { learningRate: 3e-4 } });
    assert.equal(phaseOptimizer(config, "coder").learningRate, 3e-4);
    assert.deepEqual(phaseOptimizer(config, "coder"), { ...config.optimizer, learningRate: 3e-4 });
    assert.equal(phaseOptimizer(config, "proposer").learningRate, config.optimizer.learningRate);
    assert.equal(phaseOptimizer(config, "solver").learningRate, config.optimizer.learningRate);
    assert.notEqual(runIdOf(config), runIdOf(resolveRunConfig("smoke")));
    for (const bad of [0, -1e-4, "fast"])
      assert.throws(
        () => resolveRunConfig("smoke", { solver: { learningRate: bad } }),
        InvalidRunConfigError,
      );
  });

  describe("in smoke runs", () => {
    const workspace = testBaseWorkspace("phase-learning-rate");

    async function updates(name: string, proposerRate?: number) {
      const overrides = smokeOverrides(workspace.checkpoint);
      const config = resolveRunConfig(
        "smoke",
        proposerRate === undefined ? overrides : { ...overrides, proposer: { learningRate: proposerRate } },
      );
      const result = await quietRun(config, `${workspace.path}/${name}`);
      assert.equal(result.status, "completed", result.failure?.message);
      const found: PayloadOf<"PolicyUpdated">[] = [];
      for await (const recorded of readFileLogReadOnly(`${workspace.path}/${name}/events`))
        if (recorded.event.type === "PolicyUpdated")
          found.push(recorded.event.payload as PayloadOf<"PolicyUpdated">);
      return { found, rate: config.optimizer.learningRate };
    }

    test("the optimizer's rate set on the role changes no update; another rate changes the role's", async () => {
      const base = await updates("optimizer-rate");
      assert.ok(
        base.found.some((update) => update.role === "proposer"),
        "the smoke run trains the Proposer",
      );
      const same = await updates("same-rate", base.rate);
      assert.deepEqual(
        same.found.map((update) => update.weightHash),
        base.found.map((update) => update.weightHash),
      );
      const faster = await updates("faster", base.rate * 10);
      const firstProposer = (run: typeof base) => run.found.find((update) => update.role === "proposer")!;
      assert.equal(firstProposer(faster).fromWeightHash, firstProposer(base).fromWeightHash);
      assert.notEqual(firstProposer(faster).weightHash, firstProposer(base).weightHash);
    });
  });
});
