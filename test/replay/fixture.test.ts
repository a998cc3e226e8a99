// Goal: the committed recorded run still replays: its log reads and folds with every chain anchor
// intact, and verify re-executes it event for event. A change that breaks determinism or the
// ability to read old logs fails the build here. Re-record on purpose with
// `node bin/run-ts.js scripts/record-fixture.ts` (see docs/architecture.md, "Replay").
// Method: copy the fixture to a temporary directory (verify may write content-addressed blobs),
// fold it, verify it without and with re-sampling.
import assert from "node:assert/strict";
import { cp, readdir } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { foldRun, readRecordedRun, verifyRun } from "../../src/replay/index.ts";
import { makeTempDir, type TempDir } from "../support/temp-dir.ts";

const fixtures = join(import.meta.dirname, "../fixtures/runs");
const quiet = { unit() {}, metrics() {} };

describe("committed replay fixtures", async () => {
  const names = (await readdir(fixtures)).sort();
  let workspace: TempDir;
  before(async () => {
    workspace = await makeTempDir("fixture");
  });
  after(async () => {
    await workspace[Symbol.asyncDispose]();
  });

  test("there is at least one fixture", () => {
    assert.ok(names.length > 0);
  });

  for (const name of names) {
    test(`${name}: folds with intact anchors and verifies event for event`, async () => {
      const copy = join(workspace.path, name);
      await cp(join(fixtures, name), copy, { recursive: true });
      const run = await readRecordedRun(copy);
      const fold = foldRun(run);
      assert.equal(fold.finished, true);
      assert.equal(fold.anchors.firstMismatch, null);
      const verified = await verifyRun(run, { resample: false, progress: quiet });
      assert.equal(verified.status, "identical", verified.divergence?.message ?? verified.failure?.message);
      const resampled = await verifyRun(run, { resample: true, progress: quiet });
      assert.equal(
        resampled.status,
        "identical",
        resampled.divergence?.message ?? resampled.failure?.message,
      );
    });
  }
});
