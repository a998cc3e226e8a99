// Goal: on the cpu backend too, the same seed and inputs give identical weight hashes after every
// update; another seed differs. (cpu and wasm differ from each other in the last bits: see
// docs/model.md.)
// Method: the short training run of training-run.ts, twice, on cpu.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { trainingRunHashes } from "./training-run.ts";

describe("determinism on cpu", () => {
  test("same seed and inputs, same weight hash after every update; another seed differs", async () => {
    const first = await trainingRunHashes("cpu", "determinism", 2);
    const second = await trainingRunHashes("cpu", "determinism", 2);
    assert.deepEqual(second, first);
    const other = await trainingRunHashes("cpu", "other seed", 2);
    assert.notEqual(other.at(-1), first.at(-1));
  });
});
