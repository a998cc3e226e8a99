// Goal: failures that are in no event (recoverable faults, docs/architecture.md) stay visible in the
// report: the report reads run.log's `kind: "failure"` lines back, counts lines it cannot read instead of
// guessing, and shows each failure escaped on the page.
// Method: fast-check over mixed run.log texts for the parser; the committed smoke fixture, copied with an
// added run.log, for the page.
import assert from "node:assert/strict";
import { cp, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, test } from "node:test";
import fc from "fast-check";
import { parseRunLogFailures, renderReport, runLogFileName } from "../../src/report/index.ts";
import { makeTempDir } from "../support/temp-dir.ts";

const failureLine = fc.record({
  name: fc.constantFrom("NoSpaceLeftError", "RequestTimeoutError", "BlobNotFoundError"),
  message: fc.string({ maxLength: 40 }),
  recoverable: fc.boolean(),
  time: fc.nat({ max: 2_000_000_000_000 }),
});
const otherLine = fc.record({
  kind: fc.constantFrom("unit", "metrics", "repair"),
  msg: fc.string({ maxLength: 20 }),
});

describe("run.log failures in the report", () => {
  test("every failure line is read back in order; other lines are ignored; unreadable lines are counted", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            failureLine.map((failure) => ({ failure })),
            otherLine.map((other) => ({ other })),
            fc.constant({ garbage: true as const }),
          ),
          { maxLength: 20 },
        ),
        (lines) => {
          const text = lines
            .map((line) =>
              "failure" in line
                ? JSON.stringify({ level: "error", kind: "failure", ...line.failure, msg: "x" })
                : "other" in line
                  ? JSON.stringify(line.other)
                  : '{"level":"error","kind":"fail',
            )
            .join("\n");
          const parsed = parseRunLogFailures(text);
          assert.deepEqual(
            parsed.failures,
            lines.flatMap((line) => ("failure" in line ? [{ ...line.failure }] : [])),
          );
          assert.equal(parsed.unreadableLines, lines.filter((line) => "garbage" in line).length);
        },
      ),
      { seed: 8, numRuns: 300 },
    );
  });

  test("the page shows a recoverable failure from run.log, escaped", async () => {
    await using workspace = await makeTempDir("mmzero-report-failures-");
    const run = join(workspace.path, "run");
    await cp(join("test", "fixtures", "runs", "smoke-v1"), run, { recursive: true });
    const failure = {
      level: "error",
      kind: "failure",
      name: "NoSpaceLeftError",
      message: "no space left on <blobs>",
      recoverable: true,
      time: 1_796_351_507_738,
    };
    await writeFile(join(run, runLogFileName), `${JSON.stringify(failure)}\n`);
    const html = await renderReport(run);
    assert.ok(html.includes("Recoverable failure"), "the failure is shown");
    assert.ok(html.includes("NoSpaceLeftError"));
    assert.ok(html.includes("no space left on &lt;blobs&gt;"), "its message is escaped");
    const without = await renderReport(join("test", "fixtures", "runs", "smoke-v1"));
    assert.ok(!without.includes("Recoverable failure"), "no run.log, no failure notice");
  });
});
