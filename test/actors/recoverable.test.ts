// Goal: the failures a resume can get past (faults of the environment) are told from the ones it
// cannot, from the error itself or from what a worker reported across the bus.
// Method: real error objects of each layer (a Node system error, the bus's and store's typed errors)
// and the text a remote failure carries.
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { describe, test } from "node:test";
import { DeterminismViolationError } from "../../src/actors/recorder.ts";
import { isRecoverableFailure } from "../../src/actors/recoverable.ts";
import { NoResponderError, RemoteError, RequestTimeoutError } from "../../src/bus/bus.ts";
import { BlobNotFoundError } from "../../src/store/errors.ts";

describe("isRecoverableFailure", () => {
  test("environment faults are recoverable: system codes, timeouts, no responder, a missing blob", async () => {
    const systemError = await writeFile("/nonexistent-directory/file", "x").catch((error: unknown) => error);
    assert.equal(isRecoverableFailure(systemError), false, "ENOENT is not an environment fault that passes");
    const full = Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
    assert.equal(isRecoverableFailure(full), true);
    assert.equal(isRecoverableFailure(new RequestTimeoutError("mmzero.work.render", 10)), true);
    assert.equal(isRecoverableFailure(new NoResponderError("mmzero.work.update")), true);
    assert.equal(isRecoverableFailure(new BlobNotFoundError("a".repeat(64))), true);
    assert.equal(isRecoverableFailure(new Error("wrapped", { cause: full })), true);
  });

  test("a worker's fault reported across the bus is judged by the name or code it carries", () => {
    const remoteFull = new RemoteError("mmzero.work.render", "Error", "ENOSPC: no space left on device");
    assert.equal(isRecoverableFailure(remoteFull), true);
    const remoteRefusal = new RemoteError("mmzero.work.update", "MalformedMessageError", "does not fit");
    assert.equal(isRecoverableFailure(remoteRefusal), false);
  });

  test("determinism violations, plain errors and non-errors are permanent", () => {
    assert.equal(isRecoverableFailure(new DeterminismViolationError(3, "RewardScored", "a", "b")), false);
    assert.equal(isRecoverableFailure(new TypeError("x is undefined")), false);
    assert.equal(isRecoverableFailure("ENOSPC"), false);
    assert.equal(isRecoverableFailure(undefined), false);
  });
});
