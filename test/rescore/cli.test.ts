// Goal: `mmzero rescore <run-dir> --reward-config <file|preset> [--grpo ...] [--json]` reads a run
// directory, prints the readable summary or the JSON report, and exits 1 with the reason for a
// configuration it cannot rescore.
// Method: a scripted run of the real loop recorded into a run directory (file log), then the real
// command (bin/mmzero.js) as a child process.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { makeTempDir, type TempDir } from "../support/temp-dir.ts";
import { recordScriptedRun } from "./scripted-run.ts";

function mmzero(argumentsList: readonly string[]) {
  return spawnSync(process.execPath, ["bin/mmzero.js", ...argumentsList], {
    encoding: "utf8",
    timeout: 180_000,
  });
}

describe("mmzero rescore", () => {
  let workspace: TempDir;
  let runDirectory: string;

  before(async () => {
    workspace = await makeTempDir("rescore-cli");
    runDirectory = join(workspace.path, "run");
    await recordScriptedRun({ runDirectory });
  });
  after(async () => {
    await workspace[Symbol.asyncDispose]();
  });

  test("prints the summary for a config file, and the JSON report with --json", async () => {
    const configFile = join(workspace.path, "harsher.json");
    await writeFile(configFile, JSON.stringify({ proposer: { trivialHardPenalty: 0.6 } }));
    const summary = mmzero(["rescore", runDirectory, "--reward-config", configFile]);
    assert.equal(summary.status, 0, summary.stderr);
    assert.match(summary.stdout, /proposer\.trivialHardPenalty {2}0\.3 -> 0\.6/);
    assert.match(summary.stdout, /^role +samples +changed +mean before -> after/m);
    assert.match(summary.stdout, /grpo config: unchanged/);

    const json = mmzero(["rescore", runDirectory, "--reward-config", configFile, "--grpo", "dapo", "--json"]);
    assert.equal(json.status, 0, json.stderr);
    const report = JSON.parse(json.stdout);
    assert.deepEqual(
      report.roles.map((role: { role: string }) => role.role),
      ["proposer", "coder", "solver"],
    );
    assert.ok(report.roles[0].changedSamples.length > 0);
    assert.equal(report.baseline.samplesReproduced, report.baseline.samples);
    assert.ok(
      report.grpoConfig.changes.some((change: { path: string }) => change.path === "dynamicSampling"),
    );
  });

  test("exits 1 and says why for a configuration that changes what is sampled", () => {
    const refused = mmzero(["rescore", runDirectory, "--reward-config", "release-coder-judge"]);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /judging\.judgeCoderPhaseWithPreviousCoder false -> true/);
    assert.equal(refused.stdout, "");
  });
});
