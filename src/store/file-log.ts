import assert from "node:assert/strict";
import { mkdir, open } from "node:fs/promises";
import { join } from "node:path";
import type { EventDraft } from "../events/index.ts";
import { type AppendPlan, planAppend } from "./append-plan.ts";
import { LogClosedError, LogCorruptionError, LogWriteFailedError } from "./errors.ts";
import type { AppendOptions, EventLog, LogHead, ReadRange, RecordedEvent, TailOptions } from "./event-log.ts";
import { headFileName, writeDurableHead } from "./log-head.ts";
import type { LogIndex } from "./log-index.ts";
import { resolveReadRange } from "./read-range.ts";
import { recordedFromBytes } from "./recorded.ts";
import { type RecordLocation, recoverLog, type TornTail } from "./recovery.ts";
import { recordHeaderBytes, segmentName } from "./segment-format.ts";
import { scanRecords } from "./segment-reader.ts";
import { type FsyncPolicy, SegmentWriter, segmentBytesMaxDefault } from "./segment-writer.ts";
import { SerialQueue } from "./serial-queue.ts";
import { AppendNotifier, tailEvents } from "./tail.ts";
import { acquireWriteLock, type WriteLock } from "./write-lock.ts";

export interface FileLogOptions {
  /** The run this log belongs to; opening a log of another run is LogRunMismatchError. */
  readonly runId: string;
  /** @default { mode: "always" } (see FsyncPolicy) */
  readonly fsync?: FsyncPolicy;
  /** A segment is closed and a new one started before a batch would take it past this size. @default 64 MiB */
  readonly segmentBytesMax?: number;
  /** Told about every repair made while opening (the same facts are in `openReport`). */
  readonly onNotice?: (notice: FileLogNotice) => void;
}

export type FileLogNotice =
  | { readonly kind: "torn-tail-truncated"; readonly tornTail: TornTail }
  | { readonly kind: "stale-lock-removed"; readonly directory: string; readonly ownerPid: number }
  | { readonly kind: "head-file-created"; readonly directory: string; readonly seq: number };

/** One line a person can read for a notice (run.log, the CLI's stderr, the daemon's log). */
export function describeNotice(notice: FileLogNotice): string {
  switch (notice.kind) {
    case "torn-tail-truncated": {
      const { segment, offset, bytesDiscarded, reason } = notice.tornTail;
      return `event log repaired: cut off a torn last record (${reason}) in ${segment} at byte ${offset}, ${bytesDiscarded} bytes; it was never acknowledged`;
    }
    case "stale-lock-removed":
      return `event log repaired: removed the write lock of process ${notice.ownerPid}, which is no longer running (it crashed or was killed)`;
    case "head-file-created":
      return `event log ${notice.directory} had no ${headFileName} (written by an older mmzero, or deleted): recorded its head now, at seq ${notice.seq}`;
  }
}

/** What opening found and repaired. */
export interface FileLogOpenReport {
  readonly directory: string;
  readonly segmentCount: number;
  readonly head: LogHead;
  readonly tornTail: TornTail | null;
  readonly staleLockOwnerPid: number | null;
  /** True when an existing log had no head file, so none of its events could be checked against one. */
  readonly headFileCreated: boolean;
}

/**
 * Opens (creating if needed) the file event log of one run in `directory`: takes the write lock,
 * recovers the segments (truncating a torn last record, failing on corruption) and recomputes the
 * chain. Only this process may append until `close()`.
 */
export async function openFileLog(directory: string, options: FileLogOptions): Promise<FileEventLog> {
  await mkdir(directory, { recursive: true });
  const lock = await acquireWriteLock(directory);
  try {
    const recovered = await recoverLog(directory, options.runId);
    const openReport: FileLogOpenReport = {
      directory,
      segmentCount: recovered.segmentCount,
      head: recovered.index.head,
      tornTail: recovered.tornTail,
      staleLockOwnerPid: lock.staleOwnerPid,
      headFileCreated: recovered.segmentCount > 0 && !recovered.hadDurableHead,
    };
    reportNotices(openReport, options.onNotice);
    return await FileEventLog.start(directory, options, { lock, recovered, openReport });
  } catch (error) {
    await lock.release();
    throw error;
  }
}

function reportNotices(report: FileLogOpenReport, onNotice: FileLogOptions["onNotice"]): void {
  if (onNotice === undefined) return;
  if (report.staleLockOwnerPid !== null) {
    onNotice({ kind: "stale-lock-removed", directory: report.directory, ownerPid: report.staleLockOwnerPid });
  }
  if (report.tornTail !== null) onNotice({ kind: "torn-tail-truncated", tornTail: report.tornTail });
  if (report.headFileCreated)
    onNotice({ kind: "head-file-created", directory: report.directory, seq: report.head.seq });
}

interface StartState {
  readonly lock: WriteLock;
  readonly recovered: Awaited<ReturnType<typeof recoverLog>>;
  readonly openReport: FileLogOpenReport;
}

/** The file EventLog adapter (format: segment-format.ts; durability: FsyncPolicy in segment-writer.ts). */
export class FileEventLog implements EventLog {
  readonly runId: string;
  readonly directory: string;
  readonly openReport: FileLogOpenReport;
  readonly #index: LogIndex<RecordLocation>;
  readonly #lock: WriteLock;
  readonly #appends = new SerialQueue();
  readonly #notifier = new AppendNotifier();
  #writer: SegmentWriter | null = null;
  #closed = false;
  #closing: Promise<void> | null = null;
  #writeFailure: unknown = null;

  private constructor(directory: string, runId: string, state: StartState) {
    this.directory = directory;
    this.runId = runId;
    this.openReport = state.openReport;
    this.#index = state.recovered.index;
    this.#lock = state.lock;
  }

  static async start(directory: string, options: FileLogOptions, state: StartState): Promise<FileEventLog> {
    const log = new FileEventLog(directory, options.runId, state);
    const { lastSegment, segmentCount } = state.recovered;
    log.#writer = await SegmentWriter.open(
      directory,
      { segment: lastSegment.number, bytes: lastSegment.bytes, exists: segmentCount > 0 },
      {
        fsync: options.fsync ?? { mode: "always" },
        segmentBytesMax: options.segmentBytesMax ?? segmentBytesMaxDefault,
        requestSync: () => log.#requestSync(),
        onRotated: (segment) => log.#recordHead(segment),
      },
    );
    await log.#recordHead(log.#writer.segment);
    return log;
  }

  async head(): Promise<LogHead> {
    this.#assertOpen();
    return this.#index.head;
  }

  append(drafts: readonly EventDraft[], options: AppendOptions = {}): Promise<readonly RecordedEvent[]> {
    return this.#appends.run(async () => {
      this.#assertOpen();
      if (this.#writeFailure !== null) throw new LogWriteFailedError(this.runId, this.#writeFailure);
      const plan = await planAppend(this.#index, this.runId, drafts, options, (seq) => this.#readEvent(seq));
      return this.#apply(plan);
    });
  }

  async *read(range: ReadRange = {}): AsyncGenerator<RecordedEvent> {
    this.#assertOpen();
    const { from, to } = resolveReadRange(range, this.#index.headSeq);
    let first = from;
    while (first <= to) {
      const { segment } = this.#index.entry(first).location;
      let last = first;
      while (last < to && this.#index.entry(last + 1).location.segment === segment) last += 1;
      // Why chunks, not events, from the segment reader: one async generator per event, not two.
      for await (const chunk of this.#readSegment(segment, first, last)) {
        for (const recorded of chunk) {
          this.#assertOpen();
          yield recorded;
        }
      }
      first = last + 1;
    }
  }

  tail(options: TailOptions = {}): AsyncIterable<RecordedEvent> {
    return tailEvents(
      {
        runId: this.runId,
        notifier: this.#notifier,
        isClosed: () => this.#closed,
        headSeq: () => this.#index.headSeq,
        readRange: (from, to) => this.read({ from, to }),
      },
      options,
    );
  }

  /** Waits for pending appends, fsyncs, closes the files and releases the write lock. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= this.#shutDown();
    return this.#closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #shutDown(): Promise<void> {
    await this.#appends.drain();
    this.#closed = true;
    this.#notifier.notify();
    try {
      await this.#writer?.close();
      // Why only after a clean close: after a failed write, what is on disk is for recovery to judge.
      if (this.#writer !== null && this.#writeFailure === null) await this.#recordHead(this.#writer.segment);
    } finally {
      await this.#lock.release();
    }
  }

  /** Records the head durably (log-head.ts); call only when every record in the index is fsynced. */
  #recordHead(lastSegment: number): Promise<void> {
    return writeDurableHead(this.directory, { runId: this.runId, ...this.#index.head, lastSegment });
  }

  async #apply(plan: AppendPlan): Promise<readonly RecordedEvent[]> {
    if (plan.kind === "retry") return Promise.all(plan.seqs.map((seq) => this.#readOne(seq)));
    if (plan.events.length === 0) return [];
    const writer = this.#writer;
    assert(writer !== null, "the writer is set when the log starts");
    let written: Awaited<ReturnType<SegmentWriter["write"]>>;
    try {
      written = await writer.write(plan.events.map(({ bytes }) => bytes));
    } catch (error) {
      // Why stop appending: after a failed write or fsync the file's state is unknown (a partial
      // record, or pages the OS dropped); only reopening, which recovers the segments, can know it.
      this.#writeFailure = error;
      throw new LogWriteFailedError(this.runId, error);
    }
    const recorded = plan.events.map(({ event, bytes, contentHash }, position) => {
      const place = written[position];
      assert(place !== undefined, "every record has a place");
      const entry = this.#index.add(event.id, contentHash, { ...place, bodyBytes: bytes.length });
      assert.equal(this.#index.headSeq, event.seq);
      return { event, contentHash, chainHash: entry.chainHash };
    });
    this.#notifier.notify();
    return recorded;
  }

  /** The events first..last of one segment, a chunk (one read) at a time. */
  async *#readSegment(
    segment: number,
    first: number,
    last: number,
  ): AsyncGenerator<readonly RecordedEvent[]> {
    const path = join(this.directory, segmentName(segment));
    const lastLocation = this.#index.entry(last).location;
    const end = lastLocation.offset + recordHeaderBytes + lastLocation.bodyBytes;
    const handle = await open(path, "r");
    try {
      let seq = first;
      for await (const items of scanRecords(handle, this.#index.entry(first).location.offset, end)) {
        // Why decode the whole chunk first: the bodies are views into a buffer the next read replaces.
        const recorded = items.map((item) => {
          const entry = this.#index.entry(seq);
          if (item.kind === "fault") throw new LogCorruptionError(path, item.offset, item.reason);
          if (item.offset !== entry.location.offset) {
            throw new LogCorruptionError(
              path,
              item.offset,
              `seq ${seq} was written at byte ${entry.location.offset}`,
            );
          }
          seq += 1;
          return recordedFromBytes(item.body, seq - 1, entry, () => ({
            location: path,
            offset: item.offset,
          }));
        });
        yield recorded;
      }
      assert.equal(seq, last + 1, "a segment read yields every seq of its range");
    } finally {
      await handle.close();
    }
  }

  async #readOne(seq: number): Promise<RecordedEvent> {
    for await (const [recorded] of this.#readSegment(this.#index.entry(seq).location.segment, seq, seq)) {
      if (recorded !== undefined) return recorded;
    }
    assert.fail(`seq ${seq} was not read`);
  }

  async #readEvent(seq: number) {
    return (await this.#readOne(seq)).event;
  }

  #requestSync(): void {
    this.#appends
      .run(async () => {
        if (this.#closed || this.#writeFailure !== null) return;
        await this.#writer?.sync();
      })
      .catch((error: unknown) => {
        this.#writeFailure = error;
      });
  }

  #assertOpen(): void {
    if (this.#closed) throw new LogClosedError(this.runId);
  }
}
