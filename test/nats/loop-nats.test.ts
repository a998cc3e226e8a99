// Goal: the loop on NATS (JetStream log and blobs, work over queue groups) records exactly the
// events of the embedded run; spreading work over worker processes, killing a worker mid-step, and
// killing and restarting nats-server mid-run change nothing in the final events.
// Method: a reference `smoke` run on the embedded default; then real `mmzero run --nats` child
// processes against a real nats-server on loopback (fresh store per case), with `mmzero worker`
// children; logs compared event by event through the JetStream adapter.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { runIdOf } from "../../src/actors/index.ts";
import { resolveRunConfig } from "../../src/config/index.ts";
import { readFileLogReadOnly } from "../../src/store/index.ts";
import { connectNats, openJetStreamLog } from "../../src/store/jetstream/index.ts";
import { smokeOverrides, writeTestBase } from "../support/loop-fixture.ts";
import { startNatsServer } from "../support/nats-server.ts";
import { makeTempDir, type TempDir } from "../support/temp-dir.ts";

const cli = join(import.meta.dirname, "../../bin/mmzero.js");
const waitMs = 90_000;

function spawnCli(args: readonly string[]) {
  const child = spawn(process.execPath, [cli, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise<{ code: number | null; output: string }>((resolve) =>
    child.on("exit", (code) => resolve({ code, output })),
  );
  return { child, exited, output: () => output };
}

async function jetStreamHashes(url: string, runId: string): Promise<string[]> {
  const connection = await connectNats(url);
  try {
    const log = await openJetStreamLog(connection, runId);
    const hashes: string[] = [];
    for await (const recorded of log.read()) hashes.push(recorded.contentHash);
    await log.close();
    return hashes;
  } finally {
    await connection.close();
  }
}

async function waitFor(condition: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = performance.now() + waitMs;
  while (!(await condition())) {
    assert.ok(performance.now() < deadline, `timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe("the loop on NATS", () => {
  let workspace: TempDir;
  let configPath: string;
  let runId: string;
  let reference: string[];

  /** `mmzero run` arguments for the smoke config on the given server, writing into a fresh directory. */
  const natsRun = (url: string, out: string, ...extra: string[]) => [
    "run",
    "--preset",
    "smoke",
    "--config",
    configPath,
    "--nats",
    url,
    "--out",
    join(workspace.path, out),
    ...extra,
  ];

  before(async () => {
    workspace = await makeTempDir("loop-nats");
    const checkpoint = await writeTestBase(workspace.path);
    const overrides = smokeOverrides(checkpoint);
    configPath = join(workspace.path, "config.json");
    await writeFile(configPath, JSON.stringify(overrides));
    runId = runIdOf(resolveRunConfig("smoke", overrides));
    const embedded = await spawnCli([
      "run",
      "--preset",
      "smoke",
      "--config",
      configPath,
      "--out",
      join(workspace.path, "embedded"),
    ]).exited;
    assert.equal(embedded.code, 0, embedded.output);
    reference = [];
    for await (const recorded of readFileLogReadOnly(join(workspace.path, "embedded", "events")))
      reference.push(recorded.contentHash);
  });
  after(async () => {
    await workspace[Symbol.asyncDispose]();
  });

  test("a NATS run records the same events as the embedded run", async () => {
    await using server = await startNatsServer();
    const run = await spawnCli(natsRun(server.url, "nats")).exited;
    assert.equal(run.code, 0, run.output);
    assert.deepEqual(await jetStreamHashes(server.url, runId), reference);
  });

  test("work spread over two worker processes, one killed mid-run: same events", async () => {
    await using server = await startNatsServer();
    const workers = [1, 2].map(() =>
      spawnCli(["worker", "--roles", "coder,solver,render", "--nats", server.url]),
    );
    await waitFor(
      async () => workers.every((worker) => worker.output().includes("serving")),
      "the workers to start",
    );
    const run = spawnCli(
      natsRun(server.url, "spread", "--local-roles", "proposer,trainer", "--request-timeout-ms", "8000"),
    );
    // Kill one worker once the Coder has started judging (the log has passed the first proposals).
    await waitFor(
      async () => (await jetStreamHashes(server.url, runId).catch(() => [])).length >= 8,
      "the run to progress",
    );
    workers[0]!.child.kill("SIGKILL");
    const finished = await run.exited;
    workers[1]!.child.kill("SIGTERM");
    await workers[1]!.exited;
    assert.equal(finished.code, 0, finished.output);
    assert.deepEqual(await jetStreamHashes(server.url, runId), reference);
  });

  test("nats-server killed and restarted mid-run: the run completes with the same events", async () => {
    await using server = await startNatsServer();
    const run = spawnCli(natsRun(server.url, "restart"));
    await waitFor(
      async () => (await jetStreamHashes(server.url, runId).catch(() => [])).length >= 6,
      "the run to progress",
    );
    await server.kill();
    await sleep(300);
    await server.restart();
    const finished = await run.exited;
    assert.equal(finished.code, 0, finished.output);
    assert.deepEqual(await jetStreamHashes(server.url, runId), reference);
  });
});
