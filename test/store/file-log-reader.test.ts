/**
 * The read-only file log reader (used by `mmzero log`). Goal: it reads what the writer wrote, with
 * the same hashes, while the writer holds the lock; it reports a partial last record without
 * repairing it; damage before the end is LogCorruptionError. Method: write logs with the file
 * adapter, damage copies of their files, read them back read-only.
 */
import assert from "node:assert/strict";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { encodeEvent, type MmzeroEvent } from "../../src/events/index.ts";
import {
  LogCorruptionError,
  openFileLog,
  type ReadOnlyTail,
  readFileLogReadOnly,
} from "../../src/store/index.ts";
import { encodeRecord } from "../../src/store/segment-format.ts";
import { scriptedDrafts } from "../support/events.ts";
import { makeTempDir } from "../support/temp-dir.ts";
import { collect, readAll } from "./contract-helpers.ts";

const runId = "reader-run";
const segmentBytesMax = 2048;

async function lastSegmentOf(directory: string): Promise<string> {
  const names = (await readdir(directory)).filter((name) => name.endsWith(".seg")).sort();
  return join(directory, names.at(-1) ?? assert.fail("no segment"));
}

test("reads the same events and hashes as the writer, while the writer holds the lock", async () => {
  await using directory = await makeTempDir("reader");
  await using log = await openFileLog(directory.path, { runId, segmentBytesMax });
  await log.append(scriptedDrafts(runId, 25));
  const tail: { value?: ReadOnlyTail } = {};
  const read = await collect(readFileLogReadOnly(directory.path, tail));
  const written = await readAll(log);
  assert.deepEqual(
    read.map((recorded) => [recorded.event.id, recorded.contentHash, recorded.chainHash]),
    written.map((recorded) => [recorded.event.id, recorded.contentHash, recorded.chainHash]),
  );
  assert.deepEqual(tail.value, { incompleteTail: null });
});

test("a partial last record is reported and left in place; damage before it is LogCorruptionError", async () => {
  await using directory = await makeTempDir("reader-torn");
  const log = await openFileLog(directory.path, { runId, segmentBytesMax });
  await log.append(scriptedDrafts(runId, 12));
  await log.close();
  const lastSegment = await lastSegmentOf(directory.path);
  const bytes = await readFile(lastSegment);
  // What a writer mid-append (or killed mid-append) leaves: the first bytes of the next record.
  const draft = scriptedDrafts(runId, 1, 12)[0] ?? assert.fail("a draft");
  const next = encodeRecord(encodeEvent({ ...draft, seq: 13 } as MmzeroEvent).bytes);
  await writeFile(lastSegment, Buffer.concat([bytes, next.subarray(0, next.length - 5)]));
  const tail: { value?: ReadOnlyTail } = {};
  const read = await collect(readFileLogReadOnly(directory.path, tail));
  assert.equal(read.length, 12);
  assert.equal(tail.value?.incompleteTail?.segment, lastSegment);
  assert.equal(tail.value?.incompleteTail?.offset, bytes.length);
  assert.equal((await readFile(lastSegment)).length, bytes.length + next.length - 5);
  const damaged = Buffer.from(bytes);
  damaged[20] = (damaged[20] ?? 0) ^ 0xff;
  await writeFile(lastSegment, damaged);
  await assert.rejects(collect(readFileLogReadOnly(directory.path)), LogCorruptionError);
});
