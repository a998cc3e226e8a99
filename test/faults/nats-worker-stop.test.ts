// Goal: a worker process frozen mid-run (SIGSTOP, later SIGCONT) costs time, never content. With a
// second worker the run completes or stops on a recoverable fault; with the only worker frozen it
// stops on the worker timeout, recoverable: exit 75, no RunFailed in the log (issue 15, defect 5:
// it used to append RunFailed, and the resumed run ended with another chain head). Either way a
// resume after SIGCONT ends with the content hashes of a fault-free run.
// Method: a real nats-server, real `mmzero worker` and `mmzero run --nats` processes on the smoke
// config; the stop comes once the log holds Proposer samples; hashes read through the JetStream log.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { startNatsServer } from "../support/nats-server.ts";
import {
  completeOrResume,
  endCli,
  jetStreamHashes,
  jetStreamRecords,
  recoverableExitCode,
  type SmokeWorkspace,
  smokeWorkspace,
  spawnCli,
  startCliWorker,
  waitFor,
} from "./support/cli-runs.ts";

describe("worker SIGSTOP then SIGCONT", () => {
  let workspace: SmokeWorkspace;
  before(async () => {
    workspace = await smokeWorkspace("faults-worker-stop");
  });
  after(async () => {
    await workspace[Symbol.asyncDispose]();
  });

  /** `mmzero run --nats` hosting the Proposer and Trainer itself; workers serve the rest. */
  const natsRun = (url: string, timeoutMs: number, ...extra: string[]) =>
    workspace.runArgs(
      "--nats",
      url,
      "--local-roles",
      "proposer,trainer",
      "--request-timeout-ms",
      String(timeoutMs),
      ...extra,
    );

  test("the only worker frozen: a recoverable stop with nothing recorded, then a resume identical to a fault-free run", {
    timeout: 900_000,
  }, async () => {
    await using server = await startNatsServer();
    const worker = await startCliWorker(server.url, "coder,solver,render");
    const directory = join(workspace.path, "only-worker");
    try {
      const run = spawnCli(natsRun(server.url, 5000, "--out", directory));
      await waitFor(
        async () => (await jetStreamHashes(server.url, workspace.runId)).length >= 8,
        "the Coder phase to start",
      );
      worker.child.kill("SIGSTOP");
      const stopped = await run.exited;
      assert.equal(stopped.code, recoverableExitCode, stopped.output);
      assert.match(stopped.output, /RequestTimeoutError/);
      const cut = await jetStreamRecords(server.url, workspace.runId);
      assert.ok(
        cut.every((record) => record.type !== "RunFailed"),
        "a recoverable fault was recorded",
      );
      assert.ok(cut.length < workspace.reference.length);
      assert.deepEqual(
        cut.map((record) => record.contentHash),
        workspace.reference.slice(0, cut.length),
      );

      worker.child.kill("SIGCONT");
      const resumed = await spawnCli(natsRun(server.url, 60_000, "--resume", directory)).exited;
      assert.equal(resumed.code, 0, resumed.output);
      assert.deepEqual(await jetStreamHashes(server.url, workspace.runId), workspace.reference);
    } finally {
      await endCli(worker);
    }
  });

  test("one of two workers frozen: the run completes, or stops recoverably and a resume completes; the same hashes", {
    timeout: 900_000,
  }, async () => {
    await using server = await startNatsServer();
    const frozen = await startCliWorker(server.url, "coder,solver,render");
    const healthy = await startCliWorker(server.url, "coder,solver,render");
    const directory = join(workspace.path, "two-workers");
    try {
      const run = spawnCli(natsRun(server.url, 5000, "--out", directory));
      await waitFor(
        async () => (await jetStreamHashes(server.url, workspace.runId)).length >= 8,
        "the Coder phase to start",
      );
      const frozenAt = (await jetStreamHashes(server.url, workspace.runId)).length;
      frozen.child.kill("SIGSTOP");
      // Continued once the healthy worker has carried the run past the freeze (or the run has ended).
      await waitFor(
        async () =>
          run.child.exitCode !== null ||
          (await jetStreamHashes(server.url, workspace.runId)).length >= frozenAt + 6,
        "the run to go on without the frozen worker",
      );
      frozen.child.kill("SIGCONT");
      await completeOrResume(await run.exited, natsRun(server.url, 60_000, "--resume", directory));
      assert.deepEqual(await jetStreamHashes(server.url, workspace.runId), workspace.reference);
    } finally {
      await endCli(frozen);
      await endCli(healthy);
    }
  });
});
