// Goal: replay reproduces a recorded run exactly (verify), rebuilds its projections fast (fold),
// and reports damage precisely: a flipped byte, a missing event, a reordered pair (record level),
// and an edited event whose checksum was recomputed (caught by the chain anchors and by verify,
// which names the event and field).
// Method: one smoke run on a keyed-random test base; copies of its run directory edited at the
// record level (the store's own record codec and scanner), then read, folded and verified.
import assert from "node:assert/strict";
import { cp, open, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { runSession } from "../../src/app/index.ts";
import { resolveRunConfig } from "../../src/config/index.ts";
import { foldRun, readRecordedRun, verifyRun } from "../../src/replay/index.ts";
import { LogCorruptionError } from "../../src/store/index.ts";
import { encodeRecord } from "../../src/store/segment-format.ts";
import { scanRecords } from "../../src/store/segment-reader.ts";
import { smokeOverrides, writeTestBase } from "../support/loop-fixture.ts";
import { makeTempDir, type TempDir } from "../support/temp-dir.ts";

const quiet = { unit() {}, metrics() {} };

/** The records of a run's single segment, and a writer that replaces them. */
async function segmentOf(runDirectory: string) {
  const directory = join(runDirectory, "events");
  const [name] = (await readdir(directory)).filter((file) => file.endsWith(".seg"));
  const path = join(directory, name!);
  const handle = await open(path, "r");
  const bodies: Buffer[] = [];
  const offsets: number[] = [];
  try {
    const { size } = await handle.stat();
    for await (const items of scanRecords(handle, 0, size)) {
      for (const item of items) {
        assert.equal(item.kind, "record");
        if (item.kind === "record") {
          bodies.push(Buffer.from(item.body));
          offsets.push(item.offset);
        }
      }
    }
  } finally {
    await handle.close();
  }
  return {
    path,
    bodies,
    offsets,
    write: (records: readonly Buffer[]) =>
      writeFile(path, Buffer.concat(records.map((body) => encodeRecord(body)))),
  };
}

describe("replay", () => {
  let workspace: TempDir;
  let original: string;
  let copies = 0;

  async function copyRun(): Promise<string> {
    const copy = join(workspace.path, `copy-${copies++}`);
    await cp(original, copy, { recursive: true });
    return copy;
  }

  before(async () => {
    workspace = await makeTempDir("replay");
    const config = resolveRunConfig("smoke", smokeOverrides(await writeTestBase(workspace.path)));
    original = join(workspace.path, "run");
    const result = await runSession({
      config,
      outDir: original,
      resume: false,
      progress: quiet,
      clock: { nowIso: () => "2026-01-01T00:00:00.000Z" },
    });
    assert.equal(result.status, "completed");
  });
  after(async () => {
    await workspace[Symbol.asyncDispose]();
  });

  test("verify re-executes the run and matches every event; fold rebuilds it with every anchor intact", async () => {
    const run = await readRecordedRun(original);
    const fold = foldRun(run);
    assert.equal(fold.finished, true);
    assert.ok(fold.anchors.checked >= 3);
    assert.equal(fold.anchors.firstMismatch, null);
    assert.equal(fold.events, run.events.length);
    const result = await verifyRun(run, { resample: false, progress: quiet });
    assert.equal(result.status, "identical", result.divergence?.message ?? result.failure?.message);
    assert.equal(result.checked, run.events.length);
  });

  test("verify with --resample re-samples the policies and still matches", async () => {
    const result = await verifyRun(await readRecordedRun(original), { resample: true, progress: quiet });
    assert.equal(result.status, "identical", result.divergence?.message ?? result.failure?.message);
  });

  test("a flipped byte is a LogCorruptionError naming the segment and the record's offset", async () => {
    const copy = await copyRun();
    const segment = await segmentOf(copy);
    const target = 10;
    const handle = await open(segment.path, "r+");
    const position = segment.offsets[target]! + 8 + 20;
    const byte = Buffer.alloc(1);
    await handle.read(byte, 0, 1, position);
    byte[0] = byte[0]! ^ 0x01;
    await handle.write(byte, 0, 1, position);
    await handle.close();
    await assert.rejects(readRecordedRun(copy), (error: unknown) => {
      assert.ok(error instanceof LogCorruptionError);
      assert.equal(error.location, segment.path);
      assert.equal(error.offset, segment.offsets[target]);
      assert.match(error.message, /CRC32C/);
      return true;
    });
  });

  test("a missing event is reported at its seq", async () => {
    const copy = await copyRun();
    const segment = await segmentOf(copy);
    await segment.write(segment.bodies.filter((_, index) => index !== 11));
    await assert.rejects(readRecordedRun(copy), /expected seq 12, found 13: seq 12 is missing here/);
  });

  test("a reordered pair is reported at the first event out of place", async () => {
    const copy = await copyRun();
    const segment = await segmentOf(copy);
    const bodies = [...segment.bodies];
    [bodies[11], bodies[12]] = [bodies[12]!, bodies[11]!];
    await segment.write(bodies);
    await assert.rejects(readRecordedRun(copy), /expected seq 12, found 13/);
  });

  test("an edited event with a recomputed checksum breaks the chain anchors and verify names the field", async () => {
    const copy = await copyRun();
    const segment = await segmentOf(copy);
    const index = segment.bodies.findIndex((body) => JSON.parse(body.toString()).type === "RewardScored");
    const edited = JSON.parse(segment.bodies[index]!.toString());
    edited.payload.total = edited.payload.total + 0.25;
    const bodies = [...segment.bodies];
    bodies[index] = Buffer.from(JSON.stringify(edited));
    await segment.write(bodies);
    const run = await readRecordedRun(copy);
    const fold = foldRun(run);
    assert.ok(fold.anchors.firstMismatch !== null, "the fold did not notice the edit");
    assert.ok(fold.anchors.firstMismatch.seq > edited.seq);
    const result = await verifyRun(run, { resample: false, progress: quiet });
    assert.equal(result.status, "diverged");
    assert.equal(result.divergence?.seq, edited.seq);
    assert.equal(result.divergence?.type, "RewardScored");
    assert.equal(result.divergence?.difference.path, "payload.total");
  });
});
