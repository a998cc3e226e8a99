// Goal: the daemon on NATS (`--nats`: the run's log is a JetStream stream, its blobs the object
// store) drains on SIGTERM mid-run and, started again, finds the unfinished run in the stream and
// resumes it to exactly the events of a run done in one go.
// Method: a real nats-server on loopback (temporary store), daemon child processes; the cut is
// chosen by polling the daemon's status (its tail of the JetStream log); the resumed log is read
// through the JetStream adapter and compared with an embedded `runSession` reference (NATS and
// embedded runs record the same events: test/nats/loop-nats.test.ts).
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { Schema } from "effect";
import { runSession } from "../../src/app/index.ts";
import { resolveRunConfig } from "../../src/config/index.ts";
import {
  createNatsLogInspector,
  drainDeadlineMs,
  RunStatusReply,
  SubmitReply,
} from "../../src/daemon/index.ts";
import { readFileLogReadOnly } from "../../src/store/index.ts";
import { smokeOverrides, writeTestBase } from "../support/loop-fixture.ts";
import { type NatsServer, startNatsServer } from "../support/nats-server.ts";
import { makeTempDir, type TempDir } from "../support/temp-dir.ts";
import { type DaemonProcess, postJson, readDirFlags, request, startDaemon, until } from "./daemon-process.ts";

async function streamLog(natsUrl: string, runId: string): Promise<{ hashes: string[]; types: string[] }> {
  await using inspector = await createNatsLogInspector(natsUrl);
  const hashes: string[] = [];
  const types: string[] = [];
  for await (const recorded of inspector.read(runId, "", 1)) {
    hashes.push(recorded.contentHash);
    types.push(recorded.event.type);
  }
  return { hashes, types };
}

async function status(daemon: DaemonProcess, runId: string) {
  return Schema.decodeUnknownSync(RunStatusReply)(
    (await request(`${daemon.url}/runs/${runId}/status`)).json(),
  );
}

describe("mmzero daemon --nats (real processes)", () => {
  let workspace: TempDir;
  let nats: NatsServer;
  let overrides: Record<string, unknown>;
  const daemons: DaemonProcess[] = [];

  before(async () => {
    workspace = await makeTempDir("daemon-nats");
    nats = await startNatsServer();
    overrides = { ...smokeOverrides(await writeTestBase(workspace.path)), iterations: 2 };
  });
  after(async () => {
    for (const daemon of daemons) await daemon[Symbol.asyncDispose]();
    await nats[Symbol.asyncDispose]();
    await workspace[Symbol.asyncDispose]();
  });

  test("SIGTERM mid-run, start again: the run resumes from the stream with the one-go events", async () => {
    const args = [
      "--runs-dir",
      join(workspace.path, "runs"),
      "--nats",
      nats.url,
      ...readDirFlags(workspace.path),
    ];
    const first = await startDaemon(args);
    daemons.push(first);
    const accepted = await postJson(`${first.url}/runs`, { preset: "smoke", config: overrides });
    assert.equal(accepted.status, 202, accepted.text);
    const { runId } = Schema.decodeUnknownSync(SubmitReply)(accepted.json());
    await until("the run has events of iteration 1", async () =>
      (await status(first, runId)).events >= 6 ? true : undefined,
    );
    const exit = await first.stop("SIGTERM");
    assert.equal(exit.code, 0, first.log());
    assert.ok(exit.exitMs < drainDeadlineMs, `the daemon took ${exit.exitMs} ms to exit`);
    const cut = await streamLog(nats.url, runId);
    assert.ok(
      !cut.types.includes("RunCompleted"),
      "the run completed before the SIGTERM: the test cut nothing",
    );

    const second = await startDaemon(args);
    daemons.push(second);
    await until("the resumed run completes", async () =>
      (await status(second, runId)).status === "completed" ? true : undefined,
    );
    const reference = await runSession({
      config: resolveRunConfig("smoke", overrides),
      outDir: join(workspace.path, "reference"),
      resume: false,
      progress: { unit() {}, metrics() {} },
      clock: { nowIso: () => "2026-01-01T00:00:00.000Z" },
    });
    const oneGo: string[] = [];
    for await (const recorded of readFileLogReadOnly(join(reference.outDir, "events")))
      oneGo.push(recorded.contentHash);
    assert.ok(cut.hashes.length < oneGo.length);
    assert.deepEqual((await streamLog(nats.url, runId)).hashes, oneGo);
    const exitAgain = await second.stop("SIGTERM");
    assert.equal(exitAgain.code, 0, second.log());
  });
});
