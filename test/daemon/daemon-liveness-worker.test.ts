// Goal: two things a supervisor relies on, with real processes on a real nats-server: (1) a daemon
// whose run is stuck (a work request that is never answered) fails /healthz once the run has been
// quiet past --stall-limit, while /readyz's longer window still holds; (2) `mmzero worker` logs each
// request it served, at info, with its role and count.
// Method: (1) a daemon with --nats hosting every role but render; the test serves the render subject
// itself and never answers until cleanup; /healthz is polled until it fails (no timing asserted).
// (2) a `mmzero worker --roles render` child; the test sends it render requests over the bus and
// reads its JSON log lines.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { Schema } from "effect";
import { workSubjects } from "../../src/actors/wiring.ts";
import { openNatsBus } from "../../src/bus/nats-bus.ts";
import { SubmitReply } from "../../src/daemon/index.ts";
import { connectNats } from "../../src/store/jetstream/index.ts";
import { smokeOverrides, writeTestBase } from "../support/loop-fixture.ts";
import { type NatsServer, startNatsServer } from "../support/nats-server.ts";
import { makeTempDir, type TempDir } from "../support/temp-dir.ts";
import { type DaemonProcess, postJson, readDirFlags, request, startDaemon, until } from "./daemon-process.ts";

const cli = join(import.meta.dirname, "../../bin/mmzero.js");

class HeldRequestError extends Error {
  override readonly name = "HeldRequestError";
}

describe("liveness and worker logs (real processes, real nats-server)", () => {
  let workspace: TempDir;
  let nats: NatsServer;
  const daemons: DaemonProcess[] = [];

  before(async () => {
    workspace = await makeTempDir("daemon-liveness");
    nats = await startNatsServer();
  });
  after(async () => {
    for (const daemon of daemons) await daemon[Symbol.asyncDispose]();
    await nats[Symbol.asyncDispose]();
    await workspace[Symbol.asyncDispose]();
  });

  test("a run stuck past --stall-limit fails /healthz; /readyz's window is longer", async () => {
    const connection = await connectNats(nats.url, { name: "test-held-render" });
    const bus = await openNatsBus(connection);
    const held: Array<(error: Error) => void> = [];
    // Why: a render worker that takes every request and never answers is a hung worker.
    const responder = bus.serve(
      workSubjects.render,
      () => new Promise((_resolve, reject) => held.push(reject)),
    );
    try {
      const daemon = await startDaemon([
        "--runs-dir",
        join(workspace.path, "runs"),
        "--nats",
        nats.url,
        "--local-roles",
        "proposer,coder,solver,trainer",
        "--request-timeout-ms",
        "600000",
        "--stall-limit",
        "1",
        ...readDirFlags(workspace.path),
      ]);
      daemons.push(daemon);
      const overrides = smokeOverrides(await writeTestBase(workspace.path));
      const accepted = await postJson(`${daemon.url}/runs`, { preset: "smoke", config: overrides });
      assert.equal(accepted.status, 202, accepted.text);
      const { runId } = Schema.decodeUnknownSync(SubmitReply)(accepted.json());
      // A slow unit on a loaded machine may fail /healthz for a moment too: wait for the held request first.
      await until("the run waits on the held render request", async () =>
        held.length > 0 ? true : undefined,
      );
      const health = await until("/healthz fails", async () => {
        const reply = await request(`${daemon.url}/healthz`);
        return reply.status === 503 ? reply : undefined;
      });
      const body = health.json() as { status: string; reason: string };
      assert.equal(body.status, "stalled");
      assert.match(body.reason, new RegExp(`run ${runId} made no progress for \\d+ ms \\(limit 1000 ms\\)`));
      const ready = await request(`${daemon.url}/readyz`);
      assert.equal(ready.status, 200, `within the 10-minute readiness window: ${ready.text}`);
      await daemon.stop("SIGKILL");
    } finally {
      for (const reject of held.splice(0)) reject(new HeldRequestError("released by the test"));
      await responder.stop();
      await bus.close();
      await connection.close();
    }
  });

  test("mmzero worker logs each request it served: role and count, at info", async () => {
    const worker = spawn(process.execPath, [cli, "worker", "--roles", "render", "--nats", nats.url], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    worker.stderr.on("data", (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => worker.on("exit", (code) => resolve(code)));
    const connection = await connectNats(nats.url, { name: "test-render-client" });
    const bus = await openNatsBus(connection);
    try {
      await until("the worker serves", async () => (stderr.includes("serving render") ? true : undefined));
      const svg =
        '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8"/></svg>';
      for (let count = 0; count < 2; count++)
        await bus.request(workSubjects.render, { outputs: [svg], size: 16 });
      const served = await until("the worker logged two requests", async () => {
        const lines = stderr
          .split("\n")
          .filter((line) => line.startsWith("{"))
          .map((line) => JSON.parse(line) as Record<string, unknown>)
          .filter((line) => typeof line.msg === "string" && line.msg.startsWith("served "));
        return lines.length >= 2 ? lines : undefined;
      });
      assert.deepEqual(
        served.map((line) => [line.level, line.role, line.served, line.name]),
        [
          ["info", "render", 1, "mmzero-worker"],
          ["info", "render", 2, "mmzero-worker"],
        ],
      );
    } finally {
      await bus.close();
      await connection.close();
      worker.kill("SIGTERM");
      await exited;
    }
  });
});
