// Goal: `mmzero config` prints the resolved configuration (YAML or JSON config files, `$schema`
// ignored) and the config file's JSON Schema from the Effect schema; `mmzero run` refuses a
// directory that already holds a run, and --force replaces only a run of the same configuration.
// Method: the real binary for config and for the refusals (which happen before any model loads);
// run directories holding a small file log written through the store; --force in process.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { runIdOf } from "../../src/actors/runtime.ts";
import { prepareRunDirectory } from "../../src/cli/commands/run.ts";
import { resolveRunConfig } from "../../src/config/presets.ts";
import { openFileLog } from "../../src/store/index.ts";
import { iterationStartedDraft } from "../support/events.ts";
import { makeTempDir, type TempDir } from "../support/temp-dir.ts";

function mmzero(argumentsList: readonly string[]) {
  return spawnSync(process.execPath, ["bin/mmzero.js", ...argumentsList], {
    encoding: "utf8",
    timeout: 120_000,
  });
}

async function fakeRun(directory: string, runId: string): Promise<void> {
  await using log = await openFileLog(join(directory, "events"), { runId });
  await log.append([iterationStartedDraft(runId, 1)]);
}

describe("mmzero config and re-runs", () => {
  let workspace: TempDir;
  before(async () => {
    workspace = await makeTempDir("config-cli");
  });
  after(async () => {
    await workspace[Symbol.asyncDispose]();
  });

  test("--print resolves a preset and a YAML file, ignoring $schema", async () => {
    const file = join(workspace.path, "run.yaml");
    await writeFile(
      file,
      "# yaml-language-server: $schema=./mmzero-config.schema.json\n$schema: ./mmzero-config.schema.json\nseed: seven\niterations: 3\nsolver:\n  steps: 2\n",
    );
    const result = mmzero(["config", "--print", "--preset", "smoke", "--config", file]);
    assert.equal(result.status, 0, result.stderr);
    const expected = resolveRunConfig("smoke", { seed: "seven", iterations: 3, solver: { steps: 2 } });
    assert.deepEqual(JSON.parse(result.stdout), expected);
    assert.match(result.stderr, new RegExp(`run id ${runIdOf(expected)}`));
    await writeFile(join(workspace.path, "bad.yaml"), "iterations: [1\n");
    const bad = mmzero(["config", "--config", join(workspace.path, "bad.yaml")]);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /not valid YAML/);
  });

  test("--schema prints the config file's JSON Schema, every field optional, unknown fields rejected", () => {
    const result = mmzero(["config", "--schema"]);
    assert.equal(result.status, 0, result.stderr);
    const schema = JSON.parse(result.stdout);
    assert.equal(schema.$schema, "https://json-schema.org/draft/2020-12/schema");
    assert.equal(schema.additionalProperties, false);
    assert.deepEqual(schema.properties.iterations, {
      type: "integer",
      minimum: 1,
      maximum: Number.MAX_SAFE_INTEGER,
    });
    assert.deepEqual(schema.properties.preset.enum, ["smoke", "quick", "paper-small", "standard"]);
    assert.equal(schema.properties.proposer.properties.temperature.maximum, 5);
    assert.doesNotMatch(result.stdout, /"required"/);
    assert.ok("$schema" in schema.properties);
  });

  test("a repeated run is refused with the ways forward; another run's directory even with --force", async () => {
    const config = resolveRunConfig("smoke");
    const same = join(workspace.path, "same");
    await fakeRun(same, runIdOf(config));
    const repeated = mmzero(["run", "--preset", "smoke", "--out", same]);
    assert.equal(repeated.status, 1);
    assert.match(
      repeated.stderr,
      /already holds run smoke-[0-9a-f]{12} of this same configuration \(1 events, unfinished\)/,
    );
    assert.match(repeated.stderr, /--resume .*--force.*--seed/);
    const other = join(workspace.path, "other");
    await fakeRun(other, "quick-000000000000");
    const forced = mmzero(["run", "--preset", "smoke", "--out", other, "--force"]);
    assert.equal(forced.status, 1);
    assert.match(forced.stderr, /holds run quick-000000000000, not a run of this configuration/);
  });

  test("--force replaces a run of the same configuration", async () => {
    const config = resolveRunConfig("smoke");
    const directory = join(workspace.path, "forced");
    await fakeRun(directory, runIdOf(config));
    await writeFile(join(directory, "notes.txt"), "kept");
    await assert.rejects(prepareRunDirectory(directory, config, false), /already holds run/);
    await prepareRunDirectory(directory, config, true);
    assert.deepEqual(await readdir(directory), ["notes.txt"]);
  });
});
