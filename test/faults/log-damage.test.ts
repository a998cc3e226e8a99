// Goal (issue 15, defects 3 and 6): the CLI tells a torn tail (an incomplete last record: reported,
// the events before it read) from a corrupt last record (a complete record with a bad CRC: an
// error saying how to cut it off, nothing changed) from a vanished segment (the head file names it:
// an error, so no resume can silently regenerate it); an event a newer mmzero wrote is named as
// such, without a schema dump; a path that is not a run is an error naming what was expected, for
// every command that opens a run.
// Method: copies of the committed smoke run, given a head file by opening and closing the writer,
// then damaged as crashes and people do; `mmzero log`, `replay`, `rescore`, `report` and `eval`
// run as real processes; the writer opened in this process for the repair notices.
import assert from "node:assert/strict";
import { mkdir, readdir, readFile, stat, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { encodeEvent, type MmzeroEvent } from "../../src/events/index.ts";
import {
  type FileLogNotice,
  LogCorruptionError,
  LogHeadLostError,
  openFileLog,
  readFileLogReadOnly,
} from "../../src/store/index.ts";
import { encodeRecord } from "../../src/store/segment-format.ts";
import { makeTempDir, type TempDir } from "../support/temp-dir.ts";
import { copyFixtureRun, runCli } from "./cli.ts";

const fixtureEvents = 177;
const fixtureHead = "4b9e2f51bee5ff3e3fc2e890ce84f52e646f71f7023b563fbb4b193c6297fc9a";

interface PreparedRun {
  readonly directory: string;
  readonly segment: string;
  readonly runId: string;
  readonly last: MmzeroEvent;
}

/** A copy of the fixture run whose log has a head file (as every log this version writes has). */
async function preparedRun(parent: string, name: string): Promise<PreparedRun> {
  const directory = await copyFixtureRun(join(parent, name));
  const events = join(directory, "events");
  const recorded = [];
  for await (const item of readFileLogReadOnly(events)) recorded.push(item);
  const first = recorded[0]?.event ?? assert.fail("the fixture has events");
  const last = recorded.at(-1)?.event ?? assert.fail("the fixture has events");
  await (await openFileLog(events, { runId: first.runId })).close();
  return { directory, segment: join(events, "events-000001.seg"), runId: first.runId, last };
}

/** A record this log would hold next: the last event again under the next seq and a new id. */
function nextRecord(run: PreparedRun, changes: Record<string, unknown> = {}): Buffer {
  const event = { ...run.last, seq: fixtureEvents + 1, id: "f".repeat(32), ...changes } as MmzeroEvent;
  return encodeRecord(encodeEvent(event).bytes);
}

async function append(path: string, bytes: Uint8Array): Promise<void> {
  await writeFile(path, Buffer.concat([await readFile(path), bytes]));
}

describe("log faults through the CLI (real processes)", () => {
  let workspace: TempDir;
  before(async () => {
    workspace = await makeTempDir("faults-log");
  });
  after(async () => {
    await workspace[Symbol.asyncDispose]();
  });

  test("a torn tail: log and replay read the events before it and say so; the writer cuts it and reports it", async () => {
    const run = await preparedRun(workspace.path, "torn");
    const size = (await stat(run.segment)).size;
    await append(run.segment, nextRecord(run).subarray(0, 40));
    const [hash, replay] = await Promise.all([
      runCli(["log", run.directory, "--hash"]),
      runCli(["replay", run.directory, "--mode", "fold"]),
    ]);
    assert.equal(hash.code, 0, hash.stderr);
    assert.equal(hash.stdout, `${fixtureEvents} ${fixtureHead}\n`);
    assert.match(hash.stderr, /the last record at .*events-000001\.seg:\d+ is incomplete/);
    assert.equal(replay.code, 0, replay.stderr);
    assert.match(replay.stderr, /is incomplete .*replaying the events before it/);
    assert.match(replay.stdout, new RegExp(`${fixtureEvents} events, chain head ${fixtureHead}`));
    const notices: FileLogNotice[] = [];
    const log = await openFileLog(join(run.directory, "events"), {
      runId: run.runId,
      onNotice: (n) => notices.push(n),
    });
    await log.close();
    assert.deepEqual(
      notices.map((notice) => notice.kind),
      ["torn-tail-truncated"],
    );
    assert.equal((await stat(run.segment)).size, size);
  });

  test("a complete last record with a bad CRC is an error naming the cut, for readers and the writer; nothing changes", async () => {
    const run = await preparedRun(workspace.path, "crc");
    const size = (await stat(run.segment)).size;
    const record = nextRecord(run);
    const flipped = record.length - 10;
    record.writeUInt8((record[flipped] ?? 0) ^ 0x20, flipped);
    await append(run.segment, record);
    const [hash, replay] = await Promise.all([
      runCli(["log", run.directory, "--hash"]),
      runCli(["replay", run.directory]),
    ]);
    for (const result of [hash, replay]) {
      assert.equal(result.code, 1, result.stdout);
      assert.match(result.stderr, /CRC32C mismatch in a complete record at the end of the log/);
      assert.match(result.stderr, new RegExp(`truncate -s ${size} `));
    }
    await assert.rejects(
      openFileLog(join(run.directory, "events"), { runId: run.runId }),
      LogCorruptionError,
    );
    assert.equal((await stat(run.segment)).size, size + record.length, "nothing was cut off");
  });

  test("a vanished segment is an error naming it, for readers and the writer (no resume regenerates it)", async () => {
    const run = await preparedRun(workspace.path, "vanished");
    await unlink(run.segment);
    const [hash, replay] = await Promise.all([
      runCli(["log", run.directory, "--hash"]),
      runCli(["replay", run.directory]),
    ]);
    for (const result of [hash, replay]) {
      assert.equal(result.code, 1, result.stdout);
      assert.match(
        result.stderr,
        /LogHeadLostError|lost acknowledged events: segment events-000001\.seg is missing/,
      );
    }
    await assert.rejects(openFileLog(join(run.directory, "events"), { runId: run.runId }), LogHeadLostError);
    assert.deepEqual(
      (await readdir(join(run.directory, "events"))).filter((name) => name.endsWith(".seg")),
      [],
    );
  });

  test("an event a newer mmzero wrote is named as such, with its version and no schema dump", async () => {
    const run = await preparedRun(workspace.path, "newer");
    const event = { ...run.last, seq: fixtureEvents + 1, id: "f".repeat(32), v: 7 };
    await append(run.segment, encodeRecord(new TextEncoder().encode(JSON.stringify(event))));
    const result = await runCli(["log", run.directory, "--hash"]);
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      new RegExp(
        `${run.last.type} v7 was written by a newer mmzero \\(this one reads ${run.last.type} up to v1\\)`,
      ),
    );
    assert.doesNotMatch(result.stderr, /corrupt|restore or truncate/);
    assert.ok(
      result.stderr.length < 600,
      `a short message, not a schema dump: ${result.stderr.length} characters`,
    );
  });

  test("every command that opens a run says a non-run is not one, naming events/", async () => {
    const empty = join(workspace.path, "empty");
    await writeFile(join(workspace.path, "plain-file"), "x");
    await mkdir(join(empty, "events"), { recursive: true });
    const cases: [string, string[]][] = [
      ["log --hash on a missing path", ["log", "/not/a/run", "--hash"]],
      ["log on a file", ["log", join(workspace.path, "plain-file")]],
      ["replay on an empty events/", ["replay", empty]],
      ["replay on a missing path", ["replay", "/not/a/run"]],
      ["rescore", ["rescore", "/not/a/run", "--reward-config", "release"]],
      ["report", ["report", empty, "--out", join(workspace.path, "report.html")]],
      ["eval --solver", ["eval", "--solver", empty]],
    ];
    const results = await Promise.all(cases.map(([, args]) => runCli(args)));
    for (const [index, [label]] of cases.entries()) {
      const result = results[index] ?? assert.fail("a result");
      assert.equal(result.code, 1, `${label}: ${result.stdout}`);
      assert.equal(result.stdout, "", `${label}: prints no count or hash`);
      assert.match(
        result.stderr,
        /is not a run directory: expected an events\/ directory holding an event log/,
        `${label}: ${result.stderr}`,
      );
    }
  });
});
