// Goal: the single writer of a run's log, SIGKILLed mid-run, loses no event it had acknowledged, and
// a resume (taking over its stale writer.lock) ends with the content hashes of a fault-free run; two
// writers started on one run directory at once never both write: one completes, the other is refused
// with a clear error, and the log is the fault-free one.
// Method: real `mmzero run` processes on the smoke config. Acknowledged events are counted from the
// outside: every event a read-only reader has seen was written by a completed append, so every one
// must still be there, unchanged and in place, after the kill.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileLogHashes, type SmokeWorkspace, smokeWorkspace, spawnCli, waitFor } from "./support/cli-runs.ts";

describe("the run's writer", () => {
  let workspace: SmokeWorkspace;
  before(async () => {
    workspace = await smokeWorkspace("faults-writer");
  });
  after(async () => {
    await workspace[Symbol.asyncDispose]();
  });

  test("SIGKILL mid-run: every acknowledged event survives; the resume takes the stale lock and ends identically", {
    timeout: 900_000,
  }, async () => {
    const directory = join(workspace.path, "killed");
    const run = spawnCli(workspace.runArgs("--out", directory));
    let acknowledged: string[] = [];
    await waitFor(async () => {
      acknowledged = await fileLogHashes(directory);
      return acknowledged.length >= 10;
    }, "ten acknowledged events");
    run.child.kill("SIGKILL");
    const killed = await run.exited;
    assert.equal(killed.signal, "SIGKILL");
    assert.ok(existsSync(join(directory, "events", "writer.lock")), "a SIGKILLed writer leaves its lock");

    const survived = await fileLogHashes(directory);
    assert.ok(survived.length >= acknowledged.length, `${survived.length} < ${acknowledged.length}`);
    assert.deepEqual(survived.slice(0, acknowledged.length), acknowledged);
    assert.ok(survived.length < workspace.reference.length, "the run finished before the kill");
    assert.deepEqual(survived, workspace.reference.slice(0, survived.length));

    const resumed = await spawnCli(workspace.runArgs("--resume", directory)).exited;
    assert.equal(resumed.code, 0, resumed.output);
    assert.deepEqual(await fileLogHashes(directory), workspace.reference);
  });

  test("two writers on one run directory at once: one completes, the other is refused, the log is a fault-free run's", {
    timeout: 900_000,
  }, async () => {
    const directory = join(workspace.path, "contended");
    const writers = [0, 1].map(() => spawnCli(workspace.runArgs("--out", directory)));
    const exits = await Promise.all(writers.map((writer) => writer.exited));
    const codes = exits.map((exit) => exit.code).sort();
    assert.deepEqual(codes, [0, 1], exits.map((exit) => exit.output).join("\n---\n"));
    const refused = exits.find((exit) => exit.code === 1)!;
    // It met the lock of the running writer, or found the run already there (mmzero run refuses a
    // directory that holds a run of its configuration: use --resume or --force).
    assert.match(
      refused.output,
      /LogLockedError|is being written by process|already has events|already holds run/,
    );
    assert.deepEqual(await fileLogHashes(directory), workspace.reference);
  });
});
