/**
 * The file adapter: the EventLog contract (with small segments, so rotation happens in every test
 * of more than a few events, under both fsync policies), reopen equivalence as a property, segment
 * rotation and the single-writer lock. Recovery from torn and corrupt files: file-log-recovery.test.ts.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import fc from "fast-check";
import { canonicalBytes, type EventDraft, eventId, type StoredEvent } from "../../src/events/index.ts";
import {
  IdConflictError,
  LogClosedError,
  LogLockedError,
  LogRunMismatchError,
  LogWriteFailedError,
  openFileLog,
  verifyChain,
  writeLockFileName,
} from "../../src/store/index.ts";
import { encodeRecord, segmentName } from "../../src/store/segment-format.ts";
import { arbitraryDraft, scriptedDrafts, testAt, testProducer } from "../support/events.ts";
import { makeTempDir, tempDirPool } from "../support/temp-dir.ts";
import { runEventLogContract } from "./contract.ts";
import { assertSameEvents, readAll } from "./contract-helpers.ts";

const runId = "file-log-run";
/** Why so small: a few events fill a segment, so the contract also exercises rotation. */
const smallSegmentBytes = 2048;
const directories = tempDirPool("file-log");
after(() => directories.removeAll());

runEventLogContract("file, fsync always", async () =>
  openFileLog(await directories.make(), { runId, segmentBytesMax: smallSegmentBytes }),
);
runEventLogContract(
  "file, fsync batched",
  async () =>
    openFileLog(await directories.make(), {
      runId,
      segmentBytesMax: smallSegmentBytes,
      fsync: { mode: "batched", intervalMs: 5, recordsMax: 4 },
    }),
  { propertyRuns: 10 },
);

describe("file log", () => {
  test("property: a reopened log holds the same events and chain head", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(arbitraryDraft(runId), { maxLength: 4 }), { maxLength: 6 }),
        async (batches) => {
          await using directory = await makeTempDir("reopen");
          let key = 0;
          const written = await openFileLog(directory.path, { runId, segmentBytesMax: smallSegmentBytes });
          for (const batch of batches) {
            await written.append(
              batch.map((draft) => ({ ...draft, id: eventId(runId, testProducer, `reopen/${key++}`) })),
            );
          }
          const before = await readAll(written);
          const headBefore = await written.head();
          await written.close();
          await using reopened = await openFileLog(directory.path, {
            runId,
            segmentBytesMax: smallSegmentBytes,
          });
          assert.deepEqual(await reopened.head(), headBefore);
          assert.equal(reopened.openReport.tornTail, null);
          const after = await readAll(reopened);
          assertSameEvents(
            after.map((recorded) => recorded.event),
            before.map((recorded) => recorded.event),
          );
          assert.deepEqual(await verifyChain(after), { ok: true, head: headBefore, count: before.length });
        },
      ),
      { numRuns: 15 },
    );
  });

  test("segments rotate before a batch would pass the size limit, and reads span them", async () => {
    await using directory = await makeTempDir("rotate");
    const log = await openFileLog(directory.path, { runId, segmentBytesMax: smallSegmentBytes });
    const drafts = scriptedDrafts(runId, 40);
    for (let first = 0; first < drafts.length; first += 3) await log.append(drafts.slice(first, first + 3));
    await log.close();
    const segments = (await readdir(directory.path)).filter((name) => name.endsWith(".seg")).sort();
    assert.ok(segments.length > 3, `expected several segments, got ${segments.join(", ")}`);
    assert.equal(segments[0], "events-000001.seg");
    await using reopened = await openFileLog(directory.path, { runId, segmentBytesMax: smallSegmentBytes });
    assert.equal(reopened.openReport.segmentCount, segments.length);
    assert.deepEqual(
      (await readAll(reopened)).map((recorded) => recorded.event.id),
      drafts.map((draft) => draft.id),
    );
  });

  test("a second writer on the same directory is LogLockedError until the first closes", async () => {
    await using directory = await makeTempDir("lock");
    const first = await openFileLog(directory.path, { runId });
    const error = await openFileLog(directory.path, { runId }).then(
      () => assert.fail("a second writer must be refused"),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof LogLockedError);
    assert.equal(error.ownerPid, process.pid);
    await first.close();
    await using second = await openFileLog(directory.path, { runId });
    assert.equal(second.openReport.staleLockOwnerPid, null);
  });

  test("a lock left by a dead process is removed and reported", async () => {
    await using directory = await makeTempDir("stale-lock");
    const deadPid = spawnSync(process.execPath, ["-e", ""]).pid;
    assert.ok(deadPid !== undefined);
    await writeFile(join(directory.path, writeLockFileName), `${deadPid}\n`);
    const notices: unknown[] = [];
    await using log = await openFileLog(directory.path, {
      runId,
      onNotice: (notice) => notices.push(notice),
    });
    assert.equal(log.openReport.staleLockOwnerPid, deadPid);
    assert.deepEqual(notices, [{ kind: "stale-lock-removed", directory: directory.path, ownerPid: deadPid }]);
  });

  test("a lock file without a pid is LogLockedError", async () => {
    await using directory = await makeTempDir("bad-lock");
    await writeFile(join(directory.path, writeLockFileName), "");
    await assert.rejects(openFileLog(directory.path, { runId }), LogLockedError);
  });

  test("opening a log with another run's id is LogRunMismatchError and leaves the lock free", async () => {
    await using directory = await makeTempDir("mismatch");
    const log = await openFileLog(directory.path, { runId });
    await log.append(scriptedDrafts(runId, 2));
    await log.close();
    await assert.rejects(openFileLog(directory.path, { runId: "other-run" }), LogRunMismatchError);
    await using reopened = await openFileLog(directory.path, { runId });
    assert.equal((await reopened.head()).seq, 2);
  });
});

test("after a failed write the log refuses appends with LogWriteFailedError until reopened", {
  skip: existsSync("/dev/full") ? false : "needs /dev/full (Linux)",
}, async () => {
  await using directory = await makeTempDir("write-failure");
  // Why /dev/full: every write to it fails with ENOSPC, as a full disk would.
  await symlink("/dev/full", join(directory.path, segmentName(1)));
  const log = await openFileLog(directory.path, { runId });
  const [first, second] = scriptedDrafts(runId, 2);
  assert.ok(first !== undefined && second !== undefined);
  const error = await log.append([first]).then(
    () => assert.fail("a write to a full device must fail"),
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof LogWriteFailedError);
  assert.ok(
    error.cause instanceof Error && "code" in error.cause && error.cause.code === "ENOSPC",
    String(error),
  );
  await assert.rejects(log.append([second]), LogWriteFailedError);
  assert.equal((await log.head()).seq, 0);
  await log.close();
  await assert.rejects(log.head(), LogClosedError);
});

describe("file log holding an older event version", () => {
  const legacy: StoredEvent = {
    runId,
    seq: 1,
    id: eventId(runId, testProducer, "run"),
    causationId: null,
    correlationId: null,
    producer: testProducer,
    at: testAt,
    type: "RunStarted",
    v: 1,
    payload: {
      config: { iterations: 3 },
      seed: 42,
      backend: { name: "wasm", version: "4.22.0", threads: 1, simd: true },
      engineVersion: "0.1.0",
    },
  };

  test("reads it upcast, verifies its chain, and takes its current-version retry as the same event", async () => {
    await using directory = await makeTempDir("legacy");
    await mkdir(directory.path, { recursive: true });
    await writeFile(join(directory.path, segmentName(1)), encodeRecord(canonicalBytes(legacy)));
    await using log = await openFileLog(directory.path, { runId });
    const [recorded] = await readAll(log);
    assert.ok(recorded !== undefined && recorded.event.type === "RunStarted");
    assert.equal(recorded.event.v, 2);
    assert.equal(recorded.event.payload.seed, "42");
    assert.ok((await verifyChain(log.read())).ok);
    const { seq: _stored, ...currentDraft } = recorded.event;
    const [retried] = await log.append([currentDraft]);
    assert.equal(retried?.contentHash, recorded.contentHash);
    const changed: EventDraft = { ...currentDraft, payload: { ...currentDraft.payload, seed: "43" } };
    await assert.rejects(log.append([changed]), IdConflictError);
    assert.equal((await log.head()).seq, 1);
  });
});
