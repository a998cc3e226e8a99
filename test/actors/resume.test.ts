// Goal: a run killed mid-phase (SIGKILL: no cleanup at all) and resumed from its log finishes with
// exactly the events of an uninterrupted run, content hash for content hash, in the same order.
// Method: real `mmzero run` child processes on a keyed-random test base; the first is killed once
// its log holds events of the Proposer phase (polled through the read-only reader), then resumed
// with `--resume`; a reference run goes through uninterrupted; the two logs are compared.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { readFileLogReadOnly } from "../../src/store/index.ts";
import { smokeOverrides, writeTestBase } from "../support/loop-fixture.ts";
import { makeTempDir, type TempDir } from "../support/temp-dir.ts";

const cli = join(import.meta.dirname, "../../bin/mmzero.js");
const killWaitMs = 60_000;

async function contentHashes(runDirectory: string): Promise<string[]> {
  const hashes: string[] = [];
  try {
    for await (const recorded of readFileLogReadOnly(join(runDirectory, "events")))
      hashes.push(recorded.contentHash);
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "ENOENT") return [];
    throw error;
  }
  return hashes;
}

function runCli(args: readonly string[]) {
  const child = spawn(process.execPath, [cli, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: string | null; output: string }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal, output })),
  );
  return { child, exited };
}

describe("resume after SIGKILL", () => {
  let workspace: TempDir;
  let configPath: string;

  before(async () => {
    workspace = await makeTempDir("resume");
    const checkpoint = await writeTestBase(workspace.path);
    configPath = join(workspace.path, "config.json");
    await writeFile(configPath, JSON.stringify(smokeOverrides(checkpoint)));
  });
  after(async () => {
    await workspace[Symbol.asyncDispose]();
  });

  test("the resumed run's events equal an uninterrupted run's", async () => {
    const killed = join(workspace.path, "killed");
    const reference = join(workspace.path, "reference");
    const first = runCli(["run", "--preset", "smoke", "--config", configPath, "--out", killed]);
    const deadline = performance.now() + killWaitMs;
    // Kill once the Proposer phase has begun writing samples: mid-phase, before its update.
    while ((await contentHashes(killed)).length < 6) {
      assert.ok(performance.now() < deadline, "the run wrote no events in time");
      await sleep(20);
    }
    first.child.kill("SIGKILL");
    const killedExit = await first.exited;
    assert.equal(killedExit.signal, "SIGKILL");
    const cut = (await contentHashes(killed)).length;

    const resumed = await runCli(["run", "--preset", "smoke", "--config", configPath, "--resume", killed])
      .exited;
    assert.equal(resumed.code, 0, resumed.output);
    const uninterrupted = await runCli([
      "run",
      "--preset",
      "smoke",
      "--config",
      configPath,
      "--out",
      reference,
    ]).exited;
    assert.equal(uninterrupted.code, 0, uninterrupted.output);

    const resumedHashes = await contentHashes(killed);
    const referenceHashes = await contentHashes(reference);
    assert.ok(cut < referenceHashes.length, `the kill came after the run finished (${cut} events)`);
    assert.deepEqual(resumedHashes, referenceHashes);
  });
});
