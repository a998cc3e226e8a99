// Goal: a log recorded before an event version changed still verifies and resumes. A recorded
// event stored in an older version is compared in its upcast (current) shape with what the code
// produces now: the same reward matches, a reward that differs in anything the upcast keeps is a
// divergence naming the field. An event of a type without older versions must match its stored
// hash exactly.
// Method: RewardScored v1 bytes decoded as a log reads them; the verifying replay's ExpectingRecorder,
// `matchesRecorded`, and the run's recorder resuming over a file log holding the v1 bytes, given v2
// specs of the same and of changed rewards.
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, test } from "node:test";
import { DeterminismViolationError } from "../../src/actors/index.ts";
import { RunRecorder } from "../../src/actors/recorder.ts";
import {
  chainGenesis,
  chainNext,
  contentHash,
  decodeEvent,
  draftAt,
  draftOf,
  type EventSpec,
} from "../../src/events/index.ts";
import { ExpectingRecorder, ReplayDivergenceError } from "../../src/replay/index.ts";
import { matchesRecorded, openFileLog, type RecordedEvent } from "../../src/store/index.ts";
import { encodeRecord, segmentName } from "../../src/store/segment-format.ts";
import { iterationStartedDraft, storedRewardScoredV1, testAt } from "../support/events.ts";
import { makeTempDir } from "../support/temp-dir.ts";

const runId = "recorded-at-v1";

/** The log's record of a stored event: its upcast event and the hash of its stored bytes. */
function recordedFrom(bytes: Uint8Array): RecordedEvent {
  const { event, contentHash: hash } = decodeEvent(bytes);
  return { event, contentHash: hash, chainHash: chainNext(chainGenesis, hash) };
}

const storedSolverReward = storedRewardScoredV1(runId, 1, {
  role: "solver",
  step: 0,
  total: 1,
  components: { correct: 1, formatOk: 1, sample: 2 },
});
const recordedSolverReward = recordedFrom(storedSolverReward);

/** The v2 reward the loop states today for the same response (or a changed one). */
function solverRewardSpec(
  change: { sampleIndex?: number; correct?: number } = {},
): EventSpec<"RewardScored"> {
  const correct = change.correct ?? 1;
  return {
    type: "RewardScored",
    producer: { role: "scorer", version: 0 },
    logicalKey: "reward/1",
    payload: {
      role: "solver",
      iteration: 1,
      step: 0,
      sampleId: "0".repeat(32),
      sampleIndex: change.sampleIndex ?? 2,
      total: correct,
      components: { correct, formatOk: 1 },
      configHash: "0".repeat(64),
    },
  };
}

function hashOf(spec: EventSpec): string {
  return contentHash(draftAt(draftOf(runId, spec, testAt), 1));
}

describe("replaying and resuming a log recorded with RewardScored v1", () => {
  test("the stored hash covers the v1 bytes, which the v2 event cannot reproduce", () => {
    assert.notEqual(hashOf(solverRewardSpec()), recordedSolverReward.contentHash);
  });

  test("the same reward made today matches the recorded one in its upcast shape", async () => {
    assert.equal(matchesRecorded(hashOf(solverRewardSpec()), recordedSolverReward), true);
    const recorder = new ExpectingRecorder(runId, [recordedSolverReward]);
    const [event] = await recorder.record([solverRewardSpec()]);
    assert.equal(event, recordedSolverReward.event);
    assert.deepEqual(recorder.progress, { checked: 1, total: 1 });
  });

  test("a different response index or reward is a divergence naming the field", async () => {
    for (const [change, path] of [
      [{ sampleIndex: 1 }, "payload.sampleIndex"],
      [{ correct: 0 }, "payload.components.correct"],
    ] as const) {
      assert.equal(matchesRecorded(hashOf(solverRewardSpec(change)), recordedSolverReward), false);
      const recorder = new ExpectingRecorder(runId, [recordedSolverReward]);
      await assert.rejects(
        recorder.record([solverRewardSpec(change)]),
        (error: unknown) => error instanceof ReplayDivergenceError && error.message.includes(path),
      );
    }
  });

  test("a type without older versions must match its stored hash exactly", () => {
    const draft = iterationStartedDraft(runId, 1);
    const event = { ...draft, seq: 1 };
    const recorded: RecordedEvent = {
      event,
      contentHash: "f".repeat(64),
      chainHash: chainNext(chainGenesis, "f".repeat(64)),
    };
    assert.equal(matchesRecorded(contentHash(event), recorded), false);
    assert.equal(matchesRecorded(contentHash(event), { ...recorded, contentHash: contentHash(event) }), true);
  });

  test("a resumed unit re-making the reward matches it in the log (nothing appended); a changed one is a determinism violation", async () => {
    await using directory = await makeTempDir("legacy-resume");
    await writeFile(join(directory.path, segmentName(1)), encodeRecord(storedSolverReward));
    await using log = await openFileLog(directory.path, { runId });
    const clock = { nowIso: () => testAt };
    // The log holds no unit marker, so its one event is what a resumed unit produces again.
    const noMarkers = { observe() {}, endsUnit: () => false };
    const recorder = await RunRecorder.open(log, clock, noMarkers);
    recorder.resumeAfterLastMarker();
    const [matched] = await recorder.record([solverRewardSpec()]);
    assert.equal(matched?.seq, 1);
    assert.equal((await log.head()).seq, 1, "nothing appended");
    const again = await RunRecorder.open(log, clock, noMarkers);
    again.resumeAfterLastMarker();
    await assert.rejects(again.record([solverRewardSpec({ correct: 0 })]), DeterminismViolationError);
    assert.equal((await log.head()).seq, 1);
  });
});
