// Goal: `mmzero run` stops cleanly on SIGTERM and on a terminal's Ctrl-C (SIGINT to its whole process
// group, render workers included): it finishes the current unit, releases writer.lock, exits 128+n
// and prints the command that continues the run; that command ends with the content hashes of a
// fault-free run (issue 15, defect 7: it used to die at once and leave writer.lock behind).
// Method: the real binary on the smoke config; the signal is sent once the log holds Proposer
// samples; the printed resume command is run as printed.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileLogHashes, type SmokeWorkspace, smokeWorkspace, spawnCli, waitFor } from "./support/cli-runs.ts";

describe("mmzero run on SIGTERM and SIGINT", () => {
  let workspace: SmokeWorkspace;
  before(async () => {
    workspace = await smokeWorkspace("faults-signals");
  });
  after(async () => {
    await workspace[Symbol.asyncDispose]();
  });

  for (const [signal, code, toGroup] of [
    ["SIGTERM", 143, false],
    ["SIGINT", 130, true],
  ] as const) {
    test(`${signal}${toGroup ? " to the process group" : ""}: stops after the unit, releases the lock, prints a resume that completes identically`, {
      timeout: 900_000,
    }, async () => {
      const directory = join(workspace.path, signal);
      const run = spawnCli(workspace.runArgs("--out", directory), { detached: toGroup });
      await waitFor(async () => (await fileLogHashes(directory)).length >= 6, "Proposer samples in the log");
      const pid = run.child.pid;
      assert.ok(pid !== undefined);
      process.kill(toGroup ? -pid : pid, signal);
      const stopped = await run.exited;
      assert.equal(stopped.code, code, stopped.output);
      assert.match(stopped.output, new RegExp(`stopped on ${signal}; continue with:`));
      assert.equal(existsSync(join(directory, "events", "writer.lock")), false);
      const cut = await fileLogHashes(directory);
      assert.ok(cut.length < workspace.reference.length, "the run finished before the signal arrived");
      assert.deepEqual(cut, workspace.reference.slice(0, cut.length));

      const command = /continue with:\n {2}mmzero (.+)\n/.exec(stopped.output)?.[1];
      assert.ok(command !== undefined, stopped.output);
      assert.match(command, new RegExp(`--resume ${directory}$`));
      const resumed = await spawnCli(command.split(" ")).exited;
      assert.equal(resumed.code, 0, resumed.output);
      assert.deepEqual(await fileLogHashes(directory), workspace.reference);
    });
  }
});
