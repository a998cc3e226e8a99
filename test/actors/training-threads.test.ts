// Goal: `optimizer.threads` is opt-in: absent, the configuration (and so every event) is what it was
// before the option existed; 2 is part of the run's configuration and identity, and a run with it
// is deterministic: two smoke runs give the same events, content hash for content hash.
// Method: the resolved presets; two smoke runs with threads 2 on the keyed-random `test` base.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { runIdOf } from "../../src/actors/runtime.ts";
import { InvalidRunConfigError, resolveRunConfig, runPresetNames } from "../../src/config/index.ts";
import { quietRun, smokeOverrides, testBaseWorkspace } from "../support/loop-fixture.ts";

describe("optimizer.threads", () => {
  test("absent from every preset; 1 or 2 accepted, other values refused; 2 changes the run id", () => {
    for (const preset of runPresetNames) assert(!("threads" in resolveRunConfig(preset).optimizer));
    const two = resolveRunConfig("smoke", { optimizer: { threads: 2 } });
    assert.equal(two.optimizer.threads, 2);
    assert.notEqual(runIdOf(two), runIdOf(resolveRunConfig("smoke")));
    assert.throws(() => resolveRunConfig("smoke", { optimizer: { threads: 3 } }), InvalidRunConfigError);
  });

  describe("two smoke runs with threads 2", () => {
    const workspace = testBaseWorkspace("training-threads");

    test("reach the same chain head", async () => {
      const config = resolveRunConfig("smoke", {
        ...smokeOverrides(workspace.checkpoint),
        optimizer: { threads: 2 },
      });
      const heads: string[] = [];
      for (const name of ["a", "b"]) {
        const result = await quietRun(config, `${workspace.path}/${name}`);
        assert.equal(result.status, "completed", result.failure?.message);
        heads.push(result.chainHead);
      }
      assert.equal(heads[1], heads[0]);
    });
  });
});
