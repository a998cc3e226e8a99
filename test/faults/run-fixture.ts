// A small real run for the slow fault tests: a smoke run of one iteration on the keyed-random test
// base, given to `mmzero run` as a config file, and the chain head a fault-free run of it ends with.
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { smokeOverrides, writeTestBase } from "../support/loop-fixture.ts";
import { runCli } from "./cli.ts";

/** `mmzero run` flags for the fault runs (add --out or --resume). */
export async function faultRunFlags(workspace: string): Promise<string[]> {
  const config = join(workspace, "fault-run.json");
  await writeFile(
    config,
    JSON.stringify({ ...smokeOverrides(await writeTestBase(workspace)), iterations: 1 }),
  );
  return ["run", "--preset", "smoke", "--seed", "15", "--config", config];
}

/** `mmzero log --hash` of a run directory: "<count> <chain head>". */
export async function logHash(runDirectory: string): Promise<string> {
  const result = await runCli(["log", runDirectory, "--hash"]);
  assert.equal(result.code, 0, result.stderr);
  return result.stdout.trim();
}
