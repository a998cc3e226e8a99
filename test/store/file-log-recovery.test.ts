/**
 * Recovery of the file log on open. Goal: a torn last record (the incomplete end of an interrupted
 * write) is cut off, reported and the log goes on; a complete record with a bad CRC, damage anywhere
 * else and lost acknowledged events (checked against the head file) are errors naming the place,
 * never skipped or cut off. Method: write a log, close it, damage its files the way crashes and bit
 * rot do (truncation, garbage, zeros, flipped bytes, a missing segment), reopen and check.
 */
import assert from "node:assert/strict";
import { readdir, readFile, truncate, unlink, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { describe, test } from "node:test";
import { encodeEvent, type MmzeroEvent } from "../../src/events/index.ts";
import { keyedRandom } from "../../src/rng/index.ts";
import type { FileLogNotice } from "../../src/store/index.ts";
import {
  describeNotice,
  headFileName,
  LogCorruptionError,
  LogHeadLostError,
  openFileLog,
  readFileLogReadOnly,
  verifyChain,
} from "../../src/store/index.ts";
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

/**
 * The record of the scripted event after the log's last one, framed as the writer frames it: what
 * an append interrupted by a crash was writing (never acknowledged, so beyond the head file).
 */
function nextRecord(): Buffer {
  const draft = scriptedDrafts(runId, 1, eventCount)[0] ?? assert.fail("a draft");
  return encodeRecord(encodeEvent({ ...draft, seq: eventCount + 1 } as MmzeroEvent).bytes);
}

interface TornCase {
  readonly name: string;
  /** What a crash left after the last acknowledged record. */
  tail(): Uint8Array;
}

const tornCases: readonly TornCase[] = [
  { name: "an append cut inside its record's bytes", tail: () => nextRecord().subarray(0, -20) },
  { name: "an append cut inside its record's header", tail: () => nextRecord().subarray(0, 3) },
  {
    name: "zeros after the last record (an extended file whose data never landed)",
    tail: () => new Uint8Array(4096),
  },
];

describe("file log recovery: torn tails", () => {
  for (const tornCase of tornCases) {
    test(`${tornCase.name}: truncated, reported, and the log goes on with a valid chain`, async () => {
      await using directory = await makeTempDir("torn");
      await writeLog(directory.path);
      const lastSegment = (await segmentPaths(directory.path)).at(-1) ?? "";
      const validEnd = (await readFile(lastSegment)).length;
      await appendBytes(lastSegment, tornCase.tail());
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
      assert.match(describeNotice(notices[0] ?? assert.fail("a notice")), /cut off a torn last record/);
      assert.equal((await readFile(lastSegment)).length, validEnd);
      assert.equal((await log.head()).seq, eventCount);
      const [next] = await log.append(scriptedDrafts(runId, 1, 100));
      assert.equal(next?.event.seq, eventCount + 1);
      const verified = await verifyChain(log.read());
      assert.ok(verified.ok);
      await log.close();
      await using reopened = await openFileLog(directory.path, { runId, segmentBytesMax });
      assert.equal(reopened.openReport.tornTail, null);
      assert.deepEqual(await reopened.head(), verified.head);
    });
  }
});

describe("file log recovery: a damaged last record is corruption, never a torn tail", () => {
  test("a complete last record with a bad CRC is LogCorruptionError saying how to cut it off; nothing is cut", async () => {
    await using directory = await makeTempDir("crc-last");
    await writeLog(directory.path);
    const lastSegment = (await segmentPaths(directory.path)).at(-1) ?? "";
    const size = (await readFile(lastSegment)).length;
    await appendBytes(lastSegment, nextRecord());
    await flipByte(lastSegment, size + 30);
    await assertCorrupt(directory.path, lastSegment, size);
    const error = await openFileLog(directory.path, { runId, segmentBytesMax }).catch(
      (caught: unknown) => caught,
    );
    assert.match(String(error), /CRC32C mismatch in a complete record/);
    assert.match(String(error), new RegExp(`truncate -s ${size} `));
    assert.equal((await readFile(lastSegment)).length, size + nextRecord().length, "nothing was cut off");
  });

  test("garbage with a bad length after the last record is LogCorruptionError", async () => {
    await using directory = await makeTempDir("garbage-last");
    await writeLog(directory.path);
    const lastSegment = (await segmentPaths(directory.path)).at(-1) ?? "";
    const size = (await readFile(lastSegment)).length;
    const garbage = Buffer.from(seededBytes(173, "garbage"));
    garbage.writeUInt32LE(0xffff_fff0, 0);
    await appendBytes(lastSegment, garbage);
    await assertCorrupt(directory.path, lastSegment, size);
  });
});

describe("file log recovery: the head file", () => {
  test("an acknowledged last record cut off by hand is LogHeadLostError, and nothing is changed", async () => {
    await using directory = await makeTempDir("cut-acked");
    await writeLog(directory.path);
    const lastSegment = (await segmentPaths(directory.path)).at(-1) ?? "";
    const last = (await recordOffsets(lastSegment)).at(-1) ?? 0;
    await truncate(lastSegment, last + 20);
    await assert.rejects(openFileLog(directory.path, { runId, segmentBytesMax }), (error: unknown) => {
      assert.ok(error instanceof LogHeadLostError, String(error));
      assert.match(
        error.message,
        new RegExp(`ends at seq ${eventCount - 1}, but seq ${eventCount} was acknowledged`),
      );
      return true;
    });
    assert.equal((await readFile(lastSegment)).length, last + 20, "nothing was cut off");
  });

  test("a vanished last segment is LogHeadLostError naming it, for the writer and for readers", async () => {
    await using directory = await makeTempDir("vanished");
    await writeLog(directory.path);
    const segments = await segmentPaths(directory.path);
    assert.ok(segments.length >= 2);
    await unlink(segments.at(-1) ?? "");
    const named = new RegExp(`${basename(segments.at(-1) ?? "")} is missing`);
    await assert.rejects(openFileLog(directory.path, { runId, segmentBytesMax }), named);
    await assert.rejects(collect(readFileLogReadOnly(directory.path)), (error: unknown) => {
      assert.ok(error instanceof LogHeadLostError, String(error));
      assert.match(error.message, named);
      return true;
    });
  });

  test("a log without a head file (an older mmzero) opens, says so and gets one", async () => {
    await using directory = await makeTempDir("no-head");
    await writeLog(directory.path);
    await unlink(join(directory.path, headFileName));
    const notices: FileLogNotice[] = [];
    const log = await openFileLog(directory.path, {
      runId,
      segmentBytesMax,
      onNotice: (n) => notices.push(n),
    });
    await log.close();
    assert.deepEqual(notices, [{ kind: "head-file-created", directory: directory.path, seq: eventCount }]);
    const head = JSON.parse(await readFile(join(directory.path, headFileName), "utf8"));
    assert.equal(head.seq, eventCount);
  });
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
