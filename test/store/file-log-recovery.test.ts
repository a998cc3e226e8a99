/**
 * Recovery of the file log on open. Goal: a torn last record (the end of an interrupted write) is cut
 * off, reported and the log goes on; damage anywhere else is LogCorruptionError naming the segment
 * and byte, never skipped. Method: write a log, close it, damage its files the way crashes and bit
 * rot do (truncation, garbage, zeros, flipped bytes, a missing segment), reopen and check.
 */
import assert from "node:assert/strict";
import { readdir, readFile, truncate, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, test } from "node:test";
import { keyedRandom } from "../../src/rng/index.ts";
import type { FileLogNotice } from "../../src/store/index.ts";
import { LogCorruptionError, openFileLog, verifyChain } from "../../src/store/index.ts";
import { encodeRecord } from "../../src/store/segment-format.ts";
import { scriptedDrafts } from "../support/events.ts";
import { makeTempDir } from "../support/temp-dir.ts";
import { collect, range, seqsOf } from "./contract-helpers.ts";

const runId = "recovery-run";
const segmentBytesMax = 4096;
const eventCount = 30;

async function writeLog(directory: string): Promise<void> {
  const log = await openFileLog(directory, { runId, segmentBytesMax });
  const drafts = scriptedDrafts(runId, eventCount);
  for (let first = 0; first < eventCount; first += 2) await log.append(drafts.slice(first, first + 2));
  await log.close();
}

async function segmentPaths(directory: string): Promise<string[]> {
  const names = (await readdir(directory)).filter((name) => name.endsWith(".seg")).sort();
  return names.map((name) => join(directory, name));
}

/** Byte offsets of the records in a segment file, read from the length prefixes. */
async function recordOffsets(path: string): Promise<number[]> {
  const bytes = await readFile(path);
  const offsets: number[] = [];
  for (let offset = 0; offset < bytes.length; offset += 8 + bytes.readUInt32LE(offset)) offsets.push(offset);
  return offsets;
}

async function flipByte(path: string, offset: number): Promise<void> {
  const bytes = await readFile(path);
  bytes[offset] = (bytes[offset] ?? 0) ^ 0x5a;
  await writeFile(path, bytes);
}

async function appendBytes(path: string, extra: Uint8Array): Promise<void> {
  await writeFile(path, Buffer.concat([await readFile(path), extra]));
}

function seededBytes(count: number, seed: string): Uint8Array {
  const random = keyedRandom(seed, "garbage");
  return Uint8Array.from({ length: count }, () => random.nextInt(256));
}

interface TornCase {
  readonly name: string;
  /** Damages the last segment; returns the offset where the valid part must end. */
  damage(path: string, offsets: readonly number[], size: number): Promise<number>;
  readonly lostEvents: number;
}

const tornCases: readonly TornCase[] = [
  { name: "cut inside the last record's bytes", lostEvents: 1, damage: cutAt((last) => last + 20) },
  { name: "cut inside the last record's header", lostEvents: 1, damage: cutAt((last) => last + 3) },
  {
    name: "CRC mismatch in the last record",
    lostEvents: 1,
    damage: async (path, offsets) => {
      const last = offsets.at(-1) ?? 0;
      await flipByte(path, last + 30);
      return last;
    },
  },
  {
    name: "garbage appended after the last record",
    lostEvents: 0,
    damage: async (path, _offsets, size) => {
      await appendBytes(path, seededBytes(173, "garbage"));
      return size;
    },
  },
  {
    name: "zeros appended after the last record (an extended file whose data never landed)",
    lostEvents: 0,
    damage: async (path, _offsets, size) => {
      await appendBytes(path, new Uint8Array(4096));
      return size;
    },
  },
];

function cutAt(position: (lastOffset: number) => number): TornCase["damage"] {
  return async (path, offsets) => {
    const last = offsets.at(-1) ?? 0;
    await truncate(path, position(last));
    return last;
  };
}

describe("file log recovery: torn tails", () => {
  for (const tornCase of tornCases) {
    test(`${tornCase.name}: truncated, reported, and the log goes on with a valid chain`, async () => {
      await using directory = await makeTempDir("torn");
      await writeLog(directory.path);
      const lastSegment = (await segmentPaths(directory.path)).at(-1) ?? "";
      const size = (await readFile(lastSegment)).length;
      const validEnd = await tornCase.damage(lastSegment, await recordOffsets(lastSegment), size);
      const notices: FileLogNotice[] = [];
      const log = await openFileLog(directory.path, {
        runId,
        segmentBytesMax,
        onNotice: (n) => notices.push(n),
      });
      const { tornTail } = log.openReport;
      assert.ok(tornTail !== null);
      assert.equal(tornTail.segment, lastSegment);
      assert.equal(tornTail.offset, validEnd);
      assert.deepEqual(notices, [{ kind: "torn-tail-truncated", tornTail }]);
      assert.equal((await readFile(lastSegment)).length, validEnd);
      const kept = eventCount - tornCase.lostEvents;
      assert.equal((await log.head()).seq, kept);
      const [next] = await log.append(scriptedDrafts(runId, 1, 100));
      assert.equal(next?.event.seq, kept + 1);
      const verified = await verifyChain(log.read());
      assert.ok(verified.ok);
      await log.close();
      await using reopened = await openFileLog(directory.path, { runId, segmentBytesMax });
      assert.equal(reopened.openReport.tornTail, null);
      assert.deepEqual(await reopened.head(), verified.head);
    });
  }
});

describe("file log recovery: corruption", () => {
  test("a flipped byte in a record before the last one is LogCorruptionError naming segment and offset", async () => {
    await using directory = await makeTempDir("corrupt");
    await writeLog(directory.path);
    const lastSegment = (await segmentPaths(directory.path)).at(-1) ?? "";
    const offsets = await recordOffsets(lastSegment);
    const victim = offsets.at(-2) ?? 0;
    await flipByte(lastSegment, victim + 12);
    await assertCorrupt(directory.path, lastSegment, victim);
  });

  test("a flipped length field in the middle is LogCorruptionError, not a torn tail", async () => {
    await using directory = await makeTempDir("corrupt-length");
    await writeLog(directory.path);
    const lastSegment = (await segmentPaths(directory.path)).at(-1) ?? "";
    const victim = (await recordOffsets(lastSegment))[1] ?? 0;
    await flipByte(lastSegment, victim + 1);
    await assertCorrupt(directory.path, lastSegment, victim);
  });

  test("damage at the end of a segment that is not the last is LogCorruptionError", async () => {
    await using directory = await makeTempDir("corrupt-early");
    await writeLog(directory.path);
    const [firstSegment] = await segmentPaths(directory.path);
    assert.ok(firstSegment !== undefined);
    const last = (await recordOffsets(firstSegment)).at(-1) ?? 0;
    await truncate(firstSegment, last + 10);
    await assertCorrupt(directory.path, firstSegment, last);
  });

  test("a missing segment is LogCorruptionError naming it", async () => {
    await using directory = await makeTempDir("missing");
    await writeLog(directory.path);
    const segments = await segmentPaths(directory.path);
    assert.ok(segments.length >= 3);
    await unlink(segments[1] ?? "");
    await assertCorrupt(directory.path, segments[1] ?? "", 0);
  });

  test("a record with a valid CRC that is not a valid event is LogCorruptionError, even at the end", async () => {
    await using directory = await makeTempDir("bad-event");
    await writeLog(directory.path);
    const lastSegment = (await segmentPaths(directory.path)).at(-1) ?? "";
    const size = (await readFile(lastSegment)).length;
    await appendBytes(lastSegment, encodeRecord(new TextEncoder().encode('{"type":"NotAnEvent"}')));
    await assertCorrupt(directory.path, lastSegment, size);
  });

  test("bytes changed after open are LogCorruptionError on read", async () => {
    await using directory = await makeTempDir("changed");
    await writeLog(directory.path);
    await using log = await openFileLog(directory.path, { runId, segmentBytesMax });
    const [firstSegment] = await segmentPaths(directory.path);
    assert.ok(firstSegment !== undefined);
    await flipByte(firstSegment, 40);
    await assert.rejects(collect(log.read()), LogCorruptionError);
    assert.deepEqual(
      seqsOf(await collect(log.read({ from: eventCount - 1 }))),
      range(eventCount - 1, eventCount),
    );
  });
});

/** Opening fails with LogCorruptionError at that place, every time (the lock is released each time). */
async function assertCorrupt(directory: string, location: string, offset: number): Promise<void> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const error = await openFileLog(directory, { runId, segmentBytesMax }).then(
      () => assert.fail("a corrupt log must not open"),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof LogCorruptionError, String(error));
    assert.equal(error.location, location);
    assert.equal(error.offset, offset);
  }
}
