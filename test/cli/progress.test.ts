// Goal: honest progress and tables: `unit x/N` of the run's schedule with an ETA that counts only
// the work done here, no "done in" lines, a loud warning when a phase keeps nothing to train on,
// plain lines (at most ~100) off a terminal, tables that fit the width, and run.log lines with the
// unit's numeric iteration and 1-based step as fields.
// Method: the console progress over a real schedule with a recording display; the display on a
// non-TTY stream; fast-check for the column fitting; withStructuredLog into a temp run directory.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { describe, test } from "node:test";
import fc from "fast-check";
import { buildSchedule } from "../../src/actors/schedule.ts";
import { withStructuredLog } from "../../src/app/run-logger.ts";
import { createConsoleProgress } from "../../src/cli/ui/progress.ts";
import { createProgressDisplay, formatEta, type ProgressDisplay } from "../../src/cli/ui/progress-display.ts";
import { fitColumns, formatTable } from "../../src/cli/ui/table.ts";
import { makeTempDir } from "../support/temp-dir.ts";

function recordingDisplay() {
  const lines: string[] = [];
  const updates: [number, number][] = [];
  const display: ProgressDisplay = {
    log: (line) => lines.push(line),
    update: (done, total) => updates.push([done, total]),
    stop: () => {},
  };
  return { display, lines, updates };
}

describe("progress and tables", () => {
  test("units show x/N of the schedule; empty phases warn; no 'done in' lines", () => {
    const schedule = buildSchedule({ iterations: 1, steps: { proposer: 1, coder: 2, solver: 1 } });
    const { display, lines, updates } = recordingDisplay();
    const progress = createConsoleProgress(schedule, display);
    const step = schedule.findIndex(
      (unit) => unit.kind === "step" && unit.phase === "coder" && unit.step === 1,
    );
    assert.ok(step > 0);
    progress.unit("iteration 1 · coder · step 2", schedule[step]);
    progress.metrics("iteration 1 coder prompts", { candidates: 8, valid: 6, kept: 0 });
    progress.metrics("iteration 1 coder step 2", { prompts: 3, reward: 0.5 });
    assert.match(
      lines[0] ?? "",
      new RegExp(`unit +${step + 1}/${schedule.length}  iteration 1 · coder · step 2$`),
    );
    assert.deepEqual(updates, [[step, schedule.length]]);
    assert.equal(
      lines.filter((line) => /WARNING: iteration 1 coder prompts has nothing to train on/.test(line)).length,
      1,
    );
    assert.equal(lines.filter((line) => line.includes("WARNING")).length, 1);
    assert.ok(lines.every((line) => !line.includes("done in")));
  });

  test("the ETA counts the pace of the work done here only", () => {
    assert.equal(formatEta(10_000, 2, 2, 4), "~10s");
    // Resumed at 50 of 100: 10 done here in 60 s leaves 40 at 6 s each.
    assert.equal(formatEta(60_000, 10, 60, 100), "~4m00s");
    assert.equal(formatEta(5_000, 0, 50, 100), null);
    assert.equal(formatEta(5_000, 5, 100, 100), null);
  });

  test("off a terminal the display writes at most ~100 progress lines, and the last", () => {
    const stream = new PassThrough() as unknown as NodeJS.WriteStream;
    let text = "";
    (stream as unknown as PassThrough).on("data", (chunk) => {
      text += String(chunk);
    });
    const display = createProgressDisplay("work", stream);
    for (let done = 1; done <= 1000; done += 1) display.update(done, 1000, "items");
    display.log("a line");
    display.stop();
    const lines = text.trim().split("\n");
    assert.ok(lines.length <= 102, `${lines.length} lines`);
    assert.ok(lines.includes("a line"));
    assert.ok(lines.some((line) => line.startsWith("work 1000/1000 ")));
  });

  test("column widths fit the width, never below the minimum or above the natural width", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 80 }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 20, max: 300 }),
        (natural, width) => {
          const fitted = fitColumns(natural, width);
          fitted.forEach((value, index) => {
            assert.ok(value <= natural[index]!);
            assert.ok(value >= Math.min(natural[index]!, 6));
          });
          const total = fitted.reduce((sum, value) => sum + value, 0) + 2 * (fitted.length - 1);
          const floor =
            natural.reduce((sum, value) => sum + Math.min(value, 6), 0) + 2 * (natural.length - 1);
          assert.ok(total <= Math.max(width, floor));
        },
      ),
    );
    const header = ["role", "samples", "mean before -> after", "median before -> after", "sign flips"];
    const rows = [["proposer", "120", "0.123 -> 0.456", "0.100 -> 0.400", "3"]];
    const lines = formatTable(header, rows, 50);
    assert.ok(
      lines.every((line) => line.length <= 50),
      lines.join("\n"),
    );
    assert.match(formatTable(header, rows, undefined)[1] ?? "", /^proposer {2,}120 {2,}0\.123 -> 0\.456/);
  });

  test("run.log lines carry the unit's numeric iteration and 1-based step as fields", async () => {
    await using directory = await makeTempDir("run-log");
    const log = withStructuredLog(directory.path, "run-1", { unit() {}, metrics() {} });
    log.unit("iteration 2 · solver · step 1", { kind: "step", iteration: 2, phase: "solver", step: 0 });
    log.metrics("iteration 2 solver step 1", { reward: 0.25 });
    log.flush();
    const lines = (await readFile(join(directory.path, "run.log"), "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    assert.equal(lines.length, 2);
    for (const line of lines) {
      assert.equal(line.iteration, 2);
      assert.equal(line.step, 1);
      assert.equal(line.phase, "solver");
      assert.equal(line.role, "solver");
      assert.equal(line.stage, "step");
    }
    assert.equal(lines[1].reward, 0.25);
  });
});
