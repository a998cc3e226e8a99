// Goal: nats-server SIGKILLed mid-run and restarted on the same store, with the run's work served by
// a separate worker process: the run, the worker and the log carry on, and the run ends with the
// content hashes of a fault-free run (or stops on a recoverable fault, nothing recorded, and a resume
// ends with them).
// Method: a real nats-server (kill = SIGKILL, restart on the same port and store directory), real
// `mmzero worker` and `mmzero run --nats` processes on the smoke config.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { startNatsServer } from "../support/nats-server.ts";
import {
  completeOrResume,
  endCli,
  jetStreamHashes,
  type SmokeWorkspace,
  smokeWorkspace,
  spawnCli,
  startCliWorker,
  waitFor,
} from "./support/cli-runs.ts";

describe("broker SIGKILL and restart mid-run", () => {
  let workspace: SmokeWorkspace;
  before(async () => {
    workspace = await smokeWorkspace("faults-broker-kill");
  });
  after(async () => {
    await workspace[Symbol.asyncDispose]();
  });

  test("the run and its worker carry on; the final content hashes are a fault-free run's", {
    timeout: 900_000,
  }, async () => {
    await using server = await startNatsServer();
    const worker = await startCliWorker(server.url, "coder,solver,render");
    const directory = join(workspace.path, "run");
    const runArgs = (...extra: string[]) =>
      workspace.runArgs("--nats", server.url, "--local-roles", "proposer,trainer", ...extra);
    try {
      const run = spawnCli(runArgs("--out", directory));
      await waitFor(
        async () => (await jetStreamHashes(server.url, workspace.runId)).length >= 8,
        "the Coder phase to start",
      );
      await server.kill();
      await server.restart();
      await completeOrResume(await run.exited, runArgs("--resume", directory));
      assert.deepEqual(await jetStreamHashes(server.url, workspace.runId), workspace.reference);
      assert.equal(worker.child.exitCode, null, "the worker did not survive the restart");
    } finally {
      await endCli(worker);
    }
  });
});
