import assert from "node:assert/strict";
import type { FileHandle } from "node:fs/promises";
import {
  checksumMatches,
  isValidBodyLength,
  readRecordHeader,
  recordBodyBytesMax,
  recordBodyBytesMin,
  recordHeaderBytes,
} from "./segment-format.ts";

/** Why: large enough that a read costs few syscalls, small enough to bound a reader's memory. */
export const readChunkBytes = 1024 * 1024;
assert(readChunkBytes > recordHeaderBytes + recordBodyBytesMax, "a chunk must hold the largest record");

export type ScanItem =
  | { readonly kind: "record"; readonly offset: number; readonly body: Buffer }
  | {
      readonly kind: "fault";
      readonly offset: number;
      readonly reason: string;
      /** True when the record is cut off by the end of the range (what a torn write leaves). */
      readonly incomplete: boolean;
    };

/**
 * Reads the records of one segment between byte `start` and `end`, one chunk at a time, yielding the
 * items parsed from each chunk. Stops after the first fault (bad length, checksum mismatch, a record
 * cut off by `end`); the caller decides whether a fault is a torn tail or corruption. Bodies are
 * views into the chunk: decode them before asking for the next chunk.
 */
export async function* scanRecords(
  handle: FileHandle,
  start: number,
  end: number,
): AsyncGenerator<readonly ScanItem[]> {
  assert(start >= 0 && start <= end, `scan range ${start}..${end} is invalid`);
  let position = start;
  let scanEnd = end;
  while (position < scanEnd) {
    const requested = Math.min(scanEnd - position, readChunkBytes);
    const chunk = await readAt(handle, position, requested);
    // Why: a file shorter than expected (changed under us) must fault, never loop.
    if (chunk.length < requested) scanEnd = position + chunk.length;
    const { items, consumed } = parseChunk(chunk, position, scanEnd);
    if (items.length > 0) yield items;
    if (items.at(-1)?.kind === "fault") return;
    position += consumed;
    // Why this holds: a chunk holds the largest record, so each full chunk yields one at least.
    assert(consumed > 0 || position === scanEnd, "a scan must make progress");
  }
  if (position < end) {
    yield [
      {
        kind: "fault",
        offset: position,
        reason: `the file ends at byte ${position}, before byte ${end}`,
        incomplete: true,
      },
    ];
  }
}

/** The records that lie wholly in a chunk read at `position`, up to and including a fault. */
function parseChunk(
  chunk: Buffer,
  position: number,
  scanEnd: number,
): { items: ScanItem[]; consumed: number } {
  const items: ScanItem[] = [];
  let cursor = 0;
  for (;;) {
    const step = nextRecord(chunk, cursor, scanEnd - (position + cursor));
    if (step.kind === "done") return { items, consumed: cursor };
    if (step.kind === "fault") {
      items.push({
        kind: "fault",
        offset: position + cursor,
        reason: step.reason,
        incomplete: step.incomplete,
      });
      return { items, consumed: cursor };
    }
    items.push({ kind: "record", offset: position + cursor, body: step.body });
    cursor += recordHeaderBytes + step.body.length;
  }
}

type Step =
  | { readonly kind: "done" }
  | { readonly kind: "fault"; readonly reason: string; readonly incomplete: boolean }
  | { readonly kind: "record"; readonly body: Buffer };

/** Parses the record at `cursor`; `remaining` is how many bytes the scan range still holds from there. */
function nextRecord(chunk: Buffer, cursor: number, remaining: number): Step {
  // "done" also when the chunk ends first: the caller reads on from the next record.
  if (remaining === 0) return { kind: "done" };
  if (remaining < recordHeaderBytes) {
    return {
      kind: "fault",
      reason: `only ${remaining} bytes left, a record header needs ${recordHeaderBytes}`,
      incomplete: true,
    };
  }
  if (chunk.length - cursor < recordHeaderBytes) return { kind: "done" };
  const { bodyBytes, checksum } = readRecordHeader(chunk, cursor);
  if (!isValidBodyLength(bodyBytes)) {
    return {
      kind: "fault",
      reason: `record length ${bodyBytes} outside ${recordBodyBytesMin}..${recordBodyBytesMax}`,
      incomplete: false,
    };
  }
  const recordBytes = recordHeaderBytes + bodyBytes;
  if (recordBytes > remaining) {
    return {
      kind: "fault",
      reason: `record of ${recordBytes} bytes cut off after ${remaining} bytes`,
      incomplete: true,
    };
  }
  if (chunk.length - cursor < recordBytes) return { kind: "done" };
  const body = chunk.subarray(cursor + recordHeaderBytes, cursor + recordBytes);
  if (!checksumMatches(body, checksum))
    return { kind: "fault", reason: "CRC32C mismatch in a complete record", incomplete: false };
  return { kind: "record", body };
}

/** Reads up to `length` bytes at `position`; fewer only where the file ends. */
export async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}
