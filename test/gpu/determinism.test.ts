// Goal: on the default backend (wasm), the same seed and inputs give identical weight hashes after
// every update (supervised and GRPO, sampling included), in the same process and in another one; on
// cpu too, in the same process; a different seed gives different hashes. (cpu and wasm differ from
// each other in the last bits: see docs/model.md.)
// Method: run the short training run of training-run.ts twice per backend here, once more on wasm in
// a child process.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { describe, test } from "node:test";
import { portableBackendDefault } from "../../src/gpu/index.ts";
import { trainingRunHashes } from "./training-run.ts";

const steps = 2;

describe(`determinism on ${portableBackendDefault}`, () => {
  test("same seed and inputs, same weight hash after every update; another seed differs", async () => {
    const first = await trainingRunHashes(portableBackendDefault, "determinism", steps);
    const second = await trainingRunHashes(portableBackendDefault, "determinism", steps);
    assert.equal(first.length, steps + 1);
    assert.deepEqual(second, first);
    assert.equal(new Set(first).size, first.length, "every update changes the weights");
    const other = await trainingRunHashes(portableBackendDefault, "other seed", steps);
    assert.notEqual(other.at(-1), first.at(-1));
  });

  test("another process reaches the same hashes", async () => {
    const here = await trainingRunHashes(portableBackendDefault, "cross-process", 2);
    const output = execFileSync(
      process.execPath,
      ["--import", "tsx", "test/gpu/training-run-child.ts", portableBackendDefault, "cross-process", "2"],
      { encoding: "utf8" },
    );
    assert.deepEqual(JSON.parse(output), here);
  });
});

describe("determinism on cpu", () => {
  test("same seed and inputs, same weight hash after every update; another seed differs", async () => {
    const first = await trainingRunHashes("cpu", "determinism", 2);
    const second = await trainingRunHashes("cpu", "determinism", 2);
    assert.deepEqual(second, first);
    const other = await trainingRunHashes("cpu", "other seed", 2);
    assert.notEqual(other.at(-1), first.at(-1));
  });
});
