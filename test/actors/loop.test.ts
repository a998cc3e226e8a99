// Goal: the whole MM-Zero loop runs through the actors on the embedded default, deterministically:
// two runs of the same config give the same events, content hash for content hash; every unit's
// marker is recorded; a run directory that already has events is not silently reused.
// Method: two `smoke` runs on a keyed-random `test` base in separate directories, compared by their
// logs; a third start into the first directory without --resume must fail.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { runSession } from "../../src/app/index.ts";
import { resolveRunConfig } from "../../src/config/index.ts";
import type { RecordedEvent } from "../../src/store/index.ts";
import { readFileLogReadOnly } from "../../src/store/index.ts";
import { smokeOverrides, writeTestBase } from "../support/loop-fixture.ts";
import { makeTempDir, type TempDir } from "../support/temp-dir.ts";

const quietProgress = { unit() {}, metrics() {} };
const fixedClock = { nowIso: () => "2026-01-01T00:00:00.000Z" };

async function readAll(directory: string): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const recorded of readFileLogReadOnly(directory)) events.push(recorded);
  return events;
}

describe("the loop on the embedded default", () => {
  let workspace: TempDir;
  let checkpoint: string;

  before(async () => {
    workspace = await makeTempDir("loop");
    checkpoint = await writeTestBase(workspace.path);
  });
  after(async () => {
    await workspace[Symbol.asyncDispose]();
  });

  test("two smoke runs with the same config produce identical event content hashes", async () => {
    const config = resolveRunConfig("smoke", smokeOverrides(checkpoint));
    const first = await runSession({
      config,
      outDir: `${workspace.path}/a`,
      resume: false,
      progress: quietProgress,
      clock: fixedClock,
    });
    const second = await runSession({
      config,
      outDir: `${workspace.path}/b`,
      resume: false,
      progress: quietProgress,
      clock: fixedClock,
    });
    assert.equal(first.status, "completed", first.failure?.message);
    assert.equal(second.status, "completed");
    const eventsA = await readAll(`${workspace.path}/a/events`);
    const eventsB = await readAll(`${workspace.path}/b/events`);
    assert.deepEqual(
      eventsA.map((recorded) => recorded.contentHash),
      eventsB.map((recorded) => recorded.contentHash),
    );
    assert.equal(first.chainHead, second.chainHead);
    const types = new Set(eventsA.map((recorded) => recorded.event.type));
    for (const type of [
      "RunStarted",
      "PhaseStarted",
      "ProposalSampled",
      "RewardScored",
      "GroupScored",
      "PolicyUpdated",
      "BenchmarkEvaluated",
      "RunCompleted",
    ]) {
      assert.ok(types.has(type as never), `the log has no ${type}`);
    }
    assert.equal(eventsA.at(-1)!.event.type, "RunCompleted");
    assert.equal(first.evaluations.length, 2);
  });

  test("starting again in a directory that has events, without resume, is refused", async () => {
    const config = resolveRunConfig("smoke", smokeOverrides(checkpoint));
    await assert.rejects(
      runSession({
        config,
        outDir: `${workspace.path}/a`,
        resume: false,
        progress: quietProgress,
        clock: fixedClock,
      }),
      /--resume/,
    );
  });
});
