// Goal: `mmzero export` writes a run's metrics, samples and events in JSON lines, CSV and Parquet
// with the promised fields, the Parquet file reads back with an independent reader to the same
// values, and a directory without a log is an error naming what was expected.
// Method: a scripted run of the real loop recorded into a run directory (file log), the real
// command (bin/mmzero.js) as a child process, hyparquet (a separate reader package) for Parquet.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { parquetMetadata, parquetReadObjects, parquetSchema } from "hyparquet";
import { flattenRow } from "../../src/export/index.ts";
import { recordScriptedRun } from "../rescore/scripted-run.ts";
import { makeTempDir, type TempDir } from "../support/temp-dir.ts";

function mmzero(argumentsList: readonly string[]) {
  return spawnSync(process.execPath, ["bin/mmzero.js", ...argumentsList], {
    encoding: "utf8",
    timeout: 120_000,
    maxBuffer: 512 * 1024 * 1024,
  });
}

function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line));
}

describe("mmzero export", () => {
  let workspace: TempDir;
  let runDirectory: string;

  before(async () => {
    workspace = await makeTempDir("export-cli");
    runDirectory = join(workspace.path, "run");
    await recordScriptedRun({ runDirectory });
  });
  after(async () => {
    await workspace[Symbol.asyncDispose]();
  });

  test("metrics: one row per unit with numeric iteration and 1-based step, phase and role", () => {
    const result = mmzero(["export", runDirectory, "--what", "metrics"]);
    assert.equal(result.status, 0, result.stderr);
    const rows = jsonLines(result.stdout);
    const steps = rows.filter((row) => row.stage === "step");
    assert.ok(steps.length > 0);
    for (const row of rows) {
      assert.equal(typeof row.iteration, "number");
      assert.equal(typeof row.step, "number");
      assert.ok(["proposer", "coder", "solver", "benchmark"].includes(String(row.phase)));
      assert.ok(["proposer", "coder", "solver"].includes(String(row.role)));
    }
    assert.equal(Math.min(...steps.map((row) => Number(row.step))), 1);
    assert.ok(steps.some((row) => typeof (row.grpo as Record<string, unknown>).loss === "number"));
    // The scripted run evaluates an empty benchmark: its rows exist, with no accuracy to report.
    assert.ok(rows.some((row) => row.stage === "benchmark" && row.items === 0 && row.accuracy === null));
  });

  test("samples: prompt, output, render outcome, answers, reward and components as CSV columns", () => {
    const result = mmzero(["export", runDirectory, "--what", "samples", "--format", "csv"]);
    assert.equal(result.status, 0, result.stderr);
    const header = result.stdout.split("\r\n")[0]?.split(",") ?? [];
    for (const column of ["role", "iteration", "step", "prompt", "output", "render.outcome", "reward"])
      assert.ok(header.includes(column), `missing column ${column} in ${header.join(",")}`);
    assert.ok(header.some((column) => column.startsWith("components.")));
    assert.ok(header.some((column) => column.startsWith("answers.")));
    const json = jsonLines(mmzero(["export", runDirectory, "--what", "samples"]).stdout);
    const roles = new Set(json.map((row) => row.role));
    assert.deepEqual([...roles].sort(), ["coder", "proposer", "solver"]);
    const coder = json.filter((row) => row.role === "coder");
    const outcomes = new Set(coder.map((row) => (row.render as Record<string, unknown>).outcome));
    assert.ok(outcomes.has("rendered") && outcomes.size > 1, `render outcomes ${[...outcomes]}`);
    assert.ok(
      json.every((row) => row.role !== "coder" || typeof row.prompt === "string" || row.prompt === null),
    );
    assert.ok(json.some((row) => typeof row.reward === "number"));
  });

  test("Parquet reads back with hyparquet to the same values as the JSON lines", async () => {
    for (const what of ["metrics", "samples", "events"] as const) {
      const out = join(workspace.path, `${what}.parquet`);
      const written = mmzero(["export", runDirectory, "--what", what, "--format", "parquet", "--out", out]);
      assert.equal(written.status, 0, written.stderr);
      const expected = jsonLines(mmzero(["export", runDirectory, "--what", what]).stdout).map((row) =>
        flattenRow(row as never),
      );
      const bytes = await readFile(out);
      const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
      const rows = await parquetReadObjects({ file });
      assert.equal(rows.length, expected.length, what);
      const schema = parquetSchema(parquetMetadata(file));
      const columns = schema.children.map((child) => child.element.name);
      for (const [index, row] of expected.entries()) {
        for (const column of columns) {
          const value = row[column] ?? null;
          const read = rows[index]?.[column];
          const normalised = typeof read === "bigint" ? Number(read) : (read ?? null);
          assert.deepEqual(normalised, value, `${what} row ${index} column ${column}`);
        }
      }
      if (what === "metrics") {
        const iteration = schema.children.find((child) => child.element.name === "iteration");
        assert.equal(iteration?.element.type, "INT32");
      }
    }
  });

  test("events: one decoded event per line, as many as the log holds", () => {
    const result = mmzero(["export", runDirectory, "--what", "events"]);
    assert.equal(result.status, 0, result.stderr);
    const rows = jsonLines(result.stdout);
    const count = Number(mmzero(["log", runDirectory, "--hash"]).stdout.split(" ")[0]);
    assert.equal(rows.length, count);
    assert.deepEqual(
      rows.map((row) => row.seq),
      rows.map((_, index) => index + 1),
    );
    assert.equal(typeof (rows[0]?.payload as Record<string, unknown>)?.config, "object");
  });

  test("a directory without events, or with an empty log, is an error naming what was expected", async () => {
    const missing = mmzero(["export", join(workspace.path, "nothing-here")]);
    assert.equal(missing.status, 1);
    assert.match(
      missing.stderr,
      /nothing-here is not a run directory: expected an events\/ directory .*the path does not exist/,
    );
    const empty = join(workspace.path, "empty");
    await mkdir(join(empty, "events"), { recursive: true });
    const result = mmzero(["export", empty]);
    assert.equal(result.status, 1);
    assert.match(
      result.stderr,
      /empty is not a run directory: .*its events\/ directory holds no log segment/,
    );
    const wrong = mmzero(["export", runDirectory, "--what", "everything"]);
    assert.notEqual(wrong.status, 0);
    assert.match(wrong.stderr, /--what must be one of metrics, samples, events/);
  });
});
