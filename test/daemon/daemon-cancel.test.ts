// Goal: `DELETE /runs/<id>` on a real `mmzero daemon`: a queued run is cancelled at once (200), a
// running one stops after its current unit (202, then "cancelled") with nothing recorded about it in
// its log (no RunCompleted, no RunFailed); both stay cancelled across a restart (never resumed) and
// a resubmission of the same config starts nothing. Also, on the same process: `GET /` lists the
// runs (JSON for scripts, HTML for browsers) and every log line is JSON with the level's name.
// Method: daemon child processes on a free port and one temporary runs directory; smoke runs on a
// keyed-random test base (2 iterations, so the run is long enough to be cut); the cancel is sent once
// the daemon's status shows events of the running run; logs read with the read-only reader.
import assert from "node:assert/strict";
import { access } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { Schema } from "effect";
import { cancellationFileName, RunListReply, RunStatusReply, SubmitReply } from "../../src/daemon/index.ts";
import { readFileLogReadOnly } from "../../src/store/index.ts";
import { smokeOverrides, writeTestBase } from "../support/loop-fixture.ts";
import { makeTempDir, type TempDir } from "../support/temp-dir.ts";
import { type DaemonProcess, postJson, readDirFlags, request, startDaemon, until } from "./daemon-process.ts";

const CancelReply = Schema.Struct({ outcome: Schema.String, run: RunStatusReply });

async function eventTypes(runDirectory: string): Promise<string[]> {
  const types: string[] = [];
  for await (const recorded of readFileLogReadOnly(join(runDirectory, "events")))
    types.push(recorded.event.type);
  return types;
}

async function status(daemon: DaemonProcess, runId: string) {
  const reply = await request(`${daemon.url}/runs/${runId}/status`);
  assert.equal(reply.status, 200, reply.text);
  return Schema.decodeUnknownSync(RunStatusReply)(reply.json());
}

function cancel(daemon: DaemonProcess, runId: string) {
  return request(`${daemon.url}/runs/${runId}`, { method: "DELETE" });
}

describe("DELETE /runs/<id> on a real daemon", () => {
  let workspace: TempDir;
  let runsDirectory: string;
  let overrides: Record<string, unknown>;
  const daemons: DaemonProcess[] = [];
  let running: string;
  let queued: string;

  before(async () => {
    workspace = await makeTempDir("daemon-cancel");
    runsDirectory = join(workspace.path, "runs");
    overrides = { ...smokeOverrides(await writeTestBase(workspace.path)), iterations: 2 };
  });
  after(async () => {
    for (const daemon of daemons) await daemon[Symbol.asyncDispose]();
    await workspace[Symbol.asyncDispose]();
  });

  test("a queued run is cancelled at once, a running one after its unit; GET / lists them", async () => {
    const daemon = await startDaemon(["--runs-dir", runsDirectory, ...readDirFlags(workspace.path)]);
    daemons.push(daemon);
    const submit = async (config: Record<string, unknown>) => {
      const reply = await postJson(`${daemon.url}/runs`, { preset: "smoke", config });
      assert.equal(reply.status, 202, reply.text);
      return Schema.decodeUnknownSync(SubmitReply)(reply.json()).runId;
    };
    running = await submit(overrides);
    queued = await submit({ ...overrides, seed: "2" });

    const queuedReply = await cancel(daemon, queued);
    assert.equal(queuedReply.status, 200, queuedReply.text);
    const queuedCancel = Schema.decodeUnknownSync(CancelReply)(queuedReply.json());
    assert.deepEqual([queuedCancel.outcome, queuedCancel.run.status], ["cancelled", "cancelled"]);

    await until("the run has recorded events", async () => {
      const view = await status(daemon, running);
      return view.status === "running" && view.events >= 6 ? true : undefined;
    });
    const runningReply = await cancel(daemon, running);
    assert.equal(runningReply.status, 202, runningReply.text);
    assert.equal(Schema.decodeUnknownSync(CancelReply)(runningReply.json()).outcome, "cancelling");
    await until("the running run is cancelled", async () =>
      (await status(daemon, running)).status === "cancelled" ? true : undefined,
    );
    const types = await eventTypes(join(runsDirectory, running));
    assert.ok(!types.includes("RunCompleted"), "the run completed before the cancel: the test cut nothing");
    assert.ok(!types.includes("RunFailed"), "a cancel records no failure");
    for (const runId of [running, queued]) await access(join(runsDirectory, runId, cancellationFileName));
    const again = await cancel(daemon, running);
    assert.equal(again.status, 200, "cancelling a cancelled run answers the same");

    const list = Schema.decodeUnknownSync(RunListReply)((await request(`${daemon.url}/`)).json());
    assert.deepEqual(
      list.runs.map((run) => [run.runId, run.status]),
      [
        [running, "cancelled"],
        [queued, "cancelled"],
      ],
    );
    const page = await request(`${daemon.url}/`, { headers: { accept: "text/html,*/*;q=0.8" } });
    assert.match(page.contentType, /text\/html/);
    assert.ok(page.text.includes(`href="/runs/${running}"`), page.text);
    const metrics = await request(`${daemon.url}/metrics`);
    assert.match(metrics.text, /mmzero_runs\{status="cancelled"\} 2\n/);

    const exit = await daemon.stop("SIGTERM");
    assert.equal(exit.code, 0, daemon.log());
    const lines = daemon.log().trim().split("\n");
    for (const line of lines) {
      const level = (JSON.parse(line) as { level: unknown }).level;
      assert.ok(["trace", "debug", "info", "warn", "error", "fatal"].includes(String(level)), line);
    }
    assert.ok(
      lines.some((line) => line.includes(`run ${running} cancelled between units`)),
      daemon.log(),
    );
  });

  test("started again, the daemon resumes neither cancelled run; resubmitting starts nothing", async () => {
    const daemon = await startDaemon(["--runs-dir", runsDirectory, ...readDirFlags(workspace.path)]);
    daemons.push(daemon);
    for (const runId of [running, queued]) assert.equal((await status(daemon, runId)).status, "cancelled");
    const ready = await request(`${daemon.url}/readyz`);
    assert.equal(ready.status, 200, ready.text);
    assert.match(ready.text, /idle/);
    const resubmitted = await postJson(`${daemon.url}/runs`, { preset: "smoke", config: overrides });
    assert.equal(resubmitted.status, 200, resubmitted.text);
    const reply = Schema.decodeUnknownSync(SubmitReply)(resubmitted.json());
    assert.deepEqual([reply.runId, reply.status, reply.created], [running, "cancelled", false]);
    const exit = await daemon.stop("SIGTERM");
    assert.equal(exit.code, 0, daemon.log());
    assert.doesNotMatch(daemon.log(), /"msg":"run \S+ starts/, "no run started");
  });
});
