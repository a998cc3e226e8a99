// Goal: the cooperative stop the daemon's drain relies on (runSession's `stopSignal`): a stop
// requested during a unit lets that unit finish, starts no other, records nothing about the stop
// (no RunFailed), reports "stopped", and a resume completes the run with exactly the events of a
// run done in one go.
// Method: smoke runs on a keyed-random test base in this process; the signal is aborted from the
// progress sink when a chosen unit starts, so the stop point is exact; logs compared by content hash.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { runSession } from "../../src/app/index.ts";
import type { RunConfig } from "../../src/config/index.ts";
import { resolveRunConfig } from "../../src/config/index.ts";
import { readFileLogReadOnly } from "../../src/store/index.ts";
import { smokeOverrides, writeTestBase } from "../support/loop-fixture.ts";
import { makeTempDir, type TempDir } from "../support/temp-dir.ts";

const fixedClock = { nowIso: () => "2026-01-01T00:00:00.000Z" };
const quietProgress = { unit() {}, metrics() {} };
const stopAtUnit = "iteration 1 · coder phase starts";

async function logOf(runDirectory: string) {
  const events: Array<{ type: string; hash: string }> = [];
  for await (const recorded of readFileLogReadOnly(join(runDirectory, "events")))
    events.push({ type: recorded.event.type, hash: recorded.contentHash });
  return events;
}

describe("runSession's stop signal", () => {
  let workspace: TempDir;
  let config: RunConfig;

  before(async () => {
    workspace = await makeTempDir("stop-signal");
    config = resolveRunConfig("smoke", smokeOverrides(await writeTestBase(workspace.path)));
  });
  after(async () => {
    await workspace[Symbol.asyncDispose]();
  });

  test("stops after the current unit, records no failure, and resumes to the one-go events", async () => {
    const stopped = join(workspace.path, "stopped");
    const stop = new AbortController();
    const units: string[] = [];
    const first = await runSession({
      config,
      outDir: stopped,
      resume: false,
      clock: fixedClock,
      stopSignal: stop.signal,
      progress: {
        unit(description) {
          units.push(description);
          if (description === stopAtUnit) stop.abort();
        },
        metrics() {},
      },
    });
    assert.equal(first.status, "stopped");
    assert.equal(first.failure, null);
    assert.equal(units.at(-1), stopAtUnit, "no unit starts after the stop");
    const cut = await logOf(stopped);
    assert.equal(
      cut.at(-1)?.type,
      "PhaseStarted",
      "the unit in progress finished: its marker is the last event",
    );
    assert.ok(!cut.some((event) => event.type === "RunFailed" || event.type === "RunCompleted"));

    const resumed = await runSession({
      config,
      outDir: stopped,
      resume: true,
      clock: fixedClock,
      progress: quietProgress,
    });
    assert.equal(resumed.status, "completed");
    assert.equal(resumed.resumedFromUnit > 0, true);
    const oneGo = await runSession({
      config,
      outDir: join(workspace.path, "one-go"),
      resume: false,
      clock: fixedClock,
      progress: quietProgress,
    });
    assert.deepEqual(
      (await logOf(stopped)).map((event) => event.hash),
      (await logOf(oneGo.outDir)).map((event) => event.hash),
    );
  });
});
