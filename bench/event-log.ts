/**
 * File event log throughput against raw `fs` writing and reading the same bytes with the same sync
 * policy, measured in the same run. Prints medians of several runs and the ratio log / raw (the
 * median of each run's ratio).
 *
 *   node bin/run-ts.js bench/event-log.ts [--always N] [--batched N] [--repeats N]
 *
 * - append, fsync always: one event per append, fdatasync before each acknowledgement; the baseline
 *   writes each record and fdatasyncs it.
 * - append, fsync batched: one event per append, fdatasync every 1000 records or 50 ms; the baseline
 *   writes each record and fdatasyncs on the same rule.
 *   Both append baselines write with the promise API (`FileHandle.write`, a round trip through
 *   libuv's thread pool), the way most Node code writes a file. The log writes small batches with a
 *   synchronous write(2) (segment-writer.ts, writeFully), so two more rows compare the same log runs
 *   with a baseline that does too (`fs.writeSync`, fdatasync still through the thread pool): the
 *   least any writer of these bytes must pay, so their ratio is the log's own cost (encoding,
 *   validation, hashing, framing) made visible.
 * - read: reading the whole log (CRC check, decode, schema validation, hash, chain check) against
 *   reading the same segment files in 1 MiB chunks and walking the length prefixes; a second row
 *   compares it with that walk plus JSON.parse of each event (the least any reader must do).
 * One untimed warm-up run of each case comes first, so the JIT has compiled the code before timing;
 * within a run the log and its baselines alternate which goes first, so neither always meets a
 * machine just freed (or just loaded) by the other.
 */
import { writeSync } from "node:fs";
import { mkdtemp, open, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type EventDraft, encodeEvent } from "../src/events/index.ts";
import {
  type FsyncPolicy,
  fsyncIntervalMsDefault,
  fsyncRecordsMaxDefault,
  openFileLog,
} from "../src/store/index.ts";
import { encodeRecord } from "../src/store/segment-format.ts";
import { readAt, readChunkBytes } from "../src/store/segment-reader.ts";
import { scriptedDrafts } from "../test/support/events.ts";
import { median, option } from "./common.ts";

const runId = "bench-run";

const alwaysEvents = option("always", 1500);
const batchedEvents = option("batched", 15000);
const repeats = option("repeats", 5);

/** Records exactly as the log writes them: the events at their seqs, framed. */
function recordsOf(drafts: readonly EventDraft[]): Buffer[] {
  return drafts.map((draft, position) => encodeRecord(encodeEvent({ ...draft, seq: position + 1 }).bytes));
}

async function withDirectory<Result>(work: (directory: string) => Promise<Result>): Promise<Result> {
  const directory = await mkdtemp(join(tmpdir(), "mmzero-bench-"));
  try {
    return await work(directory);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/** Events per second of the file log appending one event per call. */
async function logAppendRate(drafts: readonly EventDraft[], fsync: FsyncPolicy): Promise<number> {
  return withDirectory(async (directory) => {
    const log = await openFileLog(directory, { runId, fsync });
    const started = performance.now();
    for (const draft of drafts) await log.append([draft]);
    await log.close();
    return drafts.length / ((performance.now() - started) / 1000);
  });
}

/**
 * Records per second of raw writes of the same bytes, fdatasync after `recordsPerSync` records or
 * `intervalMs`; each write through the promise API, or `fs.writeSync` when `writeSynchronously`.
 */
async function rawAppendRate(
  records: readonly Buffer[],
  recordsPerSync: number,
  intervalMs: number,
  writeSynchronously: boolean,
): Promise<number> {
  return withDirectory(async (directory) => {
    const handle = await open(join(directory, "raw.seg"), "ax");
    const started = performance.now();
    let unsynced = 0;
    let firstUnsyncedAt = 0;
    for (const record of records) {
      if (writeSynchronously) {
        if (writeSync(handle.fd, record, 0, record.length) !== record.length) throw new Error("short write");
      } else if ((await handle.write(record, 0, record.length)).bytesWritten !== record.length) {
        throw new Error("short write");
      }
      if (unsynced === 0) firstUnsyncedAt = performance.now();
      unsynced += 1;
      if (unsynced >= recordsPerSync || performance.now() - firstUnsyncedAt >= intervalMs) {
        await handle.datasync();
        unsynced = 0;
      }
    }
    await handle.datasync();
    await handle.close();
    return records.length / ((performance.now() - started) / 1000);
  });
}

interface ReadRates {
  readonly log: number;
  readonly raw: number;
  readonly rawParsed: number;
}

/** Events per second reading a whole log, and records per second walking the same files raw. */
async function readRates(drafts: readonly EventDraft[]): Promise<ReadRates> {
  return withDirectory(async (directory) => {
    const log = await openFileLog(directory, { runId, fsync: { mode: "batched" } });
    for (let first = 0; first < drafts.length; first += 100)
      await log.append(drafts.slice(first, first + 100));
    const started = performance.now();
    let count = 0;
    for await (const _recorded of log.read()) count += 1;
    const logRate = count / ((performance.now() - started) / 1000);
    await log.close();
    const segments = (await readdir(directory)).filter((file) => file.endsWith(".seg")).sort();
    const rawRate = async (parse: boolean): Promise<number> => {
      const walkStarted = performance.now();
      let rawCount = 0;
      for (const name of segments) rawCount += await walkRecords(join(directory, name), parse);
      if (rawCount !== count) throw new Error(`raw walk found ${rawCount} records, the log read ${count}`);
      return rawCount / ((performance.now() - walkStarted) / 1000);
    };
    return { log: logRate, raw: await rawRate(false), rawParsed: await rawRate(true) };
  });
}

async function walkRecords(path: string, parse: boolean): Promise<number> {
  const handle = await open(path, "r");
  try {
    const { size } = await handle.stat();
    let position = 0;
    let count = 0;
    while (position < size) {
      const chunk = await readAt(handle, position, Math.min(readChunkBytes, size - position));
      let cursor = 0;
      while (cursor + 8 <= chunk.length && cursor + 8 + chunk.readUInt32LE(cursor) <= chunk.length) {
        const end = cursor + 8 + chunk.readUInt32LE(cursor);
        if (parse) JSON.parse(chunk.toString("utf8", cursor + 8, end));
        cursor = end;
        count += 1;
      }
      position += cursor;
    }
    return count;
  } finally {
    await handle.close();
  }
}

interface Row {
  readonly name: string;
  readonly log: number[];
  readonly raw: number[];
}

function printRows(rows: readonly Row[]): void {
  const format = (rate: number) => Math.round(rate).toLocaleString("en-US").padStart(10);
  console.log(`\n${"case (medians)".padEnd(26)}${"log/s".padStart(10)}${"raw fs/s".padStart(12)}  log/raw`);
  for (const row of rows) {
    // Why the median of each run's ratio: on a shared machine the load drifts between runs, and a
    // log run and its baseline next to it met the same load.
    const ratios = row.log.map((log, run) => log / (row.raw[run] ?? Number.NaN));
    console.log(
      `${row.name.padEnd(26)}${format(median(row.log))}  ${format(median(row.raw))}  ${median(ratios).toFixed(2)}`,
    );
  }
}

async function main(): Promise<void> {
  const alwaysDrafts = scriptedDrafts(runId, alwaysEvents);
  const batchedDrafts = scriptedDrafts(runId, batchedEvents);
  const alwaysRecords = recordsOf(alwaysDrafts);
  const batchedRecords = recordsOf(batchedDrafts);
  const meanBytes = batchedRecords.reduce((sum, record) => sum + record.length, 0) / batchedRecords.length;
  console.log(
    `event log benchmark: ${alwaysEvents} appends (fsync always), ${batchedEvents} appends (batched) and reads, ` +
      `${repeats} runs each, records of ${meanBytes.toFixed(0)} B on average, ${tmpdir()}`,
  );
  const rows: Row[] = [
    { name: "append, fsync always", log: [], raw: [] },
    { name: "append, fsync batched", log: [], raw: [] },
    { name: "always vs raw writeSync", log: [], raw: [] },
    { name: "batched vs raw writeSync", log: [], raw: [] },
    { name: "read whole log", log: [], raw: [] },
    { name: "read vs raw + JSON.parse", log: [], raw: [] },
  ];
  const [always, batched, alwaysSync, batchedSync, read, readParsed] = rows as [Row, Row, Row, Row, Row, Row];
  const rawAlways = (synchronously: boolean) =>
    rawAppendRate(alwaysRecords, 1, Number.POSITIVE_INFINITY, synchronously);
  const rawBatched = (synchronously: boolean, records = batchedRecords) =>
    rawAppendRate(records, fsyncRecordsMaxDefault, fsyncIntervalMsDefault, synchronously);
  await rawAlways(false);
  await rawAlways(true);
  await logAppendRate(alwaysDrafts.slice(0, 200), { mode: "always" });
  await rawBatched(false, batchedRecords.slice(0, 3000));
  await rawBatched(true, batchedRecords.slice(0, 3000));
  await logAppendRate(batchedDrafts.slice(0, 3000), { mode: "batched" });
  await readRates(batchedDrafts);
  for (let run = 0; run < repeats; run++) {
    // Why interleaved: drift in the machine's load hits the log and its baselines alike.
    const logFirst = run % 2 === 1;
    const alwaysLog = async () => always.log.push(await logAppendRate(alwaysDrafts, { mode: "always" }));
    if (logFirst) await alwaysLog();
    always.raw.push(await rawAlways(false));
    alwaysSync.raw.push(await rawAlways(true));
    if (!logFirst) await alwaysLog();
    const batchedLog = async () => batched.log.push(await logAppendRate(batchedDrafts, { mode: "batched" }));
    if (logFirst) await batchedLog();
    batched.raw.push(await rawBatched(false));
    batchedSync.raw.push(await rawBatched(true));
    if (!logFirst) await batchedLog();
    alwaysSync.log.push(always.log.at(-1) ?? Number.NaN);
    batchedSync.log.push(batched.log.at(-1) ?? Number.NaN);
    const rates = await readRates(batchedDrafts);
    read.log.push(rates.log);
    read.raw.push(rates.raw);
    readParsed.log.push(rates.log);
    readParsed.raw.push(rates.rawParsed);
    process.stdout.write(`run ${run + 1}/${repeats} done\n`);
  }
  printRows(rows);
}

await main();
