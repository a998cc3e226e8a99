import assert from "node:assert/strict";
import { writeSync } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import { open } from "node:fs/promises";
import { join } from "node:path";
import { syncDirectory } from "./file-system.ts";
import { encodeRecords, recordHeaderBytes, segmentName } from "./segment-format.ts";

/**
 * When appended bytes are forced to disk (fdatasync):
 * - `always` (the default): after every append batch, before the append is acknowledged. An
 *   acknowledged event survives a process crash, an OS crash and a power loss.
 * - `batched`: an append is acknowledged once written to the OS; the log fsyncs at most `intervalMs`
 *   after the first unsynced write, or as soon as `recordsMax` records are unsynced (that append waits
 *   for the fsync). Acknowledged events survive a process crash (the OS holds them) but an OS crash or
 *   power loss may lose the last `intervalMs` / `recordsMax` of them. Closing the log fsyncs.
 * Either way, rotation fsyncs the finished segment and a new segment's directory entry.
 */
export type FsyncPolicy =
  | { readonly mode: "always" }
  | {
      readonly mode: "batched";
      /** @default fsyncIntervalMsDefault */
      readonly intervalMs?: number;
      /** @default fsyncRecordsMaxDefault */
      readonly recordsMax?: number;
    };

export const fsyncIntervalMsDefault = 50;
export const fsyncRecordsMaxDefault = 1000;
/** Why 64 MiB: few files for a long run, and recovery reads at most one segment to resynchronise. */
export const segmentBytesMaxDefault = 64 * 1024 * 1024;
/**
 * Batches up to this size are written with a synchronous write(2) on the event loop; larger ones go
 * through the thread pool (see writeFully).
 */
export const syncWriteBytesMax = 1024 * 1024;

export interface SegmentWriterOptions {
  readonly fsync: FsyncPolicy;
  readonly segmentBytesMax: number;
  /** Called when a batched fsync falls due; the owner runs `sync()` in its write order. */
  readonly requestSync: () => void;
  /** Awaited after a new segment is created, every earlier one fsynced (the owner records its head). */
  readonly onRotated?: (segment: number) => Promise<void>;
}

export interface WrittenRecord {
  readonly segment: number;
  readonly offset: number;
}

/** Appends records to the last segment, rotating to a new segment when it would pass its size limit. */
export class SegmentWriter {
  readonly #directory: string;
  readonly #options: SegmentWriterOptions;
  #handle: FileHandle;
  #segment: number;
  #bytes: number;
  #unsyncedRecords = 0;
  #syncTimer: NodeJS.Timeout | null = null;

  private constructor(
    directory: string,
    options: SegmentWriterOptions,
    handle: FileHandle,
    segment: number,
    bytes: number,
  ) {
    this.#directory = directory;
    this.#options = options;
    this.#handle = handle;
    this.#segment = segment;
    this.#bytes = bytes;
  }

  /** Continues the last segment, or creates segment `segment` when `exists` is false. */
  static async open(
    directory: string,
    last: { readonly segment: number; readonly bytes: number; readonly exists: boolean },
    options: SegmentWriterOptions,
  ): Promise<SegmentWriter> {
    assert(options.segmentBytesMax > 0, "segmentBytesMax must be positive");
    const handle = last.exists
      ? await open(join(directory, segmentName(last.segment)), "a")
      : await createSegment(directory, last.segment);
    return new SegmentWriter(directory, options, handle, last.segment, last.bytes);
  }

  /** Frames event bytes as records and writes them as one batch (one segment, one write), then applies the fsync policy. */
  async write(bodies: readonly Uint8Array[]): Promise<WrittenRecord[]> {
    const batch = encodeRecords(bodies);
    if (this.#bytes > 0 && this.#bytes + batch.length > this.#options.segmentBytesMax) await this.#rotate();
    await writeFully(this.#handle, batch);
    const written: WrittenRecord[] = [];
    let offset = this.#bytes;
    for (const body of bodies) {
      written.push({ segment: this.#segment, offset });
      offset += recordHeaderBytes + body.length;
    }
    assert.equal(offset, this.#bytes + batch.length);
    this.#bytes = offset;
    this.#unsyncedRecords += bodies.length;
    await this.#applyFsyncPolicy();
    return written;
  }

  /** The segment appends go to. */
  get segment(): number {
    return this.#segment;
  }

  /** Forces unsynced records to disk. */
  async sync(): Promise<void> {
    this.#clearTimer();
    if (this.#unsyncedRecords === 0) return;
    await this.#handle.datasync();
    this.#unsyncedRecords = 0;
  }

  async close(): Promise<void> {
    try {
      await this.sync();
    } finally {
      await this.#handle.close();
    }
  }

  async #applyFsyncPolicy(): Promise<void> {
    const policy = this.#options.fsync;
    if (policy.mode === "always" || this.#unsyncedRecords >= (policy.recordsMax ?? fsyncRecordsMaxDefault)) {
      await this.sync();
      return;
    }
    if (this.#syncTimer !== null) return;
    this.#syncTimer = setTimeout(() => {
      this.#syncTimer = null;
      this.#options.requestSync();
    }, policy.intervalMs ?? fsyncIntervalMsDefault);
    // Why unref: a pending fsync must not keep the process alive; the OS still holds the bytes.
    this.#syncTimer.unref();
  }

  async #rotate(): Promise<void> {
    await this.sync();
    await this.#handle.close();
    this.#segment += 1;
    this.#handle = await createSegment(this.#directory, this.#segment);
    this.#bytes = 0;
    await this.#options.onRotated?.(this.#segment);
  }

  #clearTimer(): void {
    if (this.#syncTimer === null) return;
    clearTimeout(this.#syncTimer);
    this.#syncTimer = null;
  }
}

async function createSegment(directory: string, segment: number): Promise<FileHandle> {
  // "ax": append-only, and fail rather than reuse a file that already exists.
  const handle = await open(join(directory, segmentName(segment)), "ax");
  await syncDirectory(directory);
  return handle;
}

/**
 * Writes all of `bytes` at the end of the segment; resolves once the kernel holds them (a process
 * crash after that cannot lose them), which is what every fsync policy acknowledges on.
 *
 * Why a synchronous write for small batches: a write(2) of a few hundred bytes to a regular file
 * copies them into the page cache and returns in ~2 µs (p50; p99 9 µs, 64 KiB 20 µs, 1 MiB 0.25 ms on
 * the dev VM), while the promise API's round trip through libuv's thread pool costs 30-55 µs p50 for
 * the same write and was most of an append's time (bench/event-log.ts: one event per append, batched
 * fsync, went from 0.4 to over 1 of raw promise writes). The event loop is blocked only for the copy;
 * the fdatasync, which can take milliseconds, stays on the thread pool. Batches over syncWriteBytesMax
 * (rare: events are at most 256 KiB, and are usually a few hundred bytes) take the thread pool, so one
 * large append cannot stall the loop. A write can still block when the kernel throttles writers with
 * too many dirty pages; the batched policy fsyncs every 1000 records or 50 ms, so the log's own dirty
 * data stays small.
 */
async function writeFully(handle: FileHandle, bytes: Buffer): Promise<void> {
  let written = 0;
  while (written < bytes.length) {
    const bytesWritten =
      bytes.length <= syncWriteBytesMax
        ? writeSync(handle.fd, bytes, written, bytes.length - written)
        : (await handle.write(bytes, written, bytes.length - written)).bytesWritten;
    assert(bytesWritten > 0, "a write made no progress");
    written += bytesWritten;
  }
}
